#include "server/http_loop.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>

namespace getihu::server {

void WorkerPool::Start(int threads) {
  stop_ = false;
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      for (;;) {
        Task task;
        {
          std::unique_lock lock(mu_);
          cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
          if (queue_.empty()) return;
          task = std::move(queue_.front());
          queue_.pop_front();
        }
        task();
      }
    });
  }
}

bool WorkerPool::Submit(Task task, size_t max_queued) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queued) return false;
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

std::string HttpErrorJson(std::string_view code, std::string_view message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  // The message may quote the request (a path), which need not be valid UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct Connection {
  enum class State { kHead, kBody, kHandler, kWrite, kLinger, kClosed };

  uint64_t id = 0;
  int fd = -1;
  std::string remote_addr;
  State state = State::kHead;
  std::string in;      // received and not yet consumed
  size_t scanned = 0;  // how far the parser looked for the end of the head
  int served = 0;      // requests on this connection
  bool peer_closed = false;
  bool read_pending = true;  // the socket may hold unread bytes (edge-triggered epoll)
  int64_t deadline = 0;      // ms (steady clock) when the current state times out; 0: none
  int64_t head_started = 0;  // ms when the first byte of the current head came
  int64_t request_deadline = 0;
  uint64_t discarded = 0;  // bytes dropped while lingering

  // The request being received or handled.
  HttpRequest req;
  const Route* route = nullptr;
  bool keep_alive = true;
  bool is_head = false;
  bool http10 = false;
  uint64_t body_left = 0;
  int upload_fd = -1;

  // The response being sent: head and body, then the file in pieces.
  std::string out_head, out_body;
  size_t out_sent = 0;
  int file_fd = -1;
  uint64_t file_left = 0;

  ~Connection() {
    ReleaseFiles();
    if (fd >= 0) ::close(fd);
  }
  void ReleaseFiles() {
    if (upload_fd >= 0) {
      ::close(upload_fd);
      upload_fd = -1;
      ::unlink(req.body_file.c_str());
      req.body_file.clear();
    }
    if (file_fd >= 0) {
      ::close(file_fd);
      file_fd = -1;
    }
  }
};

namespace {

constexpr uint64_t kListenId = 0;
constexpr uint64_t kWakeId = 1;
constexpr size_t kReadChunk = 64 << 10;
constexpr int64_t kLingerMs = 2000;
constexpr uint64_t kMaxDiscard = 64 << 20;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string AddressText(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof text);
  } else if (addr.ss_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&a)) {
      ::inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof text);
    } else {
      ::inet_ntop(AF_INET6, &a, text, sizeof text);
    }
  }
  return text;
}

std::string_view Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Header text from a handler never ends the header line early.
void AppendField(std::string& out, std::string_view name, std::string_view value) {
  for (char c : name) out += (c == '\r' || c == '\n' || c == ':') ? '-' : c;
  out += ": ";
  for (char c : value) out += (c == '\r' || c == '\n') ? ' ' : c;
  out += "\r\n";
}

constexpr std::pair<std::string_view, std::string_view> kDefaultHeaders[] = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
    {"Cache-Control", "no-store"}};

HttpResponse RunHandler(const Route& route, HttpRequest& req) {
  HttpResponse res;
  try {
    route.handler(req, res);
  } catch (...) {
    res = HttpResponse();
    res.status = 500;
    res.body = HttpErrorJson("internal", "服务器内部错误");
  }
  if (!req.body_file.empty()) ::unlink(req.body_file.c_str());
  return res;
}

}  // namespace

EventLoop::EventLoop(ServerShared& shared, int index) : shared_(shared), index_(index) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeId;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  scratch_.resize(kReadChunk);
}

EventLoop::~EventLoop() {
  CloseAll();
  for (int fd : {epoll_fd_, wake_fd_, reserve_fd_}) {
    if (fd >= 0) ::close(fd);
  }
}

void EventLoop::Listen(int listen_fd) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;  // one loop wakes per new connection
  ev.data.u64 = kListenId;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd, &ev);
}

void EventLoop::Wake() {
  uint64_t one = 1;
  ssize_t n = ::write(wake_fd_, &one, sizeof one);
  (void)n;
}

void EventLoop::Adopt(int fd, std::string remote_addr) {
  {
    std::lock_guard lock(mail_mu_);
    adopted_.emplace_back(fd, std::move(remote_addr));
  }
  Wake();
}

