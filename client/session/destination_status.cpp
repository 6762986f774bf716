#include "client/session/destination_status.h"

namespace cunbo {

const char* to_string(OutputState state) {
  switch (state) {
    case OutputState::connecting: return "connecting";
    case OutputState::live: return "live";
    case OutputState::congested: return "congested";
    case OutputState::reconnecting: return "reconnecting";
    case OutputState::key_rejected: return "key_rejected";
    case OutputState::stopped: return "stopped";
  }
  return "unknown";
}

}  // namespace cunbo
