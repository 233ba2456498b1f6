// The web console's files (web/dist, built by Vite), served by the binary itself: a file
// under the web root when the path names one, index.html for every other page path (the
// console routes in the browser). Without a built console, "/" says how to build it.
#include <filesystem>
#include <string>

#include "server/api_internal.h"

namespace getihu::server {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".ttf") return "font/ttf";
  return "application/octet-stream";
}

constexpr std::string_view kNoConsole = R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>个体工商户服务平台</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>个体工商户服务平台</h1>
<p>服务已启动，但网页控制台尚未构建。接口地址为 <code>/api/v1</code>，说明见 docs/api.md。</p>
</body></html>
)";

void Serve(const ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
  std::string rel = req.Param("path");
  if (rel.starts_with("api/") || rel == "api") {
    return ReplyError(res, 404, "not_found", "没有这个地址：" + req.path);
  }
  const std::string& root = ctx.options.web_root;
  if (root.empty() || !fs::exists(fs::path(root) / "index.html")) {
    res.content_type = "text/html; charset=utf-8";
    res.body = std::string(kNoConsole);
    return;
  }
  fs::path file = fs::path(root) / "index.html";
  if (!rel.empty()) {
    fs::path candidate = fs::path(rel).lexically_normal();
    bool safe = !candidate.is_absolute() && !candidate.empty() && *candidate.begin() != ".." &&
                rel.find('\0') == std::string::npos;
    std::error_code ec;
    if (safe && fs::is_regular_file(fs::path(root) / candidate, ec)) {
      file = fs::path(root) / candidate;
    }
  }
  res.content_type = ContentType(file);
  res.file = file.string();
  // Vite puts a content hash in the names under assets/: they never change.
  if (rel.starts_with("assets/"))
    res.SetHeader("Cache-Control", "public, max-age=31536000, immutable");
}

}  // namespace

void AddWebRoutes(ApiContext& ctx) {
  ctx.router.Add("GET", "/{*path}",
                 [&ctx](const HttpRequest& req, HttpResponse& res) { Serve(ctx, req, res); });
}

}  // namespace getihu::server
