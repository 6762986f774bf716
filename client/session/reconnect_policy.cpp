#include "client/session/reconnect_policy.h"

namespace cunbo {

void ReconnectPolicy::on_connect_failed(int64_t now_us, Failure why) {
  ++failures_;
  // A network failure says nothing about the key, and it breaks the row: only refusals met on
  // consecutive attempts count, so a flaky server is not mistaken for a wrong key.
  refusals_in_a_row_ = why == Failure::kPublishRefused ? refusals_in_a_row_ + 1 : 0;
  if (refusals_in_a_row_ >= kRefusalsMeaningKeyRejected) {
    key_rejected_ = true;
    return;
  }
  // A certificate that does not verify will not verify in a second either: the longest wait.
  if (why == Failure::kUntrusted) {
    (void)backoff_.on_retry_after(now_us, kMaxDelayUs);
    return;
  }
  (void)backoff_.on_failure(now_us);
}

void ReconnectPolicy::reset() {
  backoff_.on_success();
  failures_ = 0;
  refusals_in_a_row_ = 0;
  key_rejected_ = false;
}

void ReconnectPolicy::reconnect_now(int64_t now_us) {
  backoff_.retry_now(now_us);
  refusals_in_a_row_ = 0;
  key_rejected_ = false;
}

}  // namespace cunbo
