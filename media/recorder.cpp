#include "media/recorder.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "media/thread_name.h"
#include "media/utf8_path.h"

namespace cunbo {

namespace {

const char* muxer_name(RecordingContainer container) {
  switch (container) {
    case RecordingContainer::mp4:
      return "mp4";
    case RecordingContainer::flv:
      return "flv";
    case RecordingContainer::matroska:
      break;
  }
  return "matroska";
}

}  // namespace

std::optional<RecordingContainer> recording_container(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".mkv") return RecordingContainer::matroska;
  if (extension == ".mp4") return RecordingContainer::mp4;
  if (extension == ".flv") return RecordingContainer::flv;
  return std::nullopt;
}

Recorder::Recorder(std::string path, RecordingContainer container, av::OutputFormat format, FileSync sync)
    : path_(std::move(path)), container_(container), format_(std::move(format)), sync_(std::move(sync)) {}

Recorder::~Recorder() {
  close();
}

std::variant<std::unique_ptr<Recorder>, RecorderError> Recorder::create(const std::string& path) {
  av::initialise();
  const RecordingContainer container = recording_container(path).value_or(RecordingContainer::matroska);
  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, muxer_name(container), path.c_str());
  if (err < 0) return RecorderError{path, err, std::string("no muxer for ") + muxer_name(container)};
  av::OutputFormat format(raw);
  err = avio_open(&format->pb, ("file:" + path).c_str(), AVIO_FLAG_WRITE);
  if (err < 0) return RecorderError{path, err, "cannot create the file: " + av::error_string(err)};
  // Flushing works on the file, whichever handle names it: FFmpeg keeps its own.
  FileSync sync(path);
  if (!sync.usable()) spdlog::warn("[recorder] {} cannot be synced to the disk: {}", path, sync.problem());
  return std::unique_ptr<Recorder>(new Recorder(path, container, std::move(format), std::move(sync)));
}

std::string Recorder::open(const std::vector<EncodedStream>& streams) {
  for (const EncodedStream& s : streams) {
    AVStream* st = avformat_new_stream(format_.get(), nullptr);
    if (!st || avcodec_parameters_copy(st->codecpar, s.params) < 0) return "cannot add a stream to the recording";
    st->time_base = s.time_base;
    if (s.frame_rate.num > 0) st->avg_frame_rate = st->r_frame_rate = s.frame_rate;  // players read it
    source_time_bases_.push_back(s.time_base);
    if (s.params->codec_type == AVMEDIA_TYPE_VIDEO) video_index_ = st->index;
  }
  av::Dictionary opts;
  switch (container_) {
    case RecordingContainer::matroska:
      // Short clusters, each flushed to disk when it closes: what a crash can lose is bounded.
      opts.set("cluster_time_limit", "250");
      opts.set("cluster_size_limit", "1048576");
      break;
    case RecordingContainer::mp4:
      // Fragmented: the header holds no sample index, each fragment (at a keyframe, or 250 ms
      // at most) carries its own, so the file plays without the trailer a crash never writes.
      opts.set("movflags", "frag_keyframe+empty_moov+default_base_moof");
      opts.set("frag_duration", "250000");
      break;
    case RecordingContainer::flv:
      break;  // every tag stands on its own
  }
  format_->flags |= AVFMT_FLAG_FLUSH_PACKETS;
  int err = avformat_write_header(format_.get(), opts.address());
  if (err < 0) return "cannot write the recording's header: " + av::error_string(err);
  opened_ = true;
  spdlog::info("[recorder] recording to {} ({})", path_, muxer_name(container_));
  return {};
}

void Recorder::start() {
  if (!opened_ || thread_.joinable()) return;
  thread_ = std::thread([this] {
    name_this_thread("recorder");
    run();
  });
}

