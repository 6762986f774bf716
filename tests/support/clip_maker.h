// Writes test clips with libavformat/libavcodec (never the ffmpeg CLI): the kinds of file and
// camera stream a host feeds the studio. Frames carry the marks of clip_marks.h.
#pragma once

#include <filesystem>

namespace cunbo::test {

struct ClipSpec {
  enum class VideoCodec {
    mjpeg,    // what most USB webcams send, and many phones record
    yuyv422,  // raw YUYV 4:2:2, a webcam's uncompressed mode
  };
  VideoCodec video = VideoCodec::mjpeg;
  int width = 640;
  int height = 480;
  int fps = 30;
  int frame_count = 30;
  // Every frame the same textured, coloured picture (smooth gradients and a few hard edges)
  // instead of the gray ramp of clip_marks.h: two recordings of it match wherever the studio
  // drew nothing, whatever moment each frame was captured.
  bool still_picture = false;
  // The still picture's luma, in percent of its own (35: a room too dark for the camera).
  int still_luma_percent = 100;

  bool with_audio = false;  // a PCM track lasting exactly as long as the video
  int sample_rate = 48000;
  int channels = 2;
  double tone_hz = 440;
  double tone_amplitude = 0.5;  // peak, of full scale
};

// The container follows the extension (.mkv, .avi, .nut…). Throws std::runtime_error on failure.
void make_clip(const std::filesystem::path& path, const ClipSpec& spec);

// A 1280x720 webcam clip at `path` (its folder made): the gray ramp, or the still picture.
inline std::filesystem::path make_720p_clip(const std::filesystem::path& path, bool still_picture) {
  std::filesystem::create_directories(path.parent_path());
  ClipSpec spec;
  spec.width = 1280;
  spec.height = 720;
  spec.still_picture = still_picture;
  make_clip(path, spec);
  return path;
}

}  // namespace cunbo::test
