// HttpServer over real sockets: keep-alive, pipelining, Connection: close, the size limits
// (431, 413, 411), slow and idle clients timed out without holding up anyone else, blocking
// routes off the event loop, streamed uploads and file responses.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/http.h"

namespace getihu::server {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int Connect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

struct Reply {
  int status = 0;
  std::string head;
  std::string body;
  bool Has(std::string_view field) const { return head.find(field) != std::string::npos; }
};

// Reads one response (Content-Length framed); nullopt on EOF or after `timeout_ms`. Bytes read
// past it stay in `buffer`.
std::optional<Reply> ReadReply(int fd, std::string& buffer, int timeout_ms = 5000) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    size_t end = buffer.find("\r\n\r\n");
    if (end != std::string::npos) {
      Reply r;
      r.head = buffer.substr(0, end + 4);
      r.status = std::stoi(r.head.substr(9, 3));
      size_t at = r.head.find("Content-Length: ");
      size_t length = at == std::string::npos ? 0 : std::stoul(r.head.substr(at + 16));
      if (buffer.size() >= end + 4 + length) {
        r.body = buffer.substr(end + 4, length);
        buffer.erase(0, end + 4 + length);
        return r;
      }
    }
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, left) <= 0) return std::nullopt;
    char chunk[65536];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return std::nullopt;
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

// True when the server closes the connection within `timeout_ms` (EOF or reset).
bool ClosedWithin(int fd, int timeout_ms) {
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, left) <= 0) return false;
    char chunk[4096];
    if (::recv(fd, chunk, sizeof chunk, 0) <= 0) return true;
  }
}

std::string Get(std::string_view path, std::string_view extra = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra) + "\r\n";
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("getihu_http_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    router_.Add("GET", "/hello/{name}", [](const HttpRequest& req, HttpResponse& res) {
      res.content_type = "text/plain";
      res.body = "hello " + req.Param("name") + " " + req.Query("x");
    });
    router_.Add("POST", "/echo",
                [](const HttpRequest& req, HttpResponse& res) { res.body = req.body; });
    router_.Add("GET", "/slow",
                [](const HttpRequest&, HttpResponse& res) {
                  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
                  res.body = "slow";
                },
                {.blocking = true});
    router_.Add("POST", "/upload",
                [this](const HttpRequest& req, HttpResponse& res) {
                  upload_seen_ = req.body_file;
                  res.body = std::to_string(req.body_bytes) + " " +
                             std::to_string(fs::file_size(req.body_file)) + " " +
                             (req.body.empty() ? "file" : "memory");
                },
                {.streaming = true});
    router_.Add("GET", "/file", [this](const HttpRequest&, HttpResponse& res) {
      std::string path = (dir_ / "download.txt").string();
      std::ofstream(path) << std::string(200000, 'z');
      res.file = path;
      res.remove_file_after = true;
    });
  }

  void Start(HttpLimits limits) {
    limits.upload_dir = dir_.string();
    server_ = std::make_unique<HttpServer>(router_, limits);
    ASSERT_TRUE(server_->Bind("127.0.0.1", 0).ok());
    serving_ = std::thread([this] { server_->Serve(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (serving_.joinable()) serving_.join();
    server_.reset();
    fs::remove_all(dir_);
  }

  int port() const { return server_->port(); }

  fs::path dir_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::thread serving_;
  std::string upload_seen_;
};

TEST_F(HttpServerTest, KeepsTheConnectionAliveAcrossRequests) {
  Start({});
  int fd = Connect(port());
  std::string buffer;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(SendAll(fd, Get("/hello/w%C3%A9?x=" + std::to_string(i))));
    std::optional<Reply> r = ReadReply(fd, buffer);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello wé " + std::to_string(i));
    EXPECT_TRUE(r->Has("X-Content-Type-Options: nosniff"));
    EXPECT_FALSE(r->Has("Connection: close"));
  }
  ::close(fd);
}

TEST_F(HttpServerTest, AnswersPipelinedRequestsInOrder) {
  Start({});
  int fd = Connect(port());
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += Get("/hello/p" + std::to_string(i));
  burst += "POST /echo HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody";
  burst += Get("/nowhere");
  ASSERT_TRUE(SendAll(fd, burst));
  std::string buffer;
  for (int i = 0; i < 20; ++i) {
    std::optional<Reply> r = ReadReply(fd, buffer);
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "hello p" + std::to_string(i) + " ");
  }
  std::optional<Reply> echo = ReadReply(fd, buffer);
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, "body");
  std::optional<Reply> missing = ReadReply(fd, buffer);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("not_found"), std::string::npos);
  ::close(fd);
}