void Recorder::push(const AVPacket& packet) {
  av::Packet copy = av::ref_packet(&packet);
  if (!copy) return;
  std::lock_guard lock(mutex_);
  if (closing_ || failed_.load()) return;
  // The disk cannot keep up: never stall the encoders. Whole GOPs of video go (from the packet
  // that found the queue full to the next keyframe that finds room), so the recording has a gap
  // in the picture, never a torn one; the sound is kept unless even it cannot fit.
  const bool video = packet.stream_index == video_index_;
  if (video && skipping_gop_) {
    if ((packet.flags & AV_PKT_FLAG_KEY) && queued_bytes_ + copy->size <= kMaxQueuedBytes / 2) {
      skipping_gop_ = false;
      spdlog::warn("[recorder] the disk caught up: the picture resumes at {:.3f} s",
                   static_cast<double>(packet.pts) * av_q2d(source_time_bases_[static_cast<size_t>(video_index_)]));
    } else {
      packets_dropped_.fetch_add(1);
      return;
    }
  }
  const int64_t limit = video ? kMaxQueuedBytes : kMaxQueuedBytes + kAudioReserveBytes;
  if (queued_bytes_ + copy->size > limit) {
    if (packets_dropped_.fetch_add(1) == 0 || (video && !skipping_gop_))
      spdlog::error("[recorder] the disk is too slow: {} dropped until the next keyframe that fits",
                    video ? "the picture is" : "packets are");
    if (video) skipping_gop_ = true;
    return;
  }
  queued_bytes_ += copy->size;
  queue_.push_back(std::move(copy));
  cv_.notify_one();
}

void Recorder::run() {
  for (;;) {
    av::Packet packet;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) break;  // closing and drained
      if (closing_ && std::chrono::steady_clock::now() > close_deadline_) {
        // A disk this slow would hold the host's Ctrl-C up: the last seconds go, the file is
        // finalised with everything before them.
        spdlog::error("[recorder] the disk is too slow to take the last {} packets in time; finalising without them",
                      queue_.size());
        packets_dropped_.fetch_add(static_cast<int64_t>(queue_.size()));
        queue_.clear();
        queued_bytes_ = 0;
        break;
      }
      packet = std::move(queue_.front());
      queue_.pop_front();
      queued_bytes_ -= packet->size;
    }
    if (!failed_.load()) write(*packet);
  }
  finalise();
}

void Recorder::finalise() {
  int err = av_write_trailer(format_.get());  // flushes what it wrote
  if (err >= 0) sync();
  if (err < 0) spdlog::error("[recorder] cannot finalise {}: {}", path_, av::error_string(err));
  else spdlog::info("[recorder] finalised {} ({} bytes)", path_, avio_size(format_->pb));
  format_.reset();
}

void Recorder::write(AVPacket& packet) {
  const auto index = static_cast<size_t>(packet.stream_index);
  if (index >= source_time_bases_.size()) return;
  const int64_t end_us = packet.pts == AV_NOPTS_VALUE ? -1
                                                     : av_rescale_q(packet.pts + packet.duration, source_time_bases_[index],
                                                                    AVRational{1, 1'000'000});
  av_packet_rescale_ts(&packet, source_time_bases_[index], format_->streams[index]->time_base);
  const int size = packet.size;
  int err = av_interleaved_write_frame(format_.get(), &packet);
  if (err < 0) {
    // Typically a full disk. Stop recording; the trailer still makes what we have playable.
    failed_.store(true);
    spdlog::error("[recorder] writing {} failed, recording stopped: {}", path_, av::error_string(err));
    return;
  }
  bytes_written_.fetch_add(size);
  if (end_us > written_until_us_.load()) written_until_us_.store(end_us);
  sync_if_due();
}

void Recorder::sync_if_due() {
  if (written_until_us_.load() - synced_until_us_.load() >= kSyncIntervalUs) sync();
}

// Every packet already reached the file (AVFMT_FLAG_FLUSH_PACKETS): only the system's cache
// stands between it and the disk.
void Recorder::sync() {
  if (!sync_.usable()) return;
  const int64_t written = written_until_us_.load();
  if (sync_.flush()) {
    synced_until_us_.store(written);
    return;
  }
  // Said once: the recording goes on, as safe as the system's own write-back makes it.
  spdlog::warn("[recorder] {} cannot be synced to the disk, no longer trying: {}", path_, sync_.problem());
}

void Recorder::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    closing_ = true;
    close_deadline_ = std::chrono::steady_clock::now() + kCloseDrain;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  else if (opened_ && format_) run();  // opened, never started: what was pushed, then the trailer
  format_.reset();  // not opened: just close the file
}

void Recorder::discard() {
  close();
  sync_ = FileSync();  // no handle of ours left (Windows removes an open file only once it closes)
  std::error_code ec;
  std::filesystem::remove(utf8_path(path_), ec);
}

}  // namespace cunbo
