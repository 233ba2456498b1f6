#include "server/http.h"

#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace getihu::server {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ErrorJson(std::string_view code, std::string_view message) {
  nlohmann::json j = {{"error", {{"code", code}, {"message", message}}}};
  // The message may quote the request (a path), which need not be valid UTF-8.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SetError(httplib::Response& res, int status, std::string_view code, std::string_view message) {
  res.status = status;
  res.set_content(ErrorJson(code, message), "application/json; charset=utf-8");
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return out;
}

std::string HttpRequest::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

std::string HttpRequest::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? "" : it->second;
}

bool HttpRequest::HasQuery(std::string_view name) const {
  return query.find(std::string(name)) != query.end();
}

std::string HttpRequest::Cookie(std::string_view name) const {
  std::string cookies = Header("cookie");
  std::string_view rest = cookies;
  while (!rest.empty()) {
    size_t semi = rest.find(';');
    std::string_view item = rest.substr(0, semi);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == name) {
      return std::string(item.substr(eq + 1));
    }
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return "";
}

std::string HttpRequest::Param(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  return it == path_params.end() ? "" : it->second;
}

void Router::Add(std::string method, std::string pattern, Handler handler, bool streaming) {
  Route r{std::move(method), std::move(pattern), std::move(handler), streaming, {}};
  r.segments = SplitPath(r.pattern);
  routes_.push_back(std::move(r));
}

const Route* Router::Match(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>& params, bool& path_matched) const {
  std::vector<std::string> parts = SplitPath(path);
  path_matched = false;
  for (const Route& r : routes_) {
    bool rest = !r.segments.empty() && r.segments.back().starts_with("{*");
    if (rest ? parts.size() + 1 < r.segments.size() : r.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      if (rest && i + 1 >= r.segments.size()) {  // "{*name}": the rest of the path, decoded
        std::string tail;
        for (size_t k = i; k < parts.size() && ok; ++k) {
          std::optional<std::string> decoded = PercentDecode(parts[k]);
          if (!decoded)
            ok = false;
          else
            tail += (k > i ? "/" : "") + *decoded;
        }
        const std::string& seg = r.segments.back();
        found[seg.substr(2, seg.size() - 3)] = tail;
        break;
      }
      const std::string& seg = r.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        std::optional<std::string> decoded = PercentDecode(parts[i]);
        if (!decoded || decoded->empty()) {
          ok = false;
        } else {
          found[seg.substr(1, seg.size() - 2)] = std::move(*decoded);
        }
      } else if (seg != parts[i]) {
        ok = false;
      }
    }
    if (!ok) continue;
    path_matched = true;
    if (r.method != method) continue;
    params = std::move(found);
    return &r;
  }
  return nullptr;
}

struct HttpServer::Impl {
  const Router& router;
  HttpLimits limits;
  httplib::Server server;
  std::atomic<uint64_t> upload_counter{0};

  Impl(const Router& r, HttpLimits l) : router(r), limits(std::move(l)) {}

  HttpRequest Convert(const httplib::Request& req) {
    HttpRequest out;
    out.method = req.method;
    out.path = req.path;
    for (const auto& [k, v] : req.params) out.query.emplace(k, v);
    for (const auto& [k, v] : req.headers) out.headers.emplace_back(Lower(k), v);
    out.remote_addr = req.remote_addr;
    return out;
  }

  void Send(HttpResponse& r, httplib::Response& res) {
    res.status = r.status;
    for (auto& [k, v] : r.headers) res.set_header(k, v);
    if (r.file.empty()) {
      res.set_content(std::move(r.body), r.content_type);
      return;
    }
    auto in = std::make_shared<std::ifstream>(r.file, std::ios::binary);
    std::string path = r.file;
    bool remove = r.remove_file_after;
    if (!*in) {
      SetError(res, 500, "internal", "无法读取生成的文件");
      if (remove) ::unlink(path.c_str());
      return;
    }
    res.set_chunked_content_provider(
        r.content_type,
        [in](size_t, httplib::DataSink& sink) {
          char buf[64 * 1024];
          in->read(buf, sizeof buf);
          std::streamsize n = in->gcount();
          if (n > 0 && !sink.write(buf, static_cast<size_t>(n))) return false;
          if (!*in) sink.done();
          return true;
        },
        [path, remove](bool) {
          if (remove) ::unlink(path.c_str());
        });
  }

