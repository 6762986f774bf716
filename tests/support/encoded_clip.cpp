#include "tests/support/encoded_clip.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>

#include <gtest/gtest.h>

namespace cunbo::test {
namespace {

av::Frame new_yuv420p(int width, int height) {
  av::Frame f = av::make_frame();
  f->format = AV_PIX_FMT_YUV420P;
  f->width = width;
  f->height = height;
  f->color_range = AVCOL_RANGE_MPEG;
  f->colorspace = AVCOL_SPC_SMPTE170M;
  if (av_frame_get_buffer(f.get(), 0) < 0) throw std::runtime_error("cannot allocate a picture");
  return f;
}

double seconds(int64_t ts, AVRational time_base) { return static_cast<double>(ts) * av_q2d(time_base); }

}  // namespace

av::Frame make_picture(int width, int height, int index, PictureKind kind) {
  av::Frame f = new_yuv420p(width, height);
  if (kind == PictureKind::noise) {
    std::mt19937 random(static_cast<unsigned>(index) * 7919u + 1u);
    std::uniform_int_distribution<int> sample(16, 235);
    for (int p = 0; p < 3; ++p) {
      const int w = p ? (width + 1) / 2 : width;
      const int h = p ? (height + 1) / 2 : height;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) f->data[p][y * f->linesize[p] + x] = static_cast<uint8_t>(sample(random));
    }
    return f;
  }
  constexpr int kSquare = 32;
  const int square_x = (index * 4) % std::max(1, width - kSquare);
  const int square_y = height / 2 - kSquare / 2;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const bool in_square = x >= square_x && x < square_x + kSquare && y >= square_y && y < square_y + kSquare;
      f->data[0][y * f->linesize[0] + x] = in_square ? uint8_t{235} : static_cast<uint8_t>(40 + (x + y) % 128);
    }
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < (height + 1) / 2; ++y)
      std::memset(f->data[p] + y * f->linesize[p], p == 1 ? 110 : 150, static_cast<size_t>((width + 1) / 2));
  return f;
}

av::Frame make_flat_picture(int width, int height, uint8_t luma) {
  av::Frame f = new_yuv420p(width, height);
  for (int y = 0; y < height; ++y) std::memset(f->data[0] + y * f->linesize[0], luma, static_cast<size_t>(width));
  for (int p = 1; p < 3; ++p)
    for (int y = 0; y < (height + 1) / 2; ++y)
      std::memset(f->data[p] + y * f->linesize[p], 128, static_cast<size_t>((width + 1) / 2));
  return f;
}

av::Frame make_tone(int samples, int sample_rate, int channels, int64_t first_sample, double hz, double amplitude) {
  av::Frame f = av::make_frame();
  f->format = AV_SAMPLE_FMT_FLTP;
  f->sample_rate = sample_rate;
  f->nb_samples = samples;
  av_channel_layout_default(&f->ch_layout, channels);
  if (av_frame_get_buffer(f.get(), 0) < 0) throw std::runtime_error("cannot allocate audio");
  for (int ch = 0; ch < channels; ++ch) {
    auto* out = reinterpret_cast<float*>(f->extended_data[ch]);
    for (int i = 0; i < samples; ++i)
      out[i] = static_cast<float>(
          amplitude * std::sin(2 * std::numbers::pi * hz * static_cast<double>(first_sample + i) / sample_rate));
  }
  return f;
}

VideoSettings small_video_settings(int bitrate_kbps) {
  VideoSettings s;
  s.width = 320;
  s.height = 180;
  s.fps = 30;
  s.bitrate_kbps = bitrate_kbps;
  return s;
}

std::vector<EncodedStream> EncodedClip::streams() const {
  std::vector<EncodedStream> out{video->stream()};
  if (audio) out.push_back(audio->stream());
  return out;
}

