#include "server/http_parser.h"

#include <algorithm>
#include <cstring>

namespace getihu::server {
namespace {

constexpr std::string_view kBadRequest = "请求格式错误";

ParseResult Error(int status, std::string_view code, std::string_view message) {
  ParseResult r;
  r.state = ParseState::kError;
  r.status = status;
  r.code = code;
  r.message = message;
  return r;
}

ParseResult BadRequest() { return Error(400, "bad_request", kBadRequest); }

// tchar of RFC 9110 §5.6.2.
bool IsTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Field values: visible characters, space, tab and obs-text; no other controls.
bool IsFieldValue(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "GET /path?q HTTP/1.1"; an error for anything else (505 for another HTTP version).
ParseResult ParseRequestLine(std::string_view line, RequestHead& head) {
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 > 32 || !IsToken(line.substr(0, sp1))) {
    return BadRequest();
  }
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return BadRequest();
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (target.front() != '/') return BadRequest();  // origin-form only
  for (char ch : target) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return BadRequest();
  }
  if (version == "HTTP/1.1") {
    head.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    head.minor_version = 0;
  } else if (version.size() == 8 && version.starts_with("HTTP/") && version[5] >= '0' &&
             version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
    return Error(505, "http_version_not_supported", "只支持 HTTP/1.0 和 HTTP/1.1");
  } else {
    return BadRequest();
  }
  head.method = std::string(line.substr(0, sp1));
  head.target = std::string(target);
  size_t q = target.find('?');
  head.path = DecodeLenient(target.substr(0, q), false);
  head.query.clear();
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      size_t amp = rest.find('&');
      std::string_view item = rest.substr(0, amp);
      if (!item.empty()) {
        size_t eq = item.find('=');
        std::string key = DecodeLenient(item.substr(0, eq), true);
        std::string value =
            eq == std::string_view::npos ? std::string() : DecodeLenient(item.substr(eq + 1), true);
        if (!key.empty()) head.query.emplace(std::move(key), std::move(value));
      }
      if (amp == std::string_view::npos) break;
      rest.remove_prefix(amp + 1);
    }
  }
  ParseResult ok;
  ok.state = ParseState::kComplete;
  return ok;
}

// Applies the fields the server itself acts on: Content-Length, Transfer-Encoding, Connection
// and Expect.
ParseResult ApplyFields(RequestHead& head) {
  head.keep_alive = head.minor_version == 1;
  head.content_length.reset();
  head.expect_continue = false;
  bool transfer_encoding = false;
  for (const auto& [name, value] : head.headers) {
    if (name == "content-length") {
      if (value.empty() || value.size() > 18 ||
          value.find_first_not_of("0123456789") != std::string::npos) {
        return BadRequest();
      }
      uint64_t n = std::stoull(value);
      if (head.content_length && *head.content_length != n) return BadRequest();
      head.content_length = n;
    } else if (name == "transfer-encoding") {
      transfer_encoding = true;
    } else if (name == "connection") {
      std::string_view rest = value;
      while (!rest.empty()) {
        size_t comma = rest.find(',');
        std::string_view option = Trim(rest.substr(0, comma));
        if (EqualsIgnoreCase(option, "close")) head.keep_alive = false;
        if (EqualsIgnoreCase(option, "keep-alive") && head.minor_version == 0) {
          head.keep_alive = true;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (name == "expect") {
      head.expect_continue = EqualsIgnoreCase(value, "100-continue");
    }
  }
  if (transfer_encoding) {
    // Both framings at once is how requests are smuggled past proxies: refuse outright.
    if (head.content_length) return BadRequest();
    return Error(411, "length_required", "请求须带 Content-Length（不支持分块传输的请求内容）");
  }
  ParseResult ok;
  ok.state = ParseState::kComplete;
  return ok;
}

}  // namespace

std::string DecodeLenient(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

ParseResult ParseRequestHead(std::string_view data, const HeadLimits& limits, size_t& scanned,
                             RequestHead& head) {
  // Empty lines before the request line are ignored (RFC 9112 §2.2).
  size_t start = 0;
  while (start + 1 < data.size() && data[start] == '\r' && data[start + 1] == '\n') start += 2;
  if (start > limits.max_head_bytes) return BadRequest();
  // Bytes past the limit are never looked at, so that the answer does not depend on how the
  // bytes were split into reads.
  size_t limit = std::min(data.size(), limits.max_head_bytes);
  size_t end = 0;  // one past the blank line's '\n'
  for (size_t i = std::max(scanned, start); i < limit; ++i) {
    if (data[i] == '\0') return BadRequest();
    if (data[i] != '\n') continue;
    if (i == start || data[i - 1] != '\r') return BadRequest();  // a bare LF
    if (i >= start + 3 && data[i - 2] == '\n') {
      end = i + 1;
      break;
    }
  }
  if (end == 0) {
    scanned = limit;
    if (data.size() < limits.max_head_bytes) return ParseResult{};
    // Too long: say which part.
    size_t first_line = data.substr(0, limit).find('\n', start);
    if (first_line == std::string_view::npos) return Error(414, "uri_too_long", "请求地址过长");
    return Error(431, "header_too_large", "请求头过大");
  }
  std::string_view text = data.substr(start, end - start - 4);  // without the final CRLF CRLF
  size_t eol = text.find("\r\n");
  ParseResult line = ParseRequestLine(text.substr(0, eol), head);
  if (line.state != ParseState::kComplete) return line;
  head.headers.clear();
  std::string_view fields =
      eol == std::string_view::npos ? std::string_view() : text.substr(eol + 2);
  while (!fields.empty()) {
    size_t next = fields.find("\r\n");
    std::string_view field = fields.substr(0, next);
    fields = next == std::string_view::npos ? std::string_view() : fields.substr(next + 2);
    size_t colon = field.find(':');
    // No whitespace before the colon, no obsolete folding (a line starting with whitespace).
    if (colon == std::string_view::npos || !IsToken(field.substr(0, colon))) return BadRequest();
    std::string_view value = Trim(field.substr(colon + 1));
    if (!IsFieldValue(value)) return BadRequest();
    if (head.headers.size() >= limits.max_headers) {
      return Error(431, "header_too_large", "请求头过多");
    }
    head.headers.emplace_back(Lower(field.substr(0, colon)), std::string(value));
  }
  ParseResult applied = ApplyFields(head);
  if (applied.state != ParseState::kComplete) return applied;
  ParseResult done;
  done.state = ParseState::kComplete;
  done.head_bytes = end;
  return done;
}

}  // namespace getihu::server