  // Routes, reads the body within its limit, and runs the handler.
  void Dispatch(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader* reader) {
    HttpRequest request = Convert(req);
    bool path_matched = false;
    const Route* route =
        router.Match(request.method, request.path, request.path_params, path_matched);
    if (route == nullptr) {
      if (path_matched) {
        SetError(res, 405, "method_not_allowed", "该地址不支持此请求方法");
      } else {
        SetError(res, 404, "not_found", "没有这个地址：" + request.path);
      }
      return;
    }
    if (reader != nullptr) {
      bool too_big = false;
      if (route->streaming) {
        request.body_file = limits.upload_dir + "/getihu-upload-" + std::to_string(::getpid()) +
                            "-" + std::to_string(upload_counter.fetch_add(1));
        std::ofstream out(request.body_file, std::ios::binary);
        bool read = (*reader)([&](const char* data, size_t n) {
          request.body_bytes += static_cast<int64_t>(n);
          if (static_cast<size_t>(request.body_bytes) > limits.max_upload_bytes) {
            too_big = true;
            return false;
          }
          out.write(data, static_cast<std::streamsize>(n));
          return static_cast<bool>(out);
        });
        out.close();
        too_big = too_big || res.status == 413;  // the library refused it by Content-Length
        if (too_big || !out || !read) {
          ::unlink(request.body_file.c_str());
          if (too_big) {
            SetError(res, 413, "payload_too_large", "上传的文件超过大小上限");
          } else if (!read) {
            SetError(res, 400, "bad_request", "上传中断或请求格式错误");
          } else {
            SetError(res, 500, "internal", "无法保存上传的文件");
          }
          return;
        }
      } else {
        bool read = (*reader)([&](const char* data, size_t n) {
          if (request.body.size() + n > limits.max_body_bytes) {
            too_big = true;
            return false;
          }
          request.body.append(data, n);
          return true;
        });
        if (too_big || res.status == 413) {
          SetError(res, 413, "payload_too_large",
                   "请求内容超过 " + std::to_string(limits.max_body_bytes / 1024) + " KiB 上限");
          return;
        }
        if (!read) {
          SetError(res, 400, "bad_request", "请求内容读取失败");
          return;
        }
      }
    }
    HttpResponse response;
    route->handler(request, response);
    if (!request.body_file.empty()) ::unlink(request.body_file.c_str());
    Send(response, res);
  }
};

HttpServer::HttpServer(const Router& router, HttpLimits limits)
    : impl_(std::make_unique<Impl>(router, std::move(limits))) {
  httplib::Server& s = impl_->server;
  Impl* impl = impl_.get();
  int threads = impl->limits.worker_threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  s.set_payload_max_length(impl->limits.max_upload_bytes);
  s.set_read_timeout(impl->limits.read_timeout_seconds, 0);
  s.set_write_timeout(impl->limits.write_timeout_seconds, 0);
  s.set_keep_alive_timeout(impl->limits.keep_alive_seconds);
  s.set_keep_alive_max_count(static_cast<size_t>(impl->limits.keep_alive_max_requests));
  s.set_tcp_nodelay(true);
  // The library's default also sets SO_REUSEPORT, which lets a second server bind a port that
  // is in use and silently share its connections; only SO_REUSEADDR (quick restarts).
  s.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  s.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                         {"X-Frame-Options", "DENY"},
                         {"Referrer-Policy", "same-origin"},
                         {"Cache-Control", "no-store"}});
  auto plain = [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Dispatch(req, res, nullptr);
  };
  auto with_body = [impl](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) {
    impl->Dispatch(req, res, &reader);
  };
  s.Get(".*", plain);
  s.Delete(".*", plain);
  s.Post(".*", with_body);
  s.Put(".*", with_body);
  s.Patch(".*", with_body);
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SetError(res, 500, "internal", "服务器内部错误");
  });
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 400:
        SetError(res, 400, "bad_request", "请求格式错误");
        break;
      case 413:
        SetError(res, 413, "payload_too_large", "请求内容超过大小上限");
        break;
      case 414:
        SetError(res, 414, "uri_too_long", "请求地址过长");
        break;
      default:
        SetError(res, res.status, "http_error", "请求无法处理");
    }
  });
}

HttpServer::~HttpServer() { Stop(); }

base::Status HttpServer::Bind(const std::string& host, int port) {
  if (port == 0) {
    int bound = impl_->server.bind_to_any_port(host);
    if (bound <= 0) return base::Unavailable("无法在 " + host + " 上监听任何端口");
    port_ = bound;
    return base::OkStatus();
  }
  if (!impl_->server.bind_to_port(host, port)) {
    return base::Unavailable("无法监听 " + host + ":" + std::to_string(port) +
                             "（端口被占用或地址无效）");
  }
  port_ = port;
  return base::OkStatus();
}

void HttpServer::Serve() { impl_->server.listen_after_bind(); }

void HttpServer::Stop() {
  if (impl_ && impl_->server.is_running()) impl_->server.stop();
}

}  // namespace getihu::server
