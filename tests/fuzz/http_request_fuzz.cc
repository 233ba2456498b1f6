// libFuzzer harness for the HTTP request-head parser (server/http_parser.h): any bytes, given
// whole or a few at a time as they would arrive on a socket, must parse to the same result —
// the event loop resumes the parse where it stopped — and a head it accepts must hold what
// the loop relies on: it ends with the blank line, within the limit, with lower-case token
// names and a bounded length. Never a crash, a hang, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/http_parser.h"

namespace {

using getihu::server::HeadLimits;
using getihu::server::ParseRequestHead;
using getihu::server::ParseResult;
using getihu::server::ParseState;
using getihu::server::RequestHead;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  HeadLimits limits;
  limits.max_head_bytes = 1024;
  limits.max_headers = 16;
  RequestHead whole;
  size_t scanned = 0;
  ParseResult all = ParseRequestHead(text, limits, scanned, whole);
  Check(scanned <= size);
  if (all.state == ParseState::kComplete) {
    Check(all.head_bytes >= 16 && all.head_bytes <= size && all.head_bytes <= 1024);
    Check(text.substr(all.head_bytes - 4, 4) == "\r\n\r\n");
    Check(whole.headers.size() <= limits.max_headers);
    Check(!whole.content_length || *whole.content_length < 1'000'000'000'000'000'000ULL);
    Check(!whole.path.empty() && !whole.method.empty());
    for (const auto& [name, value] : whole.headers) {
      for (char c : name) Check(!(c >= 'A' && c <= 'Z') && c != ':' && c != ' ');
      Check(value.find('\n') == std::string_view::npos);
    }
  } else if (all.state == ParseState::kError) {
    Check(all.status >= 400 && all.status < 600 && !all.message.empty());
  } else {
    Check(size < limits.max_head_bytes);
  }

  // The same bytes in pieces of 1 to 8 bytes.
  size_t step = size > 0 ? 1 + data[0] % 8 : 1;
  RequestHead piecewise;
  size_t resumed = 0;
  ParseResult part;
  for (size_t n = 0;;) {
    n = n + step < size ? n + step : size;
    part = ParseRequestHead(text.substr(0, n), limits, resumed, piecewise);
    if (part.state != ParseState::kIncomplete || n == size) break;
  }
  Check(part.state == all.state && part.status == all.status && part.head_bytes == all.head_bytes);
  if (all.state == ParseState::kComplete) {
    Check(piecewise.method == whole.method && piecewise.target == whole.target &&
          piecewise.path == whole.path && piecewise.query == whole.query &&
          piecewise.headers == whole.headers && piecewise.keep_alive == whole.keep_alive &&
          piecewise.content_length == whole.content_length);
  }
  Check(getihu::server::DecodeLenient(text, true).size() <= size);
  return 0;
}
