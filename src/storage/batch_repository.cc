#include "storage/batch_repository.h"

#include <memory>
#include <string>
#include <vector>

namespace getihu::storage {
namespace {

constexpr std::string_view kSelectBatch =
    "SELECT id, feed, file_name, content_sha256, period, as_of, status, rows_loaded,"
    " rows_rejected, imported_at, imported_by, error_message FROM batches WHERE ";

base::Result<BatchStatus> ParseBatchStatus(std::string_view code) {
  for (BatchStatus s : {BatchStatus::kLoading, BatchStatus::kCommitted, BatchStatus::kFailed}) {
    if (BatchStatusCode(s) == code) return s;
  }
  return base::DataLoss("数据库中批次状态无法识别：" + std::string(code));
}

base::Result<Batch> ReadBatch(const Statement& row) {
  Batch b;
  b.id = row.ColumnInt(0);
  b.feed = row.ColumnText(1);
  b.file_name = row.ColumnText(2);
  b.content_sha256 = row.ColumnText(3);
  b.period = row.ColumnOptionalText(4);
  GETIHU_ASSIGN_OR_RETURN(b.as_of, row.ColumnOptionalDate(5));
  GETIHU_ASSIGN_OR_RETURN(b.status, ParseBatchStatus(row.ColumnText(6)));
  b.rows_loaded = row.ColumnInt(7);
  b.rows_rejected = row.ColumnInt(8);
  b.imported_at = row.ColumnText(9);
  b.imported_by = row.ColumnText(10);
  b.error_message = row.ColumnOptionalText(11);
  return b;
}

}  // namespace

std::string_view BatchStatusCode(BatchStatus status) {
  switch (status) {
    case BatchStatus::kLoading:
      return "loading";
    case BatchStatus::kCommitted:
      return "committed";
    case BatchStatus::kFailed:
      return "failed";
  }
  return "";
}

base::Result<int64_t> BatchRepository::CreateBatch(const NewBatch& batch) {
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> id,
      db_.QueryInt("INSERT INTO batches (feed, file_name, content_sha256, period, as_of,"
                   " status, imported_at, imported_by)"
                   " VALUES (?, ?, ?, ?, ?, 'loading', ?, ?) RETURNING id",
                   {batch.feed, batch.file_name, batch.content_sha256, batch.period, batch.as_of,
                    CstTimestamp(batch.imported_at_unix), batch.imported_by}));
  if (!id.has_value()) return base::Internal("新建批次未返回编号");
  return *id;
}

base::Status BatchRepository::MarkCommitted(int64_t batch_id, int64_t rows_loaded,
                                            int64_t rows_rejected) {
  base::Status s =
      SetOutcome(batch_id, {rows_loaded, rows_rejected, batch_id},
                 "UPDATE batches SET status = 'committed', rows_loaded = ?, rows_rejected = ?"
                 " WHERE id = ? AND status = 'loading'");
  if (s.code() == base::StatusCode::kAlreadyExists) {
    return base::AlreadyExists("同一文件已经导入过，不能重复导入（批次 " +
                               std::to_string(batch_id) + "）");
  }
  return s;
}

base::Status BatchRepository::MarkFailed(int64_t batch_id, std::string_view error_message) {
  return SetOutcome(batch_id, {error_message, batch_id},
                    "UPDATE batches SET status = 'failed', error_message = ?"
                    " WHERE id = ? AND status = 'loading'");
}

base::Status BatchRepository::SetOutcome(int64_t batch_id, std::initializer_list<Value> params,
                                         std::string_view sql) {
  GETIHU_ASSIGN_OR_RETURN(int64_t changed, db_.Execute(sql, params));
  if (changed == 0) {
    return base::NotFound("没有正在导入的批次 " + std::to_string(batch_id));
  }
  return base::OkStatus();
}

base::Result<std::string> BatchRepository::PoolRevision() {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare("SELECT count(*), max(id), (SELECT content_sha256 FROM batches WHERE id ="
                  " (SELECT max(id) FROM batches WHERE status = 'committed'))"
                  " FROM batches WHERE status = 'committed'"));
  GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row || stmt->ColumnIsNull(1)) return std::string("0");
  return std::to_string(stmt->ColumnInt(0)) + ":" + std::to_string(stmt->ColumnInt(1)) + ":" +
         stmt->ColumnText(2);
}

base::Result<std::optional<Batch>> BatchRepository::FindCommittedBatch(
    std::string_view feed, std::string_view content_sha256) {
  return FindOne("feed = ? AND content_sha256 = ? AND status = 'committed'",
                 {feed, content_sha256});
}

base::Result<std::optional<Batch>> BatchRepository::FindBatch(int64_t batch_id) {
  return FindOne("id = ?", {batch_id});
}

base::Result<std::vector<Batch>> BatchRepository::ListBatches(int64_t limit) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare(std::string(kSelectBatch) + "1 = 1 ORDER BY id DESC LIMIT ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindInt(1, limit));
  std::vector<Batch> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    GETIHU_ASSIGN_OR_RETURN(Batch batch, ReadBatch(*stmt));
    out.push_back(std::move(batch));
  }
  return out;
}

base::Result<std::optional<Batch>> BatchRepository::FindOne(std::string_view where,
                                                            std::initializer_list<Value> params) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db_.Prepare(std::string(kSelectBatch) + std::string(where)));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Batch>();
  GETIHU_ASSIGN_OR_RETURN(Batch batch, ReadBatch(*stmt));
  return std::optional<Batch>(std::move(batch));
}

base::Result<int64_t> BatchRepository::InsertRejects(int64_t batch_id,
                                                     std::span<const Reject> rejects) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare("INSERT INTO rejects (batch_id, line, column_name, value, reason, reason_code)"
                  " VALUES (?, ?, ?, ?, ?, ?)"));
  int64_t written = 0;
  for (const Reject& r : rejects) {
    GETIHU_ASSIGN_OR_RETURN(
        int64_t n, stmt->Run(std::vector<Value>{batch_id, r.line, r.column, r.value, r.reason,
                                                r.reason_code}));
    written += n;
  }
  return written;
}

}  // namespace getihu::storage
