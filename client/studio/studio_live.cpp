// Going live and ending, on the studio's worker thread: the session's options (from the config
// and the window's toggles, or as a command line resolved them), the platform's live session,
// the session created and started; at the end the session stopped and joined, its summary kept.
#include <spdlog/spdlog.h>

#include "client/base/exit_codes.h"
#include "client/base/strings.h"
#include "client/session/uplink_memory.h"
#include "client/studio/session_setup.h"
#include "client/studio/studio_impl.h"

namespace cunbo {

void Studio::Impl::fail_start(SessionError error) {
  spdlog::warn("[studio] not live: {}", error.message);
  const std::lock_guard lock(mutex);
  state = StudioState::idle;
  end_requested = false;
  message = error.message;
  failure = std::move(error);
  if (!idle) post([this] { open_preview(); });  // the preview comes back (it was let go, or never ran)
}

std::variant<SessionOptions, SessionError> Studio::Impl::options_from_config(bool practice_on, bool record_on) {
  Config cfg;
  {
    const std::lock_guard lock(mutex);
    cfg = config;
  }
  SessionOptions so;
  CaptureFlags flags;
  flags.video = options.video_spec;
  flags.audio = options.audio_spec;
  flags.overlay_painter = options.overlay_painter;
  auto resolved = resolve_capture_flags(flags, cfg, so);
  if (auto* err = std::get_if<SessionError>(&resolved)) return *err;
  so.mirror_preview = preview_mirrored(cfg);  // the window's preview
  so.practice = practice_on;
  if (!practice_on) {
    auto configured = config_destinations(cfg);
    if (auto* err = std::get_if<SessionError>(&configured)) return *err;
    so.destinations = std::move(std::get<std::vector<Destination>>(configured));
    so.ca_file = cfg.ca_file.value_or("");
    so.second_encode = cfg.second_encode.value_or(false);
    so.uplink_memory = UplinkMemory::default_file();
  }
  if (practice_on || record_on) {
    auto path = choose_recording_path(std::nullopt, cfg, practice_on ? "practice" : "live");
    if (auto* err = std::get_if<SessionError>(&path)) return *err;
    so.recording = std::get<std::filesystem::path>(path);
  }
  so.event_log = so.recording.empty() ? unrecorded_event_log("live")
                                      : std::filesystem::path(so.recording.string() + ".events.jsonl");
  return so;
}

void Studio::Impl::start_live(std::optional<SessionOptions> given) {
  bool practice_on = false;
  bool record_on = true;
  bool platform = false;
  {
    const std::lock_guard lock(mutex);
    practice_on = practice;
    record_on = record;
    platform = feed_is_platform;
  }
  const bool from_config = !given;
  SessionOptions so;
  if (given) {
    so = std::move(*given);
  } else {
    auto made = options_from_config(practice_on, record_on);
    if (auto* err = std::get_if<SessionError>(&made)) return fail_start(std::move(*err));
    so = std::move(std::get<SessionOptions>(made));
  }

  // A platform hands out where to push; its address goes first.
  bool platform_session = false;
  std::optional<std::string> warning;
  if (platform && feed && !so.practice) {
    PlatformSessionOutcome outcome = start_platform_session(*feed, so.destinations);
    if (outcome.error) {
      if (from_config && outcome.error->exit_code == exit_code::kLoginRequired)
        outcome.error->message = tr("studio.login_required");
      return fail_start(std::move(*outcome.error));
    }
    warning = outcome.warning;
    platform_session = !outcome.warning;
  }
  if (!so.practice && so.destinations.empty()) {
    if (platform_session) feed->end_session();
    return fail_start(SessionError{exit_code::kUsage, tr("studio.no_destination")});
  }

  // Practice in the window: made-up buyers only while practising, the panel empty at the start.
  if (from_config && so.practice) {
    practice_feed = practice_session_feed();
    orders.clear();
  }
  so.showcase = &showcase;
  so.orders = &orders;
  so.platform = practice_feed ? practice_feed.get() : feed.get();
  so.images = &images;
  if (!so.overlay_painter) so.overlay_painter = options.overlay_painter;
  // The planned duration passed: the session ends as if the host had pressed 结束直播.
  so.on_media_end = [this] {
    const std::lock_guard lock(mutex);
    if (state != StudioState::live) return;
    state = StudioState::ending;
    post([this] { finish_live(); });
  };

  // In the window a camera or microphone that cannot be opened (unplugged, busy) does not stop
  // the host from going live: viewers see the slate and hear silence until it opens (tried every
  // second). The command line (options given) refuses it: the host typed the device.
  if (from_config) so.wait_for_devices = true;
  // The idle preview's camera and microphone go on into the session when they are the ones it
  // asks for (nothing reopened); others are let go first: a camera opens once.
  if (rig) {
    auto wanted = capture_rig_options(so);
    if (auto* w = std::get_if<CaptureRigOptions>(&wanted); w && rig->serves(*w)) so.capture = rig;
    else close_preview(true);
  }
  {
    const std::lock_guard lock(mutex);
    so.requested_at = go_live_at;
  }

  auto created = Session::create(so);
  if (auto* err = std::get_if<SessionError>(&created)) {
    if (platform_session) feed->end_session();  // the platform's live room closes again
    practice_feed.reset();
    return fail_start(std::move(*err));
  }
  std::shared_ptr<Session> s = std::move(std::get<std::unique_ptr<Session>>(created));
  close_preview(false);  // the session takes the rig's next frames
  s->start();
  {
    const std::lock_guard lock(forward_mutex);
    forward_to = s;
  }
  uint64_t generation = 0;
  {
    const std::lock_guard lock(mutex);
    generation = feed_generation;
    totals_from = s->orders_at_start();  // the panel counts this session's orders, as its summary will
  }
  // Started with the session: its orders and comments belong to this recording.
  for (PlatformFeed* session_feed : {feed_per_session ? feed.get() : nullptr, practice_feed.get()})
    if (session_feed) session_feed->start([this, generation](const FeedEvent& event) { on_feed_event(generation, event); });
  bool end_now = false;
  {
    const std::lock_guard lock(mutex);
    session = s;
    state = StudioState::live;
    if (warning) message = *warning;
    end_now = end_requested;
    if (end_now) state = StudioState::ending;
  }
  spdlog::info("[studio] live ({})", so.practice ? "practice" : "stream");
  if (end_now) finish_live();
}

void Studio::Impl::finish_live() {
  std::shared_ptr<Session> s;
  {
    const std::lock_guard lock(mutex);
    s = session;
    state = StudioState::ending;
  }
  if (!s) return;
  // Shutdown order: the session stops getting the feed's events (orders after the end belong
  // to no recording); a platform's live room closes with the stream and a feed that came for
  // this session stops; then the session ends its media and shuts down in order (the recording
  // and the summary are final when join() returns).
  {
    const std::lock_guard lock(forward_mutex);
    forward_to.reset();
  }
  if (feed) {
    feed->end_session();
    if (feed_per_session) {
      feed->request_stop();
      feed->join();
    }
  }
  if (practice_feed) {  // practice's made-up buyers leave with the session
    practice_feed->request_stop();
    practice_feed->join();
    practice_feed.reset();
  }
  s->request_stop();
  s->join();
  const SessionStats stats = s->stats();
  bool refresh_feed = false;
  {
    const std::lock_guard lock(mutex);
    session.reset();
    state = StudioState::idle;
    end_requested = false;
    last_summary = s->summary();
    last_stats = stats;
    refresh_feed = feed_stale;
  }
  spdlog::info("[studio] session ended after {:.1f} s", s->summary().duration_s);
  s.reset();  // the pipeline's last parts go here, on the worker
  if (refresh_feed) replace_feed();
  open_preview();
}

}  // namespace cunbo
