#include "client/studio/uplink_probe.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "client/base/strings.h"
#include "client/session/uplink_memory.h"
#include "client/studio/probe.h"
#include "media/av.h"
#include "media/session_clock.h"

namespace cunbo {

namespace {

constexpr int kWidth = 320;
constexpr int kHeight = 180;
constexpr int kPictures = 24;              // encoded once, sent in turn
constexpr int kStartKbps = 500;
constexpr int kHighestKbps = 20'000;       // beyond any preset's need
constexpr int64_t kDoublingUs = 1'000'000;
constexpr int64_t kHoldUs = 3'000'000;     // measured over this once the link is full
constexpr int64_t kLongestUs = 10'000'000;
constexpr int64_t kConnectWaitUs = 10'000'000;
constexpr int kFitPercent = 80;

struct ParamsDeleter {
  void operator()(AVCodecParameters* p) const noexcept { avcodec_parameters_free(&p); }
};

struct Clip {
  av::CodecContext context;
  std::unique_ptr<AVCodecParameters, ParamsDeleter> params;
  std::vector<av::Packet> pictures;
};

// Noisy intra-only pictures: each costs tens of kilobytes and any of them can start a stream.
std::optional<Clip> encode_pictures() {
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) return std::nullopt;
  Clip clip;
  clip.context.reset(avcodec_alloc_context3(codec));
  AVCodecContext& c = *clip.context;
  c.width = kWidth;
  c.height = kHeight;
  c.pix_fmt = AV_PIX_FMT_YUV420P;
  c.time_base = AVRational{1, 1000};
  c.framerate = AVRational{30, 1};
  c.gop_size = 1;
  c.max_b_frames = 0;
  c.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av::Dictionary opts;
  opts.set("preset", "ultrafast");
  opts.set("tune", "zerolatency");
  opts.set("qp", "24");
  if (avcodec_open2(&c, codec, opts.address()) < 0) return std::nullopt;
  clip.params.reset(avcodec_parameters_alloc());
  avcodec_parameters_from_context(clip.params.get(), &c);
  av::Frame frame = av::make_frame();
  frame->width = kWidth;
  frame->height = kHeight;
  frame->format = AV_PIX_FMT_YUV420P;
  if (av_frame_get_buffer(frame.get(), 0) < 0) return std::nullopt;
  uint32_t seed = 2463534242u;
  for (int i = 0; i < kPictures; ++i) {
    for (int plane = 0; plane < 3; ++plane) {
      const int h = plane ? kHeight / 2 : kHeight;
      const int w = plane ? kWidth / 2 : kWidth;
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
          seed ^= seed << 13;
          seed ^= seed >> 17;
          seed ^= seed << 5;
          frame->data[plane][y * frame->linesize[plane] + x] = static_cast<uint8_t>(64 + (seed & 127));
        }
    }
    frame->pts = i;
    if (avcodec_send_frame(&c, frame.get()) < 0) return std::nullopt;
    for (;;) {
      av::Packet packet = av::make_packet();
      if (avcodec_receive_packet(&c, packet.get()) < 0) break;
      clip.pictures.push_back(std::move(packet));
    }
  }
  if (clip.pictures.empty()) return std::nullopt;
  return clip;
}

// The preset's picture and sound fit in kFitPercent of the uplink.
bool fits(Quality quality, const UplinkResult& uplink) {
  return (video_settings_for(quality).bitrate_kbps + AudioSettings{}.bitrate_kbps) * 100 <= uplink.kbps * kFitPercent;
}

}  // namespace

