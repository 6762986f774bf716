// Can a server be reached at all? One TCP connection attempt per address the name resolves
// to, each bounded by a timeout, through the system's sockets (BSD sockets; Winsock on
// Windows, which FFmpeg's avformat_network_init has started).
#pragma once

#include <string>

namespace cunbo {

enum class TcpReach { reached, no_such_host, refused, timeout };

[[nodiscard]] TcpReach probe_tcp(const std::string& host, int port, int timeout_ms);

}  // namespace cunbo
