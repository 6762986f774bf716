#include "media/tcp_probe.h"

#include <memory>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#endif

namespace cunbo {

namespace {

#ifdef _WIN32
using Socket = SOCKET;
constexpr Socket kNoSocket = INVALID_SOCKET;
void close_socket(Socket s) { closesocket(s); }

// Starts a non-blocking connect: 0 when connected already, "in progress", or an error.
enum class Started { connected, pending, failed };
Started start_connect(Socket s, const addrinfo& a, int& error) {
  u_long non_blocking = 1;
  ioctlsocket(s, FIONBIO, &non_blocking);
  if (connect(s, a.ai_addr, static_cast<int>(a.ai_addrlen)) == 0) return Started::connected;
  error = WSAGetLastError();
  return error == WSAEWOULDBLOCK ? Started::pending : Started::failed;
}
bool refused(int error) { return error == WSAECONNREFUSED; }
int wait_writable(Socket s, int timeout_ms) {
  WSAPOLLFD p{s, POLLWRNORM, 0};
  return WSAPoll(&p, 1, timeout_ms);
}
int pending_error(Socket s) {
  int error = 0;
  int length = sizeof error;
  getsockopt(s, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&error), &length);
  return error;
}
Socket open_socket(const addrinfo& a) { return socket(a.ai_family, a.ai_socktype, a.ai_protocol); }
#else
using Socket = int;
constexpr Socket kNoSocket = -1;
void close_socket(Socket s) { ::close(s); }

enum class Started { connected, pending, failed };
Started start_connect(Socket s, const addrinfo& a, int& error) {
  if (::connect(s, a.ai_addr, a.ai_addrlen) == 0) return Started::connected;
  error = errno;
  return error == EINPROGRESS ? Started::pending : Started::failed;
}
bool refused(int error) { return error == ECONNREFUSED; }
int wait_writable(Socket s, int timeout_ms) {
  pollfd p{s, POLLOUT, 0};
  return ::poll(&p, 1, timeout_ms);
}
int pending_error(Socket s) {
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(s, SOL_SOCKET, SO_ERROR, &error, &length);
  return error;
}
Socket open_socket(const addrinfo& a) {
  return ::socket(a.ai_family, a.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a.ai_protocol);
}
#endif

}  // namespace

TcpReach probe_tcp(const std::string& host, int port, int timeout_ms) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || !found)
    return TcpReach::no_such_host;
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
  TcpReach result = TcpReach::refused;
  for (const addrinfo* a = found; a; a = a->ai_next) {
    const Socket s = open_socket(*a);
    if (s == kNoSocket) continue;
    int error = 0;
    Started started = start_connect(s, *a, error);
    if (started == Started::pending) {
      if (wait_writable(s, timeout_ms) == 1) {
        error = pending_error(s);
        started = error == 0 ? Started::connected : Started::failed;
      } else {
        error = 0;  // no answer in time
      }
    }
    close_socket(s);
    if (started == Started::connected) return TcpReach::reached;
    result = started == Started::failed && refused(error) ? TcpReach::refused : TcpReach::timeout;
  }
  return result;
}

}  // namespace cunbo