void EventLoop::Complete(uint64_t connection, HttpResponse response) {
  {
    std::lock_guard lock(mail_mu_);
    completed_.emplace_back(connection, std::move(response));
  }
  Wake();
}

void EventLoop::Run() {
  epoll_event events[256];
  now_ms_ = last_sweep_ms_ = NowMs();
  while (!shared_.stopping.load(std::memory_order_relaxed)) {
    std::vector<uint64_t> ready;
    ready.swap(ready_);
    int n = ::epoll_wait(epoll_fd_, events, 256, ready.empty() ? 1000 : 0);
    now_ms_ = NowMs();
    for (int i = 0; i < n; ++i) {
      uint64_t id = events[i].data.u64;
      if (id == kListenId) {
        AcceptAll();
      } else if (id == kWakeId) {
        uint64_t count = 0;
        ssize_t r = ::read(wake_fd_, &count, sizeof count);
        (void)r;
        TakeMail();
      } else if (auto it = connections_.find(id); it != connections_.end()) {
        Connection& c = *it->second;
        if (c.state == Connection::State::kClosed) continue;
        if (events[i].events & EPOLLERR) {
          Close(c);
          continue;
        }
        if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) c.read_pending = true;
        Drive(c);  // also sends on EPOLLOUT
      }
    }
    for (uint64_t id : ready) {
      auto it = connections_.find(id);
      if (it != connections_.end() && it->second->state != Connection::State::kClosed) {
        Drive(*it->second);
      }
    }
    if (now_ms_ - last_sweep_ms_ >= 1000) Sweep();
    for (uint64_t id : closed_) connections_.erase(id);
    closed_.clear();
  }
}

void EventLoop::CloseAll() {
  for (auto& [id, c] : connections_) Close(*c);
  connections_.clear();
  closed_.clear();
  std::lock_guard lock(mail_mu_);
  for (auto& [fd, addr] : adopted_) {
    ::close(fd);
    shared_.connections.fetch_sub(1);
  }
  adopted_.clear();
  for (auto& [id, res] : completed_) {
    if (!res.file.empty() && res.remove_file_after) ::unlink(res.file.c_str());
  }
  completed_.clear();
}

void EventLoop::AcceptAll() {
  const int max_connections = shared_.limits.max_connections;
  for (int i = 0; i < 128; ++i) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd = ::accept4(shared_.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if ((errno == EMFILE || errno == ENFILE) && reserve_fd_ >= 0) {
        // Out of descriptors: take the connection off the queue and close it, rather than
        // being woken for it again and again.
        ::close(reserve_fd_);
        int drop = ::accept4(shared_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (drop >= 0) ::close(drop);
        reserve_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        continue;
      }
      return;  // EAGAIN: none left (or another loop took it)
    }
    if (shared_.connections.fetch_add(1) >= max_connections) {
      ::close(fd);
      shared_.connections.fetch_sub(1);
      continue;
    }
    // Round robin over the loops, so that a burst of connections is not all one core's.
    size_t target = shared_.next_loop.fetch_add(1) % shared_.loops.size();
    if (static_cast<int>(target) == index_) {
      AddConnection(fd, AddressText(addr));
    } else {
      shared_.loops[target]->Adopt(fd, AddressText(addr));
    }
  }
}

void EventLoop::AddConnection(int fd, std::string remote_addr) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto c = std::make_unique<Connection>();
  c->id = next_id_++;
  c->fd = fd;
  c->remote_addr = std::move(remote_addr);
  c->deadline = now_ms_ + shared_.limits.keep_alive_seconds * int64_t{1000};
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = c->id;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    c->fd = -1;
    ::close(fd);
    shared_.connections.fetch_sub(1);
    return;
  }
  connections_.emplace(c->id, std::move(c));
}

void EventLoop::TakeMail() {
  std::vector<std::pair<int, std::string>> adopted;
  std::vector<std::pair<uint64_t, HttpResponse>> completed;
  {
    std::lock_guard lock(mail_mu_);
    adopted.swap(adopted_);
    completed.swap(completed_);
  }
  for (auto& [fd, addr] : adopted) AddConnection(fd, std::move(addr));
  for (auto& [id, res] : completed) {
    auto it = connections_.find(id);
    if (it == connections_.end() || it->second->state != Connection::State::kHandler) {
      if (!res.file.empty() && res.remove_file_after) ::unlink(res.file.c_str());
      continue;
    }
    Connection& c = *it->second;
    Step step = Respond(c, std::move(res));
    if (step == Step::kContinue || step == Step::kNeedInput) Drive(c);
  }
}

