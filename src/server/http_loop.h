// Internals of HttpServer (http_server.cc), not for other files: the state one server's
// threads share, the worker pool of blocking routes, and an epoll event loop that owns the
// connections it was given.
#ifndef GETIHU_SERVER_HTTP_LOOP_H_
#define GETIHU_SERVER_HTTP_LOOP_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/http.h"
#include "server/http_parser.h"

namespace getihu::server {

// Threads that run blocking handlers, in submission order. Thread-safe.
class WorkerPool {
 public:
  using Task = std::move_only_function<void()>;
  ~WorkerPool() { Stop(); }
  void Start(int threads);
  // False when `max_queued` tasks already wait (the caller answers 503).
  bool Submit(Task task, size_t max_queued);
  // Runs what is queued, then joins the threads.
  void Stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

class EventLoop;

struct ServerShared {
  ServerShared(const Router& r, HttpLimits l) : router(r), limits(std::move(l)) {
    head_limits.max_head_bytes = limits.max_header_bytes;
  }
  const Router& router;
  HttpLimits limits;
  HeadLimits head_limits;
  int listen_fd = -1;
  std::atomic<bool> stopping{false};
  std::atomic<int> connections{0};
  std::atomic<uint64_t> uploads{0};
  std::atomic<uint64_t> next_loop{0};
  std::vector<EventLoop*> loops;  // fixed at construction
  WorkerPool workers;
};

struct Connection;

// One thread's connections: reads, parses, runs inline handlers, writes, enforces the
// timeouts. Adopt, Complete and Wake may be called from any thread (Wake from a signal
// handler); everything else runs on the loop's own thread.
class EventLoop {
 public:
  EventLoop(ServerShared& shared, int index);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  void Listen(int listen_fd);
  void Run();  // until shared.stopping
  void CloseAll();
  void Wake();
  void Adopt(int fd, std::string remote_addr);
  void Complete(uint64_t connection, HttpResponse response);

 private:
  enum class Step { kContinue, kNeedInput, kBusy, kClosed };

  void AcceptAll();
  void AddConnection(int fd, std::string remote_addr);
  void TakeMail();
  void Drive(Connection& c);
  Step Progress(Connection& c);
  Step ReadHead(Connection& c);
  Step ReadBody(Connection& c);
  Step StartRequest(Connection& c, RequestHead& head, size_t head_bytes);
  Step Dispatch(Connection& c);
  bool ReadSome(Connection& c);
  Step Respond(Connection& c, HttpResponse response);
  Step RespondError(Connection& c, int status, std::string_view code, std::string_view message);
  Step Flush(Connection& c);
  Step FinishResponse(Connection& c);
  void Close(Connection& c);
  void Sweep();

  ServerShared& shared_;
  int index_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int reserve_fd_ = -1;  // given up to accept and drop a connection when out of descriptors
  int64_t now_ms_ = 0;
  int64_t last_sweep_ms_ = 0;
  uint64_t next_id_ = 2;  // 0: the listening socket, 1: the wake-up descriptor
  std::unordered_map<uint64_t, std::unique_ptr<Connection>> connections_;
  std::vector<uint64_t> ready_;  // connections with work left after a turn (pipelining)
  std::vector<uint64_t> closed_;
  std::string scratch_;  // read buffer

  std::mutex mail_mu_;
  std::vector<std::pair<int, std::string>> adopted_;
  std::vector<std::pair<uint64_t, HttpResponse>> completed_;
};

// The JSON error body every error on the wire gets (Chinese message).
std::string HttpErrorJson(std::string_view code, std::string_view message);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_HTTP_LOOP_H_
