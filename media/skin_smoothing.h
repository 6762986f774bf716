// 美颜's skin smoothing and light sharpen, on a picture's luma in place.
//
// Each sample moves towards a blurred copy B of the luma by at most t (clamp(B, Y - t, Y + t)):
// grain and pores, smaller than t, are smoothed away; an edge (eyes, lips, hair, the writing on
// a box) differs from B by far more than t and keeps its contrast less t: smooth skin, not
// plastic. A light sharpen (a quarter of the 4-neighbour Laplacian added) then gives the edges
// back their crispness; the grain is already gone, so it is not sharpened with them. B is a box
// blur whose radius, like t, grows with the level.
//
// It is the chain gblur → maskedclamp → convolution (Enhance::filter_chain gives it to the ffmpeg
// CLI), done here in three passes of integer arithmetic that the compiler vectorises: libavfilter
// spends 7.8 ms of CPU on a 720p frame for it, over twice the whole 3 ms budget of DESIGN.md;
// this costs about a tenth of that (enhance_bench).
#pragma once

#include <cstdint>
#include <vector>

namespace cunbo {

class SkinSmoothing {
 public:
  static constexpr int kMaxLevel = 10;

  // Smooths `height` rows of `width` samples, `stride` bytes apart; level 1..kMaxLevel (0: nothing).
  void apply(uint8_t* luma, int stride, int width, int height, int level);

  [[nodiscard]] static int radius(int level);                      // of the box blur, 1..3
  [[nodiscard]] static int threshold(int level) { return 1 + level; }  // t

 private:
  template <int R>
  void smooth(uint8_t* luma, int stride, int width, int height, int threshold);

  // Scratch, kept between pictures of one size.
  std::vector<uint8_t> padded_;     // the luma with R samples of its edge repeated around it
  std::vector<uint16_t> columns_;   // per padded column, the sum of the 2R+1 rows around the current one
  std::vector<uint8_t> clamped_;    // three rows of the clamped picture, one sample of edge each side
};

}  // namespace cunbo