void EventLoop::Drive(Connection& c) {
  for (int round = 0; round < 64; ++round) {
    Step step = Progress(c);
    if (step == Step::kClosed || step == Step::kBusy) return;
    if (step == Step::kNeedInput) {
      if (c.peer_closed) {
        Close(c);
        return;
      }
      if (!c.read_pending) return;  // the next edge brings more
      if (!ReadSome(c)) return;
    }
  }
  ready_.push_back(c.id);  // a busy pipeline: let the other connections have a turn first
}

bool EventLoop::ReadSome(Connection& c) {
  for (;;) {
    if (c.in.size() >= kReadChunk) {
      c.read_pending = true;  // consume what is here first
      return true;
    }
    size_t want = kReadChunk - c.in.size();
    ssize_t n = ::recv(c.fd, scratch_.data(), want, 0);
    if (n > 0) {
      c.in.append(scratch_.data(), static_cast<size_t>(n));
      // A short read emptied the socket; with edge-triggered epoll the next bytes bring a
      // new event.
      if (static_cast<size_t>(n) < want) {
        c.read_pending = false;
        return true;
      }
      continue;
    }
    if (n == 0) {
      c.peer_closed = true;
      c.read_pending = false;
      return true;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      c.read_pending = false;
      return true;
    }
    Close(c);
    return false;
  }
}

EventLoop::Step EventLoop::Progress(Connection& c) {
  switch (c.state) {
    case Connection::State::kHead:
      return ReadHead(c);
    case Connection::State::kBody:
      return ReadBody(c);
    case Connection::State::kWrite:
      return Flush(c);
    case Connection::State::kLinger:
      c.discarded += c.in.size();
      c.in.clear();
      if (c.discarded > kMaxDiscard) {
        Close(c);
        return Step::kClosed;
      }
      return Step::kNeedInput;
    case Connection::State::kHandler:
      return Step::kBusy;
    case Connection::State::kClosed:
      return Step::kClosed;
  }
  return Step::kClosed;
}

EventLoop::Step EventLoop::ReadHead(Connection& c) {
  if (c.in.empty()) return Step::kNeedInput;
  if (c.head_started == 0) {
    // The whole head must come within the read timeout, however slowly it trickles.
    c.head_started = now_ms_;
    c.deadline = now_ms_ + shared_.limits.read_timeout_seconds * int64_t{1000};
  }
  RequestHead head;
  ParseResult r = ParseRequestHead(c.in, shared_.head_limits, c.scanned, head);
  switch (r.state) {
    case ParseState::kIncomplete:
      return Step::kNeedInput;
    case ParseState::kError:
      c.keep_alive = false;
      return RespondError(c, r.status, r.code, r.message);
    case ParseState::kComplete:
      break;
  }
  return StartRequest(c, head, r.head_bytes);
}