std::vector<PacketRecord> EncodedClip::in_time_order() const {
  std::vector<PacketRecord> all = video_packets;
  all.insert(all.end(), audio_packets.begin(), audio_packets.end());
  std::stable_sort(all.begin(), all.end(), [](const PacketRecord& a, const PacketRecord& b) {
    return seconds(a.dts, a.time_base) < seconds(b.dts, b.time_base);
  });
  return all;
}

int64_t EncodedClip::total_bytes() const {
  int64_t total = 0;
  for (const PacketRecord& p : video_packets) total += static_cast<int64_t>(p.data.size());
  for (const PacketRecord& p : audio_packets) total += static_cast<int64_t>(p.data.size());
  return total;
}

EncodedClip encode_clip(const ClipOptions& options) {
  EncodedClip clip;
  auto video = VideoEncoder::open(options.video, AVCOL_SPC_SMPTE170M, EncodedClip::kVideoStream);
  if (auto* error = std::get_if<std::string>(&video)) throw std::runtime_error(*error);
  clip.video = std::move(std::get<std::unique_ptr<VideoEncoder>>(video));

  PacketCollector video_out;
  const int frames = static_cast<int>(std::lround(options.seconds * options.video.fps));
  for (int i = 0; i < frames; ++i) {
    av::Frame picture = make_picture(options.video.width, options.video.height, i, options.picture);
    picture->pts = i;
    if (!clip.video->encode(*picture, video_out)) throw std::runtime_error("the video encoder failed");
  }
  clip.video->flush(video_out);
  clip.video_packets = video_out.packets();

  if (options.with_audio) {
    const AudioSettings settings;
    auto audio = AudioEncoder::open(settings, EncodedClip::kAudioStream);
    if (auto* error = std::get_if<std::string>(&audio)) throw std::runtime_error(*error);
    clip.audio = std::move(std::get<std::unique_ptr<AudioEncoder>>(audio));
    PacketCollector audio_out;
    clip.audio->connect(audio_out);
    clip.audio->set_origin(0);
    const auto end_us = static_cast<int64_t>(std::llround(options.seconds * 1e6));
    clip.audio->set_end(end_us);
    constexpr int kChunk = 480;  // 10 ms, what a PulseAudio source typically delivers
    const int64_t total = end_us * settings.sample_rate / 1'000'000;
    for (int64_t at = 0; at < total; at += kChunk) {
      av::Frame chunk = make_tone(kChunk, settings.sample_rate, settings.channels, at);
      clip.audio->push_frame(*chunk, at * 1'000'000 / settings.sample_rate);
    }
    clip.audio->finish();
    clip.audio_packets = audio_out.packets();
  }
  return clip;
}

void push_all(PacketSink& sink, const std::vector<PacketRecord>& packets) {
  for (const PacketRecord& record : packets) sink.push(*to_packet(record));
}

bool push_paced(PacketSink& sink, const std::vector<PacketRecord>& packets, const SessionClock& clock,
                int64_t start_us, const std::function<bool()>& keep_going) {
  for (const PacketRecord& record : packets) {
    const int64_t due = start_us + av_rescale_q(record.dts, record.time_base, AVRational{1, 1'000'000});
    std::this_thread::sleep_until(clock.at_us(due));
    if (keep_going && !keep_going()) return false;
    sink.push(*to_packet(record));
  }
  return true;
}

std::unique_ptr<Recorder> start_recording(const std::filesystem::path& path, const std::vector<EncodedStream>& streams) {
  auto created = Recorder::create(path.string());
  if (const auto* error = std::get_if<RecorderError>(&created)) {
    ADD_FAILURE() << "cannot create " << path << ": " << error->detail;
    return nullptr;
  }
  auto recorder = std::move(std::get<std::unique_ptr<Recorder>>(created));
  if (const std::string error = recorder->open(streams); !error.empty()) {
    ADD_FAILURE() << "cannot open the recording " << path << ": " << error;
    return nullptr;
  }
  recorder->start();
  return recorder;
}

}  // namespace cunbo::test
