// The server's own HTTP interface: requests, responses, a router with `{name}` path
// parameters, and an event-driven HTTP/1.1 server with explicit limits (http_server.cc; the
// request parser is http_parser.h).
//
// Threading: a Router is filled before Start and read-only afterwards. Handlers run many at
// once and must be thread-safe: ordinary routes inline on the server's event-loop threads (one
// per core; a handler there holds up every connection of its loop, so it must be quick), routes
// marked `blocking` or `streaming` and every method other than GET on a small worker pool.
#ifndef GETIHU_SERVER_HTTP_H_
#define GETIHU_SERVER_HTTP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace getihu::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", …
  std::string path;    // without the query
  std::multimap<std::string, std::string> query;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string remote_addr;
  std::map<std::string, std::string> path_params;  // filled by the Router
  // For uploads (routes added with `streaming`): the body is written to this file instead.
  std::string body_file;
  int64_t body_bytes = 0;

  // The first value, or "" when absent.
  std::string Header(std::string_view lower_case_name) const;
  std::string Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
  std::string Cookie(std::string_view name) const;
  std::string Param(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the response body is this file, sent in pieces (downloads); removed after
  // sending when `remove_file_after` is true.
  std::string file;
  bool remove_file_after = false;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

using Handler = std::function<void(const HttpRequest&, HttpResponse&)>;

struct RouteOptions {
  bool streaming = false;  // the body goes to a temporary file (uploads); runs on the worker pool
  bool blocking = false;   // may take long (reports, exports, scans): runs on the worker pool
};

struct Route {
  std::string method;
  // e.g. "/api/v1/households/{uscc}"; a last segment "{*name}" takes the rest of the path.
  std::string pattern;
  Handler handler;
  bool streaming = false;
  bool blocking = false;
  std::vector<std::string> segments;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  // The route for `method` and `path`, with its parameters filled; nullptr when none.
  // `path_matched` tells whether some route had the path (for 405 rather than 404).
  const Route* Match(std::string_view method, std::string_view path,
                     std::map<std::string, std::string>& params, bool& path_matched) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Timeouts are checked about once a second.
struct HttpLimits {
  size_t max_body_bytes = 1 << 20;            // JSON bodies (413 beyond)
  size_t max_upload_bytes = size_t{1} << 30;  // streamed uploads, department files (413 beyond)
  size_t max_header_bytes = 8 << 10;  // request line, header fields, blank line (414/431 beyond)
  int read_timeout_seconds = 10;      // a request's head must arrive within this (408)
  int request_seconds = 60;           // the whole of a request with a JSON body (408)
  int upload_seconds = 3600;          // the whole of an upload (408)
  int write_timeout_seconds = 30;     // longest stall while sending a response (then closed)
  int keep_alive_seconds = 5;         // longest idle time between requests (then closed)
  int keep_alive_max_requests = 1000;
  int max_connections = 10000;    // open at once; beyond, new connections are closed at once
  int event_loops = 0;            // threads serving connections; 0: one per core
  int worker_threads = 4;         // threads for blocking and streaming routes and writes
  int max_queued_requests = 256;  // waiting for a worker thread (503 beyond)
  std::string upload_dir = "/tmp";
};

// A request on the wire that never reached a route gets a JSON error made by this.
using ErrorBody = std::function<std::string(int status, std::string_view message)>;

class HttpServer {
 public:
  HttpServer(const Router& router, HttpLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `host:port` (port 0: any free port). Unavailable when the address is taken.
  base::Status Bind(const std::string& host, int port);
  int port() const { return port_; }
  // Serves until Stop; call after Bind, typically on its own thread. Returns once every event
  // loop and worker thread has ended (requests in the workers finish first).
  void Serve();
  // Makes Serve return soon. Async-signal-safe; may be called before Serve and more than once.
  void Stop();

  // Threads that may run handlers at once (event loops and workers): at most this many
  // database connections are in use for requests.
  static int HandlerThreads(const HttpLimits& limits);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// Percent-decoding of a path segment; nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_HTTP_H_
