// A strict parser of HTTP/1.1 request heads (RFC 9112: the request line and the header
// fields, up to the blank line). It accepts origin-form targets only, HTTP/1.0 and HTTP/1.1,
// header names of token characters directly followed by ':', and no obsolete line folding;
// a request that declares Transfer-Encoding is refused with 411 (bodies need Content-Length).
// Incremental: the caller keeps the bytes received so far and the scan position between calls,
// so a head that arrives a byte at a time costs linear work in all. No state, thread-safe.
#ifndef GETIHU_SERVER_HTTP_PARSER_H_
#define GETIHU_SERVER_HTTP_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace getihu::server {

struct RequestHead {
  std::string method;  // as sent (case-sensitive, RFC 9110 §9.1)
  std::string target;  // as sent
  std::string path;    // the target before '?', percent-decoded (malformed escapes kept)
  std::multimap<std::string, std::string> query;             // decoded, '+' as space
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, values trimmed
  int minor_version = 1;                                     // HTTP/1.<minor_version>
  std::optional<uint64_t> content_length;
  bool keep_alive = true;  // false for "Connection: close" and HTTP/1.0 without keep-alive
  bool expect_continue = false;
};

struct HeadLimits {
  size_t max_head_bytes = 8192;  // request line, header fields and the blank line
  size_t max_headers = 100;
};

enum class ParseState { kIncomplete, kComplete, kError };

struct ParseResult {
  ParseState state = ParseState::kIncomplete;
  size_t head_bytes = 0;  // kComplete: bytes taken by the head, blank line included
  // kError: the HTTP status (400, 411, 414, 431, 505), an error code and a Chinese message.
  int status = 0;
  std::string_view code;
  std::string_view message;
};

// Parses the head at the start of `data`. `scanned` is where the previous call on the same
// (grown) buffer stopped looking for the end of the head; start with 0. kIncomplete: more bytes
// are needed (and `data` is within the limits). kComplete fills `head`. kError leaves `head`
// unspecified; the connection should answer with the status and close.
ParseResult ParseRequestHead(std::string_view data, const HeadLimits& limits, size_t& scanned,
                             RequestHead& head);

// Percent-decoding that keeps malformed escapes as they are (as browsers send them); with
// `plus_as_space`, '+' becomes ' ' (query strings).
std::string DecodeLenient(std::string_view text, bool plus_as_space);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_HTTP_PARSER_H_
