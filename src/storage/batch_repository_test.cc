#include "storage/batch_repository.h"

#include <gtest/gtest.h>

#include <vector>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

TEST_P(BatchRepositoryTest, NewBatchIsLoading) {
  BatchRepository batches(db());
  NewBatch input{.feed = "tax",
                 .file_name = "纳税2023.csv",
                 .content_sha256 = Sha(7),
                 .period = "2023",
                 .as_of = Ymd(2024, 3, 31),
                 .imported_by = "李四",
                 .imported_at_unix = kNow};
  auto id = batches.CreateBatch(input);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto batch = batches.FindBatch(*id);
  ASSERT_TRUE(batch.ok() && batch->has_value());
  const Batch& b = **batch;
  EXPECT_EQ(b.feed, "tax");
  EXPECT_EQ(b.file_name, "纳税2023.csv");
  EXPECT_EQ(b.content_sha256, Sha(7));
  EXPECT_EQ(b.period, "2023");
  EXPECT_EQ(b.as_of, Ymd(2024, 3, 31));
  EXPECT_EQ(b.status, BatchStatus::kLoading);
  EXPECT_EQ(b.imported_at, "2024-07-01T08:00:00+08:00");
  EXPECT_EQ(b.imported_by, "李四");
  EXPECT_EQ(b.error_message, std::nullopt);
}

TEST_P(BatchRepositoryTest, CommittedBatchIsFoundByContentHash) {
  BatchRepository batches(db());
  int64_t id = NewBatchId(1, "tax");
  EXPECT_EQ(*batches.FindCommittedBatch("tax", Sha(1)), std::nullopt);  // still loading
  ASSERT_TRUE(batches.MarkCommitted(id, 10, 2).ok());
  auto found = batches.FindCommittedBatch("tax", Sha(1));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, id);
  EXPECT_EQ((*found)->rows_loaded, 10);
  EXPECT_EQ((*found)->rows_rejected, 2);
  EXPECT_EQ(*batches.FindCommittedBatch("annual_report", Sha(1)), std::nullopt);
}

// The pool's revision moves with every committed batch and only then: a batch still loading
// or failed changed nothing.
TEST_P(BatchRepositoryTest, PoolRevisionMovesWhenABatchCommits) {
  BatchRepository batches(db());
  auto empty = batches.PoolRevision();
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  int64_t first = NewBatchId(1);
  EXPECT_EQ(*batches.PoolRevision(), *empty);
  ASSERT_TRUE(batches.MarkCommitted(first, 1, 0).ok());
  std::string one = *batches.PoolRevision();
  EXPECT_NE(one, *empty);
  int64_t failed = NewBatchId(2);
  ASSERT_TRUE(batches.MarkFailed(failed, "格式错误").ok());
  EXPECT_EQ(*batches.PoolRevision(), one);
  ASSERT_TRUE(batches.MarkCommitted(NewBatchId(3), 1, 0).ok());
  std::string two = *batches.PoolRevision();
  EXPECT_NE(two, one);
  EXPECT_EQ(*batches.PoolRevision(), two);  // reading it changes nothing
}

TEST_P(BatchRepositoryTest, SameFileCannotBeCommittedTwice) {
  BatchRepository batches(db());
  ASSERT_TRUE(batches.MarkCommitted(NewBatchId(1), 1, 0).ok());
  int64_t again = NewBatchId(1);
  base::Status s = batches.MarkCommitted(again, 1, 0);
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(s.message().starts_with("同一文件已经导入过")) << s.message();
}

TEST_P(BatchRepositoryTest, FailedBatchDoesNotBlockARetry) {
  BatchRepository batches(db());
  int64_t failed = NewBatchId(1);
  ASSERT_TRUE(batches.MarkFailed(failed, "第 3 行：统一社会信用代码校验位错误").ok());
  auto b = batches.FindBatch(failed);
  EXPECT_EQ((*b)->status, BatchStatus::kFailed);
  EXPECT_EQ((*b)->error_message, "第 3 行：统一社会信用代码校验位错误");
  EXPECT_TRUE(batches.MarkCommitted(NewBatchId(1), 5, 0).ok());
}

TEST_P(BatchRepositoryTest, OnlyALoadingBatchChangesOutcome) {
  BatchRepository batches(db());
  int64_t id = NewBatchId();
  ASSERT_TRUE(batches.MarkCommitted(id, 1, 0).ok());
  EXPECT_EQ(batches.MarkFailed(id, "x").code(), StatusCode::kNotFound);
  EXPECT_EQ(batches.MarkCommitted(id + 100, 1, 0).code(), StatusCode::kNotFound);
}

TEST_P(BatchRepositoryTest, MalformedHashIsRefused) {
  NewBatch input{.feed = "tax", .file_name = "a.csv", .content_sha256 = "abc", .imported_by = "x"};
  EXPECT_EQ(BatchRepository(db()).CreateBatch(input).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(BatchRepositoryTest, RejectsAreStoredWithTheirBatch) {
  int64_t id = NewBatchId();
  std::vector<Reject> rejects = {
      {.line = 2,
       .column = "统一社会信用代码",
       .value = "92500113MA5U0000X0",
       .reason = "校验位错误"},
      {.line = 9, .column = std::nullopt, .value = std::nullopt, .reason = "列数不对"},
  };
  auto written = BatchRepository(db()).InsertRejects(id, rejects);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(*written, 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM rejects WHERE batch_id = ? AND column_name IS NULL", {id}),
            1);
  EXPECT_EQ(BatchRepository(db()).InsertRejects(id + 100, rejects).status().code(),
            StatusCode::kInvalidArgument);  // unknown batch
}

}  // namespace
}  // namespace getihu::storage::testing
