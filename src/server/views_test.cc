#include "server/views.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace getihu::server {
namespace {

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(ViewsTest, JsonStringsAreEscapedAsTheLibraryDumpsThem) {
  const std::string control = std::string("a\0b", 3) + "\x01\x1f\x7f";
  const std::string invalid = "坏\xff\xfe字\xe4\xb8";  // stray bytes and a cut sequence
  for (const std::string& s :
       {std::string(""), std::string("老王牛肉面馆"), std::string("say \"hi\"\\ \n\r\t\b\f"),
        control, invalid, std::string("\xf0\x9f\x98\x80 emoji"), std::string("\xed\xa0\x80")}) {
    SCOPED_TRACE(s);
    EXPECT_EQ(JsonString(s), Json(s).dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  EXPECT_EQ(JsonString("\x01"), "\"\\u0001\"");
  EXPECT_EQ(Json::parse(JsonString(invalid)).get<std::string>(), "坏\ufffd\ufffd字\ufffd");
}

// What the detail view's clients read: each table with its title and rows, each row its columns
// in order, null kept, an amount in fen beside its text in 元.
TEST(ViewsTest, RecordTablesAsJsonText) {
  std::vector<storage::RecordTable> tables = {
      {"annual_reports",
       {"year", "revenue_fen", "employees"},
       {{"2025", "1234567", std::nullopt}, {"2024", std::nullopt, "3"}}},
      {"honours", {"kind", "granted_on"}, {}},
      {"penalties", {"reason"}, {{"未按\"规定\"公示\n年报"}}}};
  std::string out;
  AppendRecordTablesJson(out, tables);
  Json j = Json::parse(out);
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["table"], "annual_reports");
  EXPECT_EQ(j[0]["title"], "年度报告");
  ASSERT_EQ(j[0]["rows"].size(), 2u);
  const Json& first = j[0]["rows"][0];
  std::vector<std::string> keys;
  for (const auto& [k, v] : first.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"year", "revenue_fen", "revenue_yuan", "employees"}));
  EXPECT_EQ(first["year"], "2025");
  EXPECT_EQ(first["revenue_fen"], 1234567);
  EXPECT_EQ(first["revenue_yuan"], "12,345.67");
  EXPECT_TRUE(first["employees"].is_null());
  EXPECT_TRUE(j[0]["rows"][1]["revenue_fen"].is_null());
  EXPECT_FALSE(j[0]["rows"][1].contains("revenue_yuan"));
  EXPECT_EQ(j[1]["rows"], Json::array());
  EXPECT_EQ(j[2]["rows"][0]["reason"], "未按\"规定\"公示\n年报");
  std::string none;
  AppendRecordTablesJson(none, {});
  EXPECT_EQ(none, "[]");
}

}  // namespace
}  // namespace getihu::server