UplinkResult probe_uplink(const Destination& destination, const std::string& ca_file,
                          std::function<void(float)> progress, std::stop_token stop) {
  const auto report = [&](float p) {
    if (progress) progress(p);
  };
  UplinkResult result;
  std::optional<Clip> clip = encode_pictures();
  if (!clip) {
    result.failure = OutputFailure::none;
    spdlog::error("[uplink] cannot make the test pictures");
    return result;
  }
  SessionClock clock;
  std::mutex mutex;
  std::condition_variable changed;
  std::optional<LinkEvent> outcome;
  StreamOutput output(StreamOutput::Options{destination.url, destination.display_url, 1, ca_file}, clock, [] {},
                      [&](const LinkEvent& e) {
                        if (e.kind == LinkEvent::Kind::connecting) return;
                        const std::lock_guard lock(mutex);
                        if (!outcome) outcome = e;
                        changed.notify_all();
                      });
  if (std::string error = output.open({EncodedStream{clip->params.get(), AVRational{1, 1000}, AVRational{0, 1}}});
      !error.empty()) {
    spdlog::error("[uplink] {}", error);
    return result;
  }
  output.start();
  output.connect();
  {
    std::unique_lock lock(mutex);
    changed.wait_until(lock, clock.at_us(clock.now_us() + kConnectWaitUs),
                       [&] { return outcome.has_value() || stop.stop_requested(); });
  }
  if (!outcome || outcome->kind != LinkEvent::Kind::connected) {
    result.failure = outcome ? outcome->why : OutputFailure::timeout;
    result.cancelled = stop.stop_requested();
    output.close();
    return result;
  }
  result.reached = true;
  spdlog::info("[uplink] publishing the test pattern to {}", destination.display_url);

  // Offer rising rates; the first second that the link takes clearly less than offered, hold.
  const int64_t start = clock.now_us();
  int64_t held_at = -1;
  int64_t held_bytes = 0;
  int offered_kbps = kStartKbps;
  double credit_bits = 0;
  int64_t last_us = start;
  int64_t check_at = start + kDoublingUs;
  int64_t bytes_at_check = 0;
  size_t next_picture = 0;
  while (!stop.stop_requested()) {
    const int64_t now = clock.now_us();
    if (now - start >= kLongestUs || (held_at >= 0 && now - held_at >= kHoldUs)) break;
    // Against the longest publish until the link is full; from there, the rest over the hold.
    const float ramp = static_cast<float>((held_at < 0 ? now : held_at) - start) / static_cast<float>(kLongestUs);
    report(held_at < 0 ? ramp : ramp + (1 - ramp) * static_cast<float>(now - held_at) / static_cast<float>(kHoldUs));
    credit_bits += static_cast<double>(offered_kbps) * 1000 * static_cast<double>(now - last_us) / 1e6;
    last_us = now;
    while (credit_bits > 0) {
      const av::Packet& picture = clip->pictures[next_picture++ % clip->pictures.size()];
      av::Packet copy = av::make_packet();
      av_packet_ref(copy.get(), picture.get());
      copy->pts = copy->dts = (now - start) / 1000;
      copy->stream_index = 0;
      output.push(*copy);
      credit_bits -= static_cast<double>(picture->size) * 8;
    }
    if (now >= check_at) {
      const int64_t sent = output.status().bytes_sent;
      const double carried_kbps = static_cast<double>(sent - bytes_at_check) * 8 / 1000 /
                                  (static_cast<double>(now - check_at + kDoublingUs) / 1e6);
      bytes_at_check = sent;
      check_at = now + kDoublingUs;
      if (held_at < 0 && carried_kbps < offered_kbps * 0.85) {
        held_at = now;  // the link is full: what it carries from here is the figure
        held_bytes = sent;
        result.saturated = true;
      } else if (held_at < 0) {
        offered_kbps = std::min(offered_kbps * 2, kHighestKbps);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const int64_t end = clock.now_us();
  const int64_t sent = output.status().bytes_sent;
  if (held_at >= 0 && end > held_at) {
    result.kbps = static_cast<int>(static_cast<double>(sent - held_bytes) * 8 / 1000 / (static_cast<double>(end - held_at) / 1e6));
  } else {
    result.kbps = static_cast<int>(static_cast<double>(sent) * 8 / 1000 / (static_cast<double>(end - start) / 1e6));
  }
  result.seconds = static_cast<double>(end - start) / 1e6;
  result.cancelled = stop.stop_requested();
  output.close();
  report(1.0f);
  spdlog::info("[uplink] {} kbit/s{} over {:.1f} s", result.kbps, result.saturated ? "" : " or more", result.seconds);
  return result;
}

void remember_uplink(const Destination& destination, const UplinkResult& uplink, const std::filesystem::path& file) {
  if (!uplink.reached || uplink.cancelled || uplink.kbps <= 0 || file.empty()) return;
  const int video_kbps = std::max(uplink.kbps - AudioSettings{}.bitrate_kbps, 0);
  UplinkMemory(file).remember(destination_host(destination.display_url), UplinkRecord{video_kbps, uplink.saturated});
}

Quality uplink_choice(const UplinkResult& uplink, Quality by_speed) {
  Quality chosen = Quality::smooth_480p;
  for (const Quality q : {Quality::smooth_480p, Quality::standard_720p, Quality::high_1080p}) {
    if (q > by_speed) break;
    if (fits(q, uplink)) chosen = q;
  }
  return chosen;
}

std::string uplink_summary(const UplinkResult& uplink, Quality chosen) {
  if (!uplink.reached && uplink.failure == OutputFailure::none) return tr("probe.uplink_failed");
  if (!uplink.reached) return tr("probe.uplink_unreached", tr(std::string("reason.") + to_string(uplink.failure)));
  const std::string speed = fmt::format("{:.1f}", uplink.kbps / 1000.0);
  if (!fits(chosen, uplink)) return tr("probe.uplink_slow", speed, quality_label(chosen));
  // The link took even the test's highest rate: it carries that much at least.
  return tr(uplink.saturated ? "probe.uplink_result" : "probe.uplink_result_more", speed, quality_label(chosen));
}

}  // namespace cunbo
