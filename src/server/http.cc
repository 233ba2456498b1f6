#include "server/http.h"

#include <cctype>

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

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  Route r{std::move(method), std::move(pattern), std::move(handler),
          options.streaming, options.blocking,   {}};
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

}  // namespace getihu::server
