// The server's own HTTP interface: requests, responses, a router with `{name}` path
// parameters, and a server with explicit limits. The HTTP library (cpp-httplib) stays behind
// this interface, in http.cc, so handlers and tests never see it.
//
// Threading: a Router is filled before Start and read-only afterwards; handlers run on the
// server's worker threads, many at once, and must be thread-safe.
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

struct Route {
  std::string method;
  // e.g. "/api/v1/households/{uscc}"; a last segment "{*name}" takes the rest of the path.
  std::string pattern;
  Handler handler;
  bool streaming = false;  // body goes to a temporary file (uploads)
  std::vector<std::string> segments;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, bool streaming = false);
  // The route for `method` and `path`, with its parameters filled; nullptr when none.
  // `path_matched` tells whether some route had the path (for 405 rather than 404).
  const Route* Match(std::string_view method, std::string_view path,
                     std::map<std::string, std::string>& params, bool& path_matched) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

struct HttpLimits {
  size_t max_body_bytes = 1 << 20;            // JSON bodies
  size_t max_upload_bytes = size_t{1} << 30;  // streamed uploads (department files)
  // Request line plus headers: 8 KiB, fixed by the library (CPPHTTPLIB_HEADER_MAX_LENGTH).
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 30;
  int keep_alive_seconds = 5;
  int keep_alive_max_requests = 1000;
  int worker_threads = 1024;  // one per open connection (the library blocks per connection)
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
  // Serves until Stop; call after Bind, typically on its own thread.
  void Serve();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

// Percent-decoding of a path segment; nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_HTTP_H_
