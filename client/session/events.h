// Every event a session writes to its event log (<recording>.events.jsonl), declared in one
// place. Each becomes one JSON line: {"t": seconds since the session started, "event": name,
// ...fields}; the session report, the benchmarks and the tests read them. Never a secret in
// here: URLs are masked, buyers and viewers are not logged at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace cunbo::event {

// The pipeline is assembled: what is encoded and where it goes.
struct Encoder {
  int video_encoders = 1;  // one encode fanned out to every destination
  int width = 0;
  int height = 0;
  int fps = 0;
  int kbps = 0;
  size_t destinations = 0;
  bool recording = false;
};

// What the session starts on: the studio's camera and microphone, running already ("reused":
// nothing reopened), or its own, opened for it; and how long after the host asked to go live
// its first picture was captured (its time 0; a running camera's picture of the moment may be
// a few ms older than the click; null when the asker gave no time).
struct Sources {
  bool reused = false;
  std::optional<double> since_request_ms;
};

// A destination's state as the host is told it ("state": connecting / live / congested /
// reconnecting / key_rejected / stopped). Before each attempt without a reason; after a
// failure with it, and with the attempt number and the wait while reconnecting.
struct DestinationState {
  size_t dest = 0;  // 1-based
  std::string url;  // masked
  std::string state;
  std::optional<std::string> reason;
  std::optional<int> attempt;
  std::optional<double> retry_in_s;
};

// Twice a second per destination: its send queue and throughput.
struct Queue {
  size_t dest = 0;
  int64_t ms = 0;
  int kbps = 0;
  std::string state;
};

// The drop policy threw video away (the running total).
struct Drops {
  size_t dest = 0;
  int64_t count = 0;
};

// The send queue reached StreamOutput::kMaxQueueMs: what was queued was thrown away and the
// stream resumes at the next keyframe (the running totals).
struct Skip {
  size_t dest = 0;
  int64_t count = 0;
  double skipped_s = 0;
};

// The encoder's bitrate changed (adaptive bitrate).
struct Bitrate {
  int kbps = 0;
};

// The encoder's frame rate changed: below its bitrate floor the link gets fewer frames, evenly.
struct FrameRate {
  int fps = 0;
};

// A destination far slower than the others got its own encode ("started"), its rate changed
// ("rate"), or it went back to the shared one ("ended").
struct OwnEncode {
  size_t dest = 0;
  std::string state;
  int kbps = 0;
};

struct Order {
  std::string id;
  std::string product_id;
  int quantity = 0;
  int64_t amount_cents = 0;
  std::string currency;
};

struct Comment {
  std::string id;
  std::string text;
};

// The platform feed's state (connecting / online / offline_retrying / login_required / stopped).
struct Feed {
  std::string state;
};

// The card on the picture: a product, or none (product_id null).
struct Showcase {
  std::optional<std::string> product_id;
};

// A card asked for (--showcase) that the product list does not have.
struct ShowcaseMissing {
  std::string product_id;
};

// At the end, per destination.
struct DestinationSummary {
  size_t dest = 0;
  int64_t connections = 0;
  int64_t drops = 0;
  int64_t bytes = 0;
  int64_t latency_p50_ms = -1;
  int64_t latency_p95_ms = -1;
  bool key_rejected = false;
};

// The media ended: the recording's length and frames.
// Something on the host's own computer: "what" camera / mic / recording, "state" lost / back
// (devices, reopened every second) or failed (the recording: the disk is full or gone, with
// how much of the session the file holds).
struct Local {
  std::string what;
  std::string state;
  std::optional<double> recorded_until_s;
};

struct Finished {
  double end_s = 0;
  int64_t frames = 0;
  int64_t dropped = 0;
};

using Event = std::variant<Encoder, Sources, DestinationState, Queue, Drops, Skip, Bitrate, FrameRate, OwnEncode, Order,
                           Comment, Feed, Showcase, ShowcaseMissing, DestinationSummary, Local, Finished>;

}  // namespace cunbo::event
