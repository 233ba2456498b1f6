#include "server/http_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace getihu::server {
namespace {

ParseResult Parse(std::string_view text, RequestHead& head, HeadLimits limits = {}) {
  size_t scanned = 0;
  return ParseRequestHead(text, limits, scanned, head);
}

TEST(HttpParserTest, ParsesRequestLineHeadersAndQuery) {
  RequestHead head;
  std::string text =
      "GET /api/v1/households/%E5%B7%B4?q=a+b&limit=5&flag&=x HTTP/1.1\r\n"
      "Host: localhost\r\nCookie:  getihu_session=ab  \r\n\r\nrest";
  ParseResult r = Parse(text, head);
  ASSERT_EQ(r.state, ParseState::kComplete);
  EXPECT_EQ(r.head_bytes, text.size() - 4);
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.path, "/api/v1/households/巴");
  EXPECT_EQ(head.query.find("q")->second, "a b");
  EXPECT_EQ(head.query.find("limit")->second, "5");
  EXPECT_EQ(head.query.find("flag")->second, "");
  EXPECT_EQ(head.query.size(), 3u);
  ASSERT_EQ(head.headers.size(), 2u);
  EXPECT_EQ(head.headers[0].first, "host");
  EXPECT_EQ(head.headers[1].second, "getihu_session=ab");
  EXPECT_TRUE(head.keep_alive);
  EXPECT_FALSE(head.content_length.has_value());
}

TEST(HttpParserTest, ResumesWhereItStoppedWhenBytesTrickleIn) {
  std::string text = "POST /x HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n";
  RequestHead head;
  size_t scanned = 0;
  for (size_t n = 1; n < text.size(); ++n) {
    ASSERT_EQ(ParseRequestHead(std::string_view(text).substr(0, n), {}, scanned, head).state,
              ParseState::kIncomplete)
        << n;
    EXPECT_EQ(scanned, n);
  }
  ParseResult r = ParseRequestHead(text, {}, scanned, head);
  ASSERT_EQ(r.state, ParseState::kComplete);
  EXPECT_EQ(head.content_length, 3u);
  EXPECT_TRUE(head.expect_continue);
}

TEST(HttpParserTest, ConnectionCloseAndHttp10KeepAlive) {
  RequestHead head;
  ASSERT_EQ(Parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n", head).state,
            ParseState::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\n\r\n", head).state, ParseState::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", head).state,
            ParseState::kComplete);
  EXPECT_TRUE(head.keep_alive);
}

TEST(HttpParserTest, IgnoresEmptyLinesBeforeTheRequestLine) {
  RequestHead head;
  ParseResult r = Parse("\r\n\r\nGET / HTTP/1.1\r\n\r\n", head);
  ASSERT_EQ(r.state, ParseState::kComplete);
  EXPECT_EQ(r.head_bytes, 22u);
}

TEST(HttpParserTest, RefusesMalformedHeads) {
  const char* bad[] = {
      "GET / HTTP/1.1\nHost: x\n\n",                   // bare LF
      "GET  / HTTP/1.1\r\n\r\n",                       // two spaces
      "GET http://example.com/ HTTP/1.1\r\n\r\n",      // absolute form
      "GET / HTTP/1.1\r\nHost : x\r\n\r\n",            // space before the colon
      "GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",     // obsolete folding
      "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",  // not a number
      "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "GET / HTTP/1.1\r\nX: a\x01"
      "b\r\n\r\n",  // control character
      "GET /\x7f HTTP/1.1\r\n\r\n",
      "G(T / HTTP/1.1\r\n\r\n",
      "GET / FTP/1.0\r\n\r\n",
  };
  for (const char* text : bad) {
    RequestHead head;
    ParseResult r = Parse(text, head);
    EXPECT_EQ(r.state, ParseState::kError) << text;
    EXPECT_EQ(r.status, 400) << text;
  }
  RequestHead head;
  EXPECT_EQ(Parse(std::string_view("GET /\0 HTTP/1.1\r\n\r\n", 19), head).status, 400);
}

TEST(HttpParserTest, ChunkedBodiesNeedAContentLength) {
  RequestHead head;
  ParseResult r = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", head);
  EXPECT_EQ(r.status, 411);
  EXPECT_EQ(r.code, "length_required");
}

TEST(HttpParserTest, OtherHttpVersionsGet505) {
  RequestHead head;
  EXPECT_EQ(Parse("GET / HTTP/2.0\r\n\r\n", head).status, 505);
}

TEST(HttpParserTest, OversizedHeadsGet431AndLongTargets414) {
  HeadLimits limits;
  limits.max_head_bytes = 64;
  RequestHead head;
  std::string headers = "GET / HTTP/1.1\r\nX-Long: " + std::string(60, 'a');
  EXPECT_EQ(Parse(headers, head, limits).status, 431);  // even before the end arrives
  EXPECT_EQ(Parse(headers + "\r\n\r\n", head, limits).status, 431);
  std::string target = "GET /" + std::string(80, 'a');
  EXPECT_EQ(Parse(target, head, limits).status, 414);
  limits.max_headers = 2;
  limits.max_head_bytes = 8192;
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", head, limits).status, 431);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", head, limits).state,
            ParseState::kComplete);
}

TEST(HttpParserTest, DecodesLenientlyKeepingMalformedEscapes) {
  EXPECT_EQ(DecodeLenient("%41%2x%4", false), "A%2x%4");
  EXPECT_EQ(DecodeLenient("a+b%2B", true), "a b+");
  EXPECT_EQ(DecodeLenient("a+b", false), "a+b");
}

}  // namespace
}  // namespace getihu::server
