#include "synth/generator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "domain/uscc.h"
#include "ingest/feed_layout.h"

namespace getihu::synth {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Splits RFC 4180 text into records of fields (test-only reader).
std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    std::string& field = rows.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      rows.emplace_back(1);
    } else {
      field += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

class GeneratorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("getihu_gen_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  GenerateOptions Options(const std::string& dir) {
    GenerateOptions o;
    o.households = 3000;
    o.as_of = *base::Date::Parse("2026-07-01");
    o.seed = 9;
    o.out_dir = (root_ / dir).string();
    o.chunk_households = 700;
    return o;
  }

  fs::path root_;
};

TEST_F(GeneratorTest, SameSeedGivesByteIdenticalFilesWhateverTheThreads) {
  GenerateOptions a = Options("a"), b = Options("b"), c = Options("c");
  a.threads = 1;
  b.threads = 3;
  b.chunk_households = 1234;
  c.seed = 10;
  ASSERT_TRUE(Generate(a).ok());
  ASSERT_TRUE(Generate(b).ok());
  ASSERT_TRUE(Generate(c).ok());
  for (const ingest::FeedLayout& feed : ingest::AllFeeds()) {
    std::string name = std::string(feed.name) + ".csv";
    EXPECT_EQ(ReadFile(root_ / "a" / name), ReadFile(root_ / "b" / name)) << name;
  }
  EXPECT_EQ(ReadFile(root_ / "a" / "manifest.json"), ReadFile(root_ / "b" / "manifest.json"));
  EXPECT_NE(ReadFile(root_ / "a" / "registration.csv"), ReadFile(root_ / "c" / "registration.csv"));
}

TEST_F(GeneratorTest, WritesEveryFeedInItsLayoutAndEncoding) {
  auto result = Generate(Options("x"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->population.in_stock, 3000u);
  ASSERT_EQ(result->files.size(), ingest::AllFeeds().size());
  for (size_t f = 0; f < result->files.size(); ++f) {
    const ingest::FeedLayout& feed = ingest::AllFeeds()[f];
    std::string bytes = ReadFile(result->files[f].path);
    base::Encoding enc = base::DetectEncoding(bytes);
    EXPECT_EQ(base::EncodingName(enc), result->files[f].encoding) << feed.name;
    auto text = base::DecodeToUtf8(bytes, enc);
    ASSERT_TRUE(text.ok()) << feed.name;
    auto rows = ParseCsv(*text);
    ASSERT_FALSE(rows.empty()) << feed.name;
    ASSERT_EQ(rows[0].size(), feed.fields.size()) << feed.name;
    for (size_t i = 0; i < feed.fields.size(); ++i) EXPECT_EQ(rows[0][i], feed.fields[i].header);
    EXPECT_EQ(rows.size() - 1, result->files[f].tally.rows) << feed.name;
    for (size_t r = 1; r < rows.size(); ++r) {
      ASSERT_EQ(rows[r].size(), feed.fields.size()) << feed.name << " row " << r;
    }
  }
}

TEST_F(GeneratorTest, GoodRowsCarryValidCodesAndBadRowsAreCounted) {
  GenerateOptions o = Options("bad");
  o.bad_row_rate = 0.05;
  auto result = Generate(o);
  ASSERT_TRUE(result.ok());
  const FeedFile& reg = result->files[0];
  auto rows = ParseCsv(ReadFile(reg.path));
  uint64_t invalid = 0;
  for (size_t r = 1; r < rows.size(); ++r) invalid += !domain::ValidateUscc(rows[r][0]).ok();
  EXPECT_EQ(invalid, reg.tally.bad[static_cast<size_t>(BadRow::kBadCheckChar)]);
  EXPECT_GT(reg.tally.BadTotal(), 0u);
  auto manifest = nlohmann::json::parse(ReadFile(result->manifest_path));
  EXPECT_EQ(manifest["households_in_stock"], 3000);
  EXPECT_EQ(manifest["files"][0]["bad_rows"], reg.tally.BadTotal());
}

TEST_F(GeneratorTest, RefusesBadOptionsInChinese) {
  GenerateOptions o = Options("n");
  o.households = 0;
  EXPECT_EQ(Generate(o).status().code(), base::StatusCode::kInvalidArgument);
  o = Options("n");
  o.region_code = "509999";
  auto r = Generate(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("区划"), std::string::npos);
}

}  // namespace
}  // namespace getihu::synth