TEST_F(HttpServerTest, ConnectionCloseEndsTheConnectionAfterTheAnswer) {
  Start({});
  int fd = Connect(port());
  ASSERT_TRUE(SendAll(fd, Get("/hello/a", "Connection: close\r\n") + Get("/hello/b")));
  std::string buffer;
  std::optional<Reply> r = ReadReply(fd, buffer);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->Has("Connection: close"));
  EXPECT_TRUE(ClosedWithin(fd, 3000));
  EXPECT_TRUE(buffer.empty()) << "the second request is not answered";
  ::close(fd);
}

TEST_F(HttpServerTest, OversizedHeadersGet431) {
  Start({});
  int fd = Connect(port());
  ASSERT_TRUE(SendAll(fd, Get("/hello/a", "X-Big: " + std::string(9000, 'a') + "\r\n")));
  std::string buffer;
  std::optional<Reply> r = ReadReply(fd, buffer);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_NE(r->body.find("header_too_large"), std::string::npos);
  EXPECT_TRUE(ClosedWithin(fd, 3000));
  ::close(fd);
}

TEST_F(HttpServerTest, OversizedBodiesGet413BeforeTheBodyIsRead) {
  HttpLimits limits;
  limits.max_body_bytes = 1024;
  limits.max_upload_bytes = 4096;
  Start(limits);
  for (const char* path : {"/echo", "/upload"}) {
    int fd = Connect(port());
    std::string body(100000, 'x');
    ASSERT_TRUE(SendAll(
        fd, std::string("POST ") + path + " HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + body));
    std::string buffer;
    std::optional<Reply> r = ReadReply(fd, buffer);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 413) << path;
    EXPECT_NE(r->body.find("payload_too_large"), std::string::npos);
    ::close(fd);
  }
  EXPECT_TRUE(upload_seen_.empty());
}

TEST_F(HttpServerTest, ChunkedBodiesWithoutLengthGet411) {
  Start({});
  int fd = Connect(port());
  ASSERT_TRUE(SendAll(
      fd, "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n"));
  std::string buffer;
  std::optional<Reply> r = ReadReply(fd, buffer);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 411);
  ::close(fd);
}

TEST_F(HttpServerTest, SlowClientsAreTimedOutWithoutHoldingUpOthers) {
  HttpLimits limits;
  limits.event_loops = 1;
  limits.read_timeout_seconds = 2;
  Start(limits);
  std::vector<int> slow;
  for (int i = 0; i < 300; ++i) {
    int fd = Connect(port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, "GET /hel"));
    slow.push_back(fd);
  }
  int fast = Connect(port());
  std::string buffer;
  for (int i = 0; i < 20; ++i) {
    for (int fd : slow) SendAll(fd, "l");  // a byte now and then, never the whole head
    auto started = Clock::now();
    ASSERT_TRUE(SendAll(fast, Get("/hello/fast")));
    std::optional<Reply> r = ReadReply(fast, buffer);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(500));
  }
  // The whole head must come within the read timeout, however it trickles: 408 and closed.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  for (int fd : slow) SendAll(fd, "l");
  std::string slow_buffer;
  std::optional<Reply> timed_out = ReadReply(slow.front(), slow_buffer, 4000);
  ASSERT_TRUE(timed_out);
  EXPECT_EQ(timed_out->status, 408);
  for (int fd : slow) EXPECT_TRUE(ClosedWithin(fd, 5000));
  for (int fd : slow) ::close(fd);
  ::close(fast);
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionsAreClosed) {
  HttpLimits limits;
  limits.keep_alive_seconds = 1;
  Start(limits);
  int fd = Connect(port());
  std::string buffer;
  ASSERT_TRUE(SendAll(fd, Get("/hello/a")));
  ASSERT_TRUE(ReadReply(fd, buffer));
  auto started = Clock::now();
  EXPECT_TRUE(ClosedWithin(fd, 4000));
  EXPECT_GE(Clock::now() - started, std::chrono::milliseconds(900));
  ::close(fd);
  int never_spoke = Connect(port());
  EXPECT_TRUE(ClosedWithin(never_spoke, 4000));
  ::close(never_spoke);
}

