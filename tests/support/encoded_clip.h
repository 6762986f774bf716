// Pictures and sound made up in memory, and clips encoded from them by the studio's own
// encoders (libx264, AAC): what the recorder and the fan-out are fed in a session, without a
// camera or a microphone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "media/audio_encoder.h"
#include "media/av.h"
#include "media/encoder_settings.h"
#include "media/packet_sink.h"
#include "media/recorder.h"
#include "media/session_clock.h"
#include "media/video_encoder.h"
#include "tests/support/packet_collector.h"

namespace cunbo::test {

enum class PictureKind {
  moving,  // a gradient with a bright square sliding across: compresses like a camera picture
  noise,   // fresh random samples every frame: costs whatever bitrate the encoder is given
};

// A writable yuv420p picture (limited range); `index` moves the square / seeds the noise.
[[nodiscard]] av::Frame make_picture(int width, int height, int index, PictureKind kind = PictureKind::moving);

// A writable yuv420p picture of one luma (chroma neutral).
[[nodiscard]] av::Frame make_flat_picture(int width, int height, uint8_t luma);

// `samples` of a sine as planar float, `channels` channels, starting at sample `first_sample`
// of the tone (so consecutive frames join without a click).
[[nodiscard]] av::Frame make_tone(int samples, int sample_rate, int channels, int64_t first_sample, double hz = 440,
                                  double amplitude = 0.5);

// The small, fast settings the unit tests encode with (320x180, 30 fps).
[[nodiscard]] VideoSettings small_video_settings(int bitrate_kbps = 600);

// The encoders in an encoded clip must live as long as the streams' parameters are used.
struct EncodedClip {
  static constexpr int kVideoStream = 0;
  static constexpr int kAudioStream = 1;

  std::unique_ptr<VideoEncoder> video;
  std::unique_ptr<AudioEncoder> audio;  // null when the clip has no sound
  std::vector<PacketRecord> video_packets;
  std::vector<PacketRecord> audio_packets;

  [[nodiscard]] std::vector<EncodedStream> streams() const;
  // Video and audio packets merged by decode time, as the two encoder threads of a session
  // produce them.
  [[nodiscard]] std::vector<PacketRecord> in_time_order() const;
  [[nodiscard]] int64_t total_bytes() const;
};

struct ClipOptions {
  VideoSettings video = small_video_settings();
  double seconds = 2;
  PictureKind picture = PictureKind::moving;
  bool with_audio = true;
};

// Encodes the clip (throws std::runtime_error if an encoder cannot be opened).
[[nodiscard]] EncodedClip encode_clip(const ClipOptions& options);

// Pushes a copy of every packet to `sink`, in order.
void push_all(PacketSink& sink, const std::vector<PacketRecord>& packets);
// The same at the pace an encoder produces them: each packet when `clock` reaches `start_us`
// plus its decode time (a producer's pace, as a camera's; not a wait for a result). Stops
// early, returning false, when `keep_going` says so.
bool push_paced(PacketSink& sink, const std::vector<PacketRecord>& packets, const SessionClock& clock,
                int64_t start_us, const std::function<bool()>& keep_going = {});

// A Recorder writing `path`, opened on `streams`; null (and the current test failed, saying
// why) when it cannot be created or opened.
[[nodiscard]] std::unique_ptr<Recorder> start_recording(const std::filesystem::path& path,
                                                        const std::vector<EncodedStream>& streams);

}  // namespace cunbo::test
