// HttpServer: one listening socket, one epoll event loop per core, non-blocking sockets, a
// small worker pool for routes that may take long. See src/server/README.md for why this is
// not a thread per connection.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <thread>

#include "server/http.h"
#include "server/http_loop.h"

namespace getihu::server {

struct HttpServer::Impl {
  ServerShared shared;
  std::vector<std::unique_ptr<EventLoop>> loops;

  Impl(const Router& router, HttpLimits limits) : shared(router, std::move(limits)) {
    int n = std::max(1, shared.limits.event_loops > 0
                            ? shared.limits.event_loops
                            : static_cast<int>(std::thread::hardware_concurrency()));
    for (int i = 0; i < n; ++i) {
      loops.push_back(std::make_unique<EventLoop>(shared, i));
      shared.loops.push_back(loops.back().get());
    }
  }
  ~Impl() {
    if (shared.listen_fd >= 0) ::close(shared.listen_fd);
  }
};

int HttpServer::HandlerThreads(const HttpLimits& limits) {
  int loops = limits.event_loops > 0 ? limits.event_loops
                                     : static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, loops) + std::max(1, limits.worker_threads);
}

HttpServer::HttpServer(const Router& router, HttpLimits limits)
    : impl_(std::make_unique<Impl>(router, std::move(limits))) {}

HttpServer::~HttpServer() { Stop(); }

namespace {

// Lets this process keep max_connections sockets open (the soft limit is often 1024).
void RaiseFileLimit(int connections) {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return;
  rlim_t want = static_cast<rlim_t>(connections) + 1024;
  if (r.rlim_cur >= want || r.rlim_cur == RLIM_INFINITY) return;
  r.rlim_cur = r.rlim_max == RLIM_INFINITY ? want : std::min(want, r.rlim_max);
  (void)::setrlimit(RLIMIT_NOFILE, &r);
}

}  // namespace

base::Status HttpServer::Bind(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  std::string where = host + ":" + std::to_string(port);
  if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0) {
    return base::Unavailable("无法监听 " + where + "（地址无效）");
  }
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // SO_REUSEADDR for quick restarts; never SO_REUSEPORT, which would let a second server
    // bind a port in use and silently share its connections.
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 4096) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) {
    return base::Unavailable(port == 0 ? "无法在 " + host + " 上监听任何端口"
                                       : "无法监听 " + where + "（端口被占用或地址无效）");
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (impl_->shared.listen_fd >= 0) ::close(impl_->shared.listen_fd);
  impl_->shared.listen_fd = fd;
  RaiseFileLimit(impl_->shared.limits.max_connections);
  return base::OkStatus();
}

void HttpServer::Serve() {
  ServerShared& s = impl_->shared;
  if (s.listen_fd < 0 || s.stopping.load()) return;
  s.workers.Start(std::max(1, s.limits.worker_threads));
  for (auto& loop : impl_->loops) loop->Listen(s.listen_fd);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < impl_->loops.size(); ++i) {
    threads.emplace_back([loop = impl_->loops[i].get()] { loop->Run(); });
  }
  impl_->loops[0]->Run();
  for (std::thread& t : threads) t.join();
  s.workers.Stop();  // requests in the workers finish; their replies are dropped
  for (auto& loop : impl_->loops) loop->CloseAll();
}

void HttpServer::Stop() {
  if (!impl_) return;
  impl_->shared.stopping.store(true);
  for (EventLoop* loop : impl_->shared.loops) loop->Wake();
}

}  // namespace getihu::server
