#include "base/column_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace getihu::base {
namespace {

namespace fs = std::filesystem;

class ColumnFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("getihu-column-file-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(ColumnFileTest, ArraysComeBackAsWritten) {
  const std::vector<int64_t> ids = {3, 5, 8, 1'000'000'000'000};
  const std::vector<uint8_t> flags = {1, 0, 1};  // odd length: the next array is still aligned
  const std::vector<int32_t> days = {-1, 0, 20'000};
  const std::vector<uint32_t> none;
  ColumnWriter w("pool v1 rev 7");
  w.Add("ids", ids);
  w.Add("flags", flags);
  w.Add("days", days);
  w.Add("none", none);
  ASSERT_TRUE(w.Write(Path("a.cols")).ok());

  Result<ColumnFile> f = ColumnFile::Open(Path("a.cols"), "pool v1 rev 7");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto got_ids = f->Get<int64_t>("ids");
  auto got_flags = f->Get<uint8_t>("flags");
  auto got_days = f->Get<int32_t>("days");
  auto got_none = f->Get<uint32_t>("none");
  ASSERT_TRUE(got_ids.ok() && got_flags.ok() && got_days.ok() && got_none.ok());
  EXPECT_EQ(std::vector<int64_t>(got_ids->begin(), got_ids->end()), ids);
  EXPECT_EQ(std::vector<uint8_t>(got_flags->begin(), got_flags->end()), flags);
  EXPECT_EQ(std::vector<int32_t>(got_days->begin(), got_days->end()), days);
  EXPECT_TRUE(got_none->empty());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(got_days->data()) % 8, 0u);
  // Nothing temporary is left beside the file.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(ColumnFileTest, AnotherTagAMissingArrayOrAWrongSizeIsRefused) {
  const std::vector<int32_t> days = {1, 2};
  ColumnWriter w("rev 1");
  w.Add("days", days);
  ASSERT_TRUE(w.Write(Path("a.cols")).ok());
  EXPECT_EQ(ColumnFile::Open(Path("a.cols"), "rev 2").status().code(), StatusCode::kDataLoss);
  Result<ColumnFile> f = ColumnFile::Open(Path("a.cols"), "rev 1");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->Get<int32_t>("other").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(f->Get<int64_t>("days").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ColumnFile::Open(Path("absent.cols"), "rev 1").status().code(), StatusCode::kNotFound);
}

TEST_F(ColumnFileTest, ATruncatedOrForeignFileIsRefused) {
  std::vector<int64_t> ids(1000);
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i);
  ColumnWriter w("rev 1");
  w.Add("ids", ids);
  ASSERT_TRUE(w.Write(Path("a.cols")).ok());
  fs::resize_file(Path("a.cols"), fs::file_size(Path("a.cols")) - 8);
  EXPECT_EQ(ColumnFile::Open(Path("a.cols"), "rev 1").status().code(), StatusCode::kDataLoss);
  std::ofstream(Path("b.cols")) << std::string(4096, 'x');
  EXPECT_EQ(ColumnFile::Open(Path("b.cols"), "rev 1").status().code(), StatusCode::kDataLoss);
  std::ofstream(Path("c.cols")) << "GTH";
  EXPECT_EQ(ColumnFile::Open(Path("c.cols"), "rev 1").status().code(), StatusCode::kDataLoss);
}

TEST_F(ColumnFileTest, AWriteReplacesTheOldFileWhole) {
  const std::vector<int32_t> first = {1, 2, 3}, second = {4, 5};
  ColumnWriter a("rev 1"), b("rev 2");
  a.Add("v", first);
  b.Add("v", second);
  ASSERT_TRUE(a.Write(Path("a.cols")).ok());
  Result<ColumnFile> old = ColumnFile::Open(Path("a.cols"), "rev 1");
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(b.Write(Path("a.cols")).ok());
  // A reader of the old file keeps reading it whole.
  EXPECT_EQ(old->Get<int32_t>("v")->size(), 3u);
  Result<ColumnFile> now = ColumnFile::Open(Path("a.cols"), "rev 2");
  ASSERT_TRUE(now.ok());
  EXPECT_EQ((*now->Get<int32_t>("v"))[1], 5);
  EXPECT_EQ(ColumnFile::Open(Path("missing-dir/a.cols"), "rev 1").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(a.Write(Path("missing-dir/a.cols")).code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace getihu::base