TEST_F(HttpServerTest, BlockingRoutesDoNotStallTheEventLoop) {
  HttpLimits limits;
  limits.event_loops = 1;
  Start(limits);
  int slow = Connect(port());
  ASSERT_TRUE(SendAll(slow, Get("/slow")));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int fast = Connect(port());
  std::string buffer;
  auto started = Clock::now();
  ASSERT_TRUE(SendAll(fast, Get("/hello/a")));
  ASSERT_TRUE(ReadReply(fast, buffer));
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(1000));
  std::string slow_buffer;
  std::optional<Reply> r = ReadReply(slow, slow_buffer);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "slow");
  ::close(slow);
  ::close(fast);
}

TEST_F(HttpServerTest, UploadsStreamToATemporaryFileThatIsRemovedAfterwards) {
  Start({});
  int fd = Connect(port());
  std::string body(300000, 'u');
  ASSERT_TRUE(SendAll(fd,
                      "POST /upload HTTP/1.1\r\nContent-Length: 300000\r\n"
                      "Expect: 100-continue\r\n\r\n"));
  std::string buffer;
  std::optional<Reply> go_on = ReadReply(fd, buffer);
  ASSERT_TRUE(go_on);
  EXPECT_EQ(go_on->status, 100);
  ASSERT_TRUE(SendAll(fd, body));
  std::optional<Reply> r = ReadReply(fd, buffer);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "300000 300000 file");
  EXPECT_TRUE(upload_seen_.starts_with(dir_.string()));
  EXPECT_FALSE(fs::exists(upload_seen_));
  ::close(fd);
}

TEST_F(HttpServerTest, SendsFilesAndRemovesThemWhenAsked) {
  Start({});
  int fd = Connect(port());
  std::string buffer;
  ASSERT_TRUE(SendAll(fd, Get("/file")));
  std::optional<Reply> r = ReadReply(fd, buffer);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, std::string(200000, 'z'));
  EXPECT_FALSE(fs::exists(dir_ / "download.txt"));
  ASSERT_TRUE(SendAll(fd, Get("/hello/after")));
  ASSERT_TRUE(ReadReply(fd, buffer));
  ::close(fd);
}

TEST_F(HttpServerTest, UnknownPathsAndMethodsAndBadRequests) {
  Start({});
  std::string buffer;
  int fd = Connect(port());
  ASSERT_TRUE(SendAll(fd, "DELETE /hello/a HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(ReadReply(fd, buffer)->status, 405);
  ASSERT_TRUE(SendAll(fd, "GET /hello/a HTTP/1.1\r\nBad Header\r\n\r\n"));
  EXPECT_EQ(ReadReply(fd, buffer)->status, 400);
  EXPECT_TRUE(ClosedWithin(fd, 3000));
  ::close(fd);
}

TEST_F(HttpServerTest, StopEndsServeWithConnectionsOpen) {
  Start({});
  std::vector<int> open;
  for (int i = 0; i < 50; ++i) open.push_back(Connect(port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  server_->Stop();
  serving_.join();
  for (int fd : open) {
    EXPECT_TRUE(ClosedWithin(fd, 2000));
    ::close(fd);
  }
}

}  // namespace
}  // namespace getihu::server