EventLoop::Step EventLoop::StartRequest(Connection& c, RequestHead& head, size_t head_bytes) {
  const HttpLimits& limits = shared_.limits;
  c.in.erase(0, head_bytes);
  c.scanned = 0;
  c.head_started = 0;
  ++c.served;
  c.req = HttpRequest();
  c.req.method = std::move(head.method);
  c.req.path = std::move(head.path);
  c.req.query = std::move(head.query);
  c.req.headers = std::move(head.headers);
  c.req.remote_addr = c.remote_addr;
  c.keep_alive = head.keep_alive && c.served < limits.keep_alive_max_requests;
  c.is_head = c.req.method == "HEAD";
  c.http10 = head.minor_version == 0;
  uint64_t length = head.content_length.value_or(0);
  bool path_matched = false;
  c.route = shared_.router.Match(c.req.method, c.req.path, c.req.path_params, path_matched);
  if (c.route == nullptr) {
    if (length > 0) c.keep_alive = false;  // its body is not read
    if (path_matched) return RespondError(c, 405, "method_not_allowed", "该地址不支持此请求方法");
    return RespondError(c, 404, "not_found", "没有这个地址：" + c.req.path);
  }
  if (c.route->streaming ? length > limits.max_upload_bytes : length > limits.max_body_bytes) {
    c.keep_alive = false;
    if (c.route->streaming) {
      return RespondError(c, 413, "payload_too_large", "上传的文件超过大小上限");
    }
    return RespondError(
        c, 413, "payload_too_large",
        "请求内容超过 " + std::to_string(limits.max_body_bytes / 1024) + " KiB 上限");
  }
  c.body_left = length;
  int seconds = c.route->streaming ? limits.upload_seconds : limits.request_seconds;
  c.request_deadline = now_ms_ + seconds * int64_t{1000};
  c.deadline = now_ms_ + limits.read_timeout_seconds * int64_t{1000};
  if (c.route->streaming) {
    c.req.body_file = limits.upload_dir + "/getihu-upload-" + std::to_string(::getpid()) + "-" +
                      std::to_string(shared_.uploads.fetch_add(1));
    c.upload_fd = ::open(c.req.body_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (c.upload_fd < 0) {
      c.req.body_file.clear();
      c.keep_alive = false;
      return RespondError(c, 500, "internal", "无法保存上传的文件");
    }
  } else {
    c.req.body.reserve(length);
  }
  if (head.expect_continue && length > c.in.size()) {
    // Nothing else is being sent on this connection now, so the socket takes it whole.
    constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    if (::send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(kContinue.size())) {
      Close(c);
      return Step::kClosed;
    }
  }
  c.state = Connection::State::kBody;
  return Step::kContinue;
}

EventLoop::Step EventLoop::ReadBody(Connection& c) {
  size_t take = static_cast<size_t>(std::min<uint64_t>(c.in.size(), c.body_left));
  if (take > 0) {
    if (c.upload_fd >= 0) {
      for (size_t done = 0; done < take;) {
        ssize_t n = ::write(c.upload_fd, c.in.data() + done, take - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          c.ReleaseFiles();
          c.keep_alive = false;
          return RespondError(c, 500, "internal", "无法保存上传的文件");
        }
        done += static_cast<size_t>(n);
      }
      c.req.body_bytes += static_cast<int64_t>(take);
    } else {
      c.req.body.append(c.in, 0, take);
    }
    c.in.erase(0, take);
    c.body_left -= take;
    c.deadline = now_ms_ + shared_.limits.read_timeout_seconds * int64_t{1000};
  }
  if (c.body_left > 0) return Step::kNeedInput;
  return Dispatch(c);
}

EventLoop::Step EventLoop::Dispatch(Connection& c) {
  const Route& route = *c.route;
  // Writes go to the workers too: they may wait for the database's write lock.
  bool offload = route.blocking || route.streaming || (c.req.method != "GET" && !c.is_head);
  if (!offload) return Respond(c, RunHandler(route, c.req));
  if (c.upload_fd >= 0) {  // the file now belongs to the request
    ::close(c.upload_fd);
    c.upload_fd = -1;
  }
  c.state = Connection::State::kHandler;
  c.deadline = 0;
  auto request = std::make_shared<HttpRequest>(std::move(c.req));
  bool queued = shared_.workers.Submit(
      [this, id = c.id, &route, request] { Complete(id, RunHandler(route, *request)); },
      static_cast<size_t>(std::max(1, shared_.limits.max_queued_requests)));
  if (!queued) {
    if (!request->body_file.empty()) ::unlink(request->body_file.c_str());
    c.keep_alive = false;
    return RespondError(c, 503, "unavailable", "服务器繁忙，请稍后再试");
  }
  return Step::kBusy;
}

EventLoop::Step EventLoop::RespondError(Connection& c, int status, std::string_view code,
                                        std::string_view message) {
  HttpResponse res;
  res.status = status;
  res.body = HttpErrorJson(code, message);
  return Respond(c, std::move(res));
}

EventLoop::Step EventLoop::Respond(Connection& c, HttpResponse res) {
  c.ReleaseFiles();
  uint64_t length = res.body.size();
  if (!res.file.empty()) {
    int fd = ::open(res.file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      if (fd >= 0) ::close(fd);
      if (res.remove_file_after) ::unlink(res.file.c_str());
      res.status = 500;
      res.content_type = "application/json; charset=utf-8";
      res.body = HttpErrorJson("internal", "无法读取生成的文件");
      length = res.body.size();
    } else {
      if (res.remove_file_after) ::unlink(res.file.c_str());  // the open descriptor keeps it
      c.file_fd = fd;
      c.file_left = static_cast<uint64_t>(st.st_size);
      length = c.file_left;
      res.body.clear();
    }
  }
  std::string& h = c.out_head;
  h.clear();
  h += "HTTP/1.1 ";
  h += std::to_string(res.status);
  h += ' ';
  h += Reason(res.status);
  h += "\r\n";
  AppendField(h, "Content-Type", res.content_type);
  AppendField(h, "Content-Length", std::to_string(length));
  for (const auto& [name, value] : res.headers) AppendField(h, name, value);
  for (const auto& [name, value] : kDefaultHeaders) {
    bool set = std::any_of(res.headers.begin(), res.headers.end(),
                           [&](const auto& field) { return SameName(field.first, name); });
    if (!set) AppendField(h, name, value);
  }
  if (!c.keep_alive) {
    h += "Connection: close\r\n";
  } else if (c.http10) {
    h += "Connection: keep-alive\r\n";
  }
  h += "\r\n";
  c.out_body = std::move(res.body);
  if (c.is_head) {
    c.out_body.clear();
    c.ReleaseFiles();
    c.file_left = 0;
  }
  c.out_sent = 0;
  c.state = Connection::State::kWrite;
  c.deadline = now_ms_ + shared_.limits.write_timeout_seconds * int64_t{1000};
  return Flush(c);
}

EventLoop::Step EventLoop::Flush(Connection& c) {
  for (;;) {
    size_t head = c.out_head.size(), total = head + c.out_body.size();
    if (c.out_sent < total) {
      iovec iov[2];
      int count = 0;
      if (c.out_sent < head) {
        iov[count++] = {c.out_head.data() + c.out_sent, head - c.out_sent};
        if (!c.out_body.empty()) iov[count++] = {c.out_body.data(), c.out_body.size()};
      } else {
        size_t off = c.out_sent - head;
        iov[count++] = {c.out_body.data() + off, c.out_body.size() - off};
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<size_t>(count);
      ssize_t n = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return Step::kBusy;  // until EPOLLOUT
        Close(c);
        return Step::kClosed;
      }
      c.out_sent += static_cast<size_t>(n);
      c.deadline = now_ms_ + shared_.limits.write_timeout_seconds * int64_t{1000};
      continue;
    }
    if (c.file_fd >= 0 && c.file_left > 0) {
      c.out_head.clear();
      c.out_sent = 0;
      c.out_body.resize(static_cast<size_t>(std::min<uint64_t>(c.file_left, kReadChunk)));
      ssize_t n = ::read(c.file_fd, c.out_body.data(), c.out_body.size());
      if (n <= 0) {  // the file shrank: the length already sent cannot be kept
        Close(c);
        return Step::kClosed;
      }
      c.out_body.resize(static_cast<size_t>(n));
      c.file_left -= static_cast<uint64_t>(n);
      continue;
    }
    return FinishResponse(c);
  }
}

EventLoop::Step EventLoop::FinishResponse(Connection& c) {
  c.ReleaseFiles();
  c.out_head.clear();
  if (c.out_body.capacity() > kReadChunk) {
    std::string().swap(c.out_body);
  } else {
    c.out_body.clear();
  }
  c.out_sent = 0;
  c.req = HttpRequest();
  c.route = nullptr;
  c.is_head = false;
  if (!c.keep_alive) {
    // Lingering close: stop sending, read and drop what the client still sends for a moment,
    // so that closing with unread bytes does not reset the connection before the client has
    // read the answer (e.g. a 413 while it is still sending the body).
    ::shutdown(c.fd, SHUT_WR);
    c.state = Connection::State::kLinger;
    c.deadline = now_ms_ + kLingerMs;
    c.in.clear();
    return Step::kNeedInput;
  }
  c.state = Connection::State::kHead;
  c.deadline = now_ms_ + shared_.limits.keep_alive_seconds * int64_t{1000};
  return Step::kContinue;
}

void EventLoop::Close(Connection& c) {
  if (c.state == Connection::State::kClosed) return;
  c.state = Connection::State::kClosed;
  c.ReleaseFiles();
  ::close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  shared_.connections.fetch_sub(1);
  closed_.push_back(c.id);
}

void EventLoop::Sweep() {
  last_sweep_ms_ = now_ms_;
  for (auto& [id, ptr] : connections_) {
    Connection& c = *ptr;
    using State = Connection::State;
    if (c.state == State::kClosed || c.state == State::kHandler) continue;
    bool late = (c.deadline != 0 && now_ms_ >= c.deadline) ||
                (c.state == State::kBody && now_ms_ >= c.request_deadline);
    if (!late) continue;
    if ((c.state == State::kHead && !c.in.empty()) || c.state == State::kBody) {
      c.ReleaseFiles();
      c.keep_alive = false;
      c.is_head = false;
      RespondError(c, 408, "request_timeout", "请求超时");
    } else {
      Close(c);  // idle, lingering, or a client that stopped reading its answer
    }
  }
}

}  // namespace getihu::server
