// Looks at a recording the way a viewer's player does: libavformat opens it, libavcodec
// decodes it. Nothing here trusts the program that wrote the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cunbo::test {

enum class StreamKind { video, audio, other };

struct StreamInfo {
  int index = -1;
  StreamKind kind = StreamKind::other;
  std::string codec;         // "h264", "aac", "mjpeg"…
  int profile = -1;          // FF_PROFILE_* (H.264 High = 100, AAC LC = 1)
  std::string profile_name;  // "High", "LC"
  int width = 0;
  int height = 0;
  std::string pix_fmt;    // "yuv420p"
  double frame_rate = 0;  // the frame rate a player assumes (libavformat's r_frame_rate)
  int video_delay = 0;    // frames of reordering the decoder needs (> 0 with B-frames)
  int sample_rate = 0;
  int channels = 0;
  int64_t bit_rate = 0;    // as declared, often 0 in Matroska
  double duration_s = -1;  // as declared, or -1
};

struct PacketInfo {
  int stream = -1;
  bool has_pts = false;
  double pts_s = 0;
  bool has_dts = false;
  double dts_s = 0;
  double duration_s = 0;
  bool keyframe = false;
  int size = 0;
};

struct MediaFile {
  std::string format;      // "matroska,webm"
  double duration_s = -1;  // the container's, or -1 when it has none (not finalised)
  std::vector<StreamInfo> streams;
  std::vector<PacketInfo> packets;  // all packets, in file order

  [[nodiscard]] const StreamInfo* first(StreamKind kind) const;
  [[nodiscard]] int count(StreamKind kind) const;
  [[nodiscard]] std::vector<PacketInfo> packets_of(int stream) const;
};

struct ProbeResult {
  std::optional<MediaFile> file;
  std::string error;  // why it could not be opened or read
};

// Opens the file and reads every packet (no decoding). A truncated file reads up to where
// it breaks; that is not an error.
[[nodiscard]] ProbeResult probe_media(const std::filesystem::path& path);

// Timing of a stream from its packets, in presentation order.
struct StreamTiming {
  int packets = 0;
  double first_pts_s = 0;
  double end_s = 0;                   // last pts + its duration
  double duration_s = 0;              // end_s - first_pts_s
  bool pts_monotonic = true;          // in file order, no pts at or before the previous one (no reordering)
  bool dts_monotonic = true;          // in file order, dts never goes back
  double largest_gap_s = 0;           // largest step between consecutive pts
  double packets_per_second = 0;      // measured: (packets - 1) / (last pts - first pts); fps for video
  std::vector<int> keyframe_indices;  // positions (in presentation order) of keyframes
};
[[nodiscard]] StreamTiming stream_timing(const MediaFile& file, int stream);

struct DecodedVideoFrame {
  double pts_s = 0;
  bool keyframe = false;
  char picture_type = '?';  // 'I', 'P', 'B'
  double mean_luma = 0;     // mean of the luma plane, in the file's own range
  // Gray thumbnail, kThumbWidth x kThumbHeight, row-major, whatever the frame's aspect; for
  // YUV frames each cell is the mean luma of its block, in the file's own range.
  std::vector<uint8_t> thumbnail;
  static constexpr int kThumbWidth = 64;
  static constexpr int kThumbHeight = 36;

  // Median of the thumbnail's central half (the middle 50% of each side): robust to
  // letterbox bars and to small overlays.
  [[nodiscard]] double center_luma() const;
};

struct DecodedVideo {
  std::vector<DecodedVideoFrame> frames;  // in presentation order
  int decode_errors = 0;
  std::string error;  // set when the file or the stream could not be opened
};

// Decodes the first video stream.
[[nodiscard]] DecodedVideo decode_video(const std::filesystem::path& path);

struct DecodedAudio {
  int sample_rate = 0;
  int channels = 0;
  double first_pts_s = 0;
  std::vector<float> samples;  // the first channel, as float in [-1, 1]
  int decode_errors = 0;
  std::string error;

  [[nodiscard]] double duration_s() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0;
  }
};

// Decodes the first audio stream.
[[nodiscard]] DecodedAudio decode_audio(const std::filesystem::path& path);

// Mean absolute difference of two thumbnails (0..255).
[[nodiscard]] double thumbnail_difference(const DecodedVideoFrame& a, const DecodedVideoFrame& b);

}  // namespace cunbo::test
