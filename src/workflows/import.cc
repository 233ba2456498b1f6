#include "workflows/import.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "domain/region.h"
#include "ingest/field_parser.h"
#include "ingest/header_matcher.h"
#include "ingest/row_validator.h"
#include "ingest/table_writer.h"
#include "storage/batch_repository.h"
#include "storage/deferred_indexes.h"
#include "workflows/batch_loader.h"
#include "workflows/content_hash.h"
#include "workflows/read_ahead.h"

namespace getihu::workflows {
namespace {

namespace fs = std::filesystem;

constexpr size_t kRejectChunk = 10'000;

std::string DefaultRejectsPath(const std::string& input) {
  fs::path p(input);
  return (p.parent_path() / (p.stem().string() + ".rejects.csv")).string();
}

// Collects refused rows: into the batch's rejects table (in chunks) and into a file (CSV with a
// BOM, or .xlsx by extension) with the input's own columns plus where and why, so that the
// department can fix the cells and import the file again. The file is written under a
// temporary name and published only once the batch has committed.
class RejectSink {
 public:
  RejectSink(storage::BatchRepository& batches, int64_t batch_id, std::string path,
             std::vector<std::string> header)
      : batches_(batches),
        batch_id_(batch_id),
        path_(std::move(path)),
        header_(std::move(header)) {}

  base::Status Add(const ingest::RowIssue& issue, std::span<const std::string_view> cells) {
    ++by_reason_[std::string(ingest::ReasonLabel(issue.reason))];
    ++count_;
    pending_.push_back(
        {static_cast<int64_t>(issue.line),
         issue.column.empty() ? std::nullopt : std::optional<std::string>(issue.column),
         std::optional<std::string>(issue.value), issue.message,
         std::optional<std::string>(std::string(issue.reason))});
    GETIHU_RETURN_IF_ERROR(OpenFile());
    std::vector<std::string_view> row(header_.size());
    for (size_t i = 0; i < header_.size() && i < cells.size(); ++i) row[i] = cells[i];
    std::string line = std::to_string(issue.line);
    row.insert(row.end(), {line, issue.column, issue.value, issue.message});
    GETIHU_RETURN_IF_ERROR(writer_->AddRow(row));
    if (pending_.size() >= kRejectChunk) return Flush();
    return base::OkStatus();
  }

  base::Status Flush() {
    if (pending_.empty()) return base::OkStatus();
    GETIHU_RETURN_IF_ERROR(batches_.InsertRejects(batch_id_, pending_).status());
    pending_.clear();
    return base::OkStatus();
  }

  base::Status Close() {
    GETIHU_RETURN_IF_ERROR(Flush());
    if (writer_) GETIHU_RETURN_IF_ERROR(writer_->Close());
    writer_.reset();
    return base::OkStatus();
  }

  // Renames the finished file into place. Returns its path ("" when nothing was rejected).
  base::Result<std::string> Publish() {
    if (count_ == 0) return std::string();
    std::error_code ec;
    fs::rename(temp_path(), path_, ec);
    if (ec) return base::Unavailable("无法保存错误行文件 " + path_ + "：" + ec.message());
    return path_;
  }

  void Discard() {
    writer_.reset();
    std::error_code ec;
    if (count_ > 0) fs::remove(temp_path(), ec);
  }

  uint64_t count() const { return count_; }
  std::vector<std::pair<std::string, uint64_t>> ByReason() const {
    std::vector<std::pair<std::string, uint64_t>> v(by_reason_.begin(), by_reason_.end());
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    return v;
  }

 private:
  // "x.rejects.csv" → "x.rejects.part.csv": same extension, so the same format is written.
  std::string temp_path() const {
    fs::path p(path_);
    return (p.parent_path() / (p.stem().string() + ".part" + p.extension().string())).string();
  }

  base::Status OpenFile() {
    if (writer_) return base::OkStatus();
    GETIHU_ASSIGN_OR_RETURN(writer_, ingest::CreateTableWriter(temp_path(), "错误行"));
    std::vector<std::string_view> row(header_.begin(), header_.end());
    row.insert(row.end(), {"错误行号", "错误列", "错误值", "错误原因"});
    return writer_->AddRow(row);
  }

  storage::BatchRepository& batches_;
  int64_t batch_id_;
  std::string path_;
  std::vector<std::string> header_;
  std::unique_ptr<ingest::TableWriter> writer_;
  std::vector<storage::Reject> pending_;
  std::map<std::string, uint64_t> by_reason_;
  uint64_t count_ = 0;
};

// A registration file's rows take about 130 bytes each (gen's average; a real feed's rows are
// no shorter): a lower bound of the households the file can bring.
constexpr uintmax_t kBytesPerRegistrationRow = 256;

// Whether loading `path` into a pool whose largest household id is `max_id` should set the
// households' secondary indexes aside (deferred_indexes.h): when the file may bring more
// households than the pool holds, rebuilding them once beats maintaining them row by row.
// On PostgreSQL only into an empty pool, as the dropped indexes lock readers out until commit.
bool ShouldDeferIndexes(const storage::Database& db, const ingest::FeedLayout& feed,
                        const std::string& path, std::optional<int64_t> max_id) {
  if (feed.name != "registration") return false;
  if (db.dialect() != storage::Dialect::kSqlite) return !max_id.has_value();
  std::error_code ec;
  uintmax_t bytes = fs::file_size(path, ec);
  if (ec) return false;
  return static_cast<uintmax_t>(max_id.value_or(0)) < bytes / kBytesPerRegistrationRow;
}

base::Result<int64_t> CountWhere(storage::Database& db, std::string_view sql, int64_t arg) {
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> n, db.QueryInt(sql, {arg}));
  return n.value_or(0);
}

// Reads, validates and loads every data row of `reader` (positioned after the header) into
// the batch; refused rows go to `rejects`. Fills the row counts of `report`.
base::Status LoadRows(storage::Database& db, const ingest::FeedLayout& feed,
                      ingest::TableReader& reader, ingest::RowValidator& validator,
                      RejectSink& rejects, const ImportOptions& options, ImportReport& report) {
  ReadAhead rows(reader, validator);
  ReadAhead::Row row;
  base::Status sink_status;
  BatchLoader loader(db, feed, report.batch_id, [&](const ingest::RowIssue& issue) {
    if (sink_status.ok()) sink_status = rejects.Add(issue, row.cells);
  });
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool more, rows.Next(row));
    if (!more) break;
    if (++report.rows_read % std::max<uint64_t>(1, options.progress_every) == 0 &&
        options.progress) {
      options.progress(report.rows_read);
    }
    base::Status s =
        row.valid != nullptr ? loader.Add(*row.valid) : rejects.Add(*row.issue, row.cells);
    GETIHU_RETURN_IF_ERROR(s);
    GETIHU_RETURN_IF_ERROR(sink_status);
  }
  GETIHU_RETURN_IF_ERROR(loader.Finish());
  report.accepted = loader.accepted();
  report.unchanged = loader.unchanged();
  report.superseded = loader.superseded();
  return base::OkStatus();
}

// Households this batch created (ids above the largest before it) and updated.
base::Status CountHouseholds(storage::Database& db, int64_t max_id_before, ImportReport& report) {
  GETIHU_ASSIGN_OR_RETURN(
      report.households_created,
      CountWhere(db, "SELECT COUNT(*) FROM households WHERE id > ?", max_id_before));
  GETIHU_ASSIGN_OR_RETURN(
      int64_t touched, CountWhere(db, "SELECT COUNT(*) FROM households WHERE updated_batch_id = ?",
                                  report.batch_id));
  report.households_updated = touched - report.households_created;
  return base::OkStatus();
}

}  // namespace

base::Result<ImportReport> ImportFile(storage::Database& db, const ingest::FeedLayout& feed,
                                      const std::string& path, const ImportOptions& options,
                                      const base::Clock& clock) {
  auto start = std::chrono::steady_clock::now();
  ImportReport report;
  report.feed = std::string(feed.name);
  report.file = path;
  GETIHU_ASSIGN_OR_RETURN(report.sha256, FileSha256(path));
  storage::BatchRepository batches(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::Batch> seen,
                          batches.FindCommittedBatch(feed.name, report.sha256));
  if (seen) {
    report.already_imported = true;
    report.batch_id = seen->id;
    return report;
  }
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<ingest::TableReader> reader,
                          ingest::OpenTable(path, options.reader));
  ingest::RawRow raw;
  GETIHU_ASSIGN_OR_RETURN(bool has_header, reader->Next(raw));
  if (!has_header) return base::InvalidArgument("文件为空：没有表头");
  std::vector<std::string> header(raw.fields.begin(), raw.fields.end());
  GETIHU_ASSIGN_OR_RETURN(ingest::ColumnMap columns, ingest::MatchHeader(feed, raw.fields));

  // A first load into a small pool runs in the backend's bulk-load mode (database.h), left
  // again whatever happens (after the transaction below has ended).
  struct BulkLoadMode {
    storage::Database* db = nullptr;
    ~BulkLoadMode() {
      if (db != nullptr) (void)db->LeaveBulkLoadMode();  // a failure: next open restores WAL
    }
  } bulk_mode;
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> max_id_before,
                          db.QueryInt("SELECT MAX(id) FROM households"));
  if (ShouldDeferIndexes(db, feed, path, max_id_before)) {
    base::Result<bool> on = db.EnterBulkLoadMode();
    if (on.ok() && *on) bulk_mode.db = &db;
  }
  GETIHU_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(db));
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> max_id,
                          db.QueryInt("SELECT MAX(id) FROM households"));
  storage::NewBatch nb{.feed = std::string(feed.name),
                       .file_name = fs::path(path).filename().string(),
                       .content_sha256 = report.sha256,
                       .as_of = options.as_of,
                       .imported_by = options.imported_by,
                       .imported_at_unix = clock.NowUnixSeconds()};
  GETIHU_ASSIGN_OR_RETURN(report.batch_id, batches.CreateBatch(nb));
  RejectSink rejects(batches, report.batch_id,
                     options.rejects_path.empty() ? DefaultRejectsPath(path) : options.rejects_path,
                     header);
  ingest::FieldParser parser(options.as_of, domain::RegionTable::Builtin(), options.allow_list);
  ingest::RowValidator validator(feed, columns.columns, parser);
  std::optional<storage::DeferredIndexes> deferred;
  if (ShouldDeferIndexes(db, feed, path, max_id)) {
    GETIHU_ASSIGN_OR_RETURN(deferred, storage::DeferredIndexes::Drop(db, "households"));
  }
  base::Status status = LoadRows(db, feed, *reader, validator, rejects, options, report);
  if (status.ok() && deferred) status = deferred->Rebuild();
  if (status.ok()) status = rejects.Close();
  if (status.ok()) {
    status = batches.MarkCommitted(report.batch_id, static_cast<int64_t>(report.accepted),
                                   static_cast<int64_t>(rejects.count()));
  }
  if (status.ok()) status = tx.Commit();
  if (!status.ok()) {
    rejects.Discard();
    return status;  // the transaction rolls back: nothing of this batch remains
  }
  GETIHU_ASSIGN_OR_RETURN(report.rejects_path, rejects.Publish());
  report.rejected = rejects.count();
  report.rejected_by_reason = rejects.ByReason();
  GETIHU_RETURN_IF_ERROR(CountHouseholds(db, max_id.value_or(0), report));
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

base::Result<std::vector<std::pair<std::string, base::Result<ImportReport>>>> ImportDirectory(
    storage::Database& db, const std::string& dir, const ImportOptions& options,
    const base::Clock& clock) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return base::NotFound("目录 " + dir + " 不存在");
  std::vector<std::pair<size_t, std::string>> files;  // (feed order, path)
  std::vector<std::pair<std::string, base::Result<ImportReport>>> results;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string ext = e.path().extension().string();
    if (!e.is_regular_file() || (ext != ".csv" && ext != ".xlsx")) continue;
    std::string stem = e.path().stem().string();
    if (stem.ends_with(".rejects") || stem.ends_with(".rejects.part")) continue;  // our output
    auto reader = ingest::OpenTable(e.path().string(), options.reader);
    ingest::RawRow header;
    base::Result<bool> got =
        reader.ok() ? (*reader)->Next(header) : base::Result<bool>(reader.status());
    if (!got.ok() || !*got) {
      results.push_back(
          {e.path().string(), got.ok() ? base::InvalidArgument("文件为空") : got.status()});
      continue;
    }
    std::vector<const ingest::FeedLayout*> feeds = ingest::DetectFeeds(header.fields);
    if (feeds.empty()) {
      results.push_back(
          {e.path().string(), base::InvalidArgument("无法从表头识别是哪个部门的数据")});
      continue;
    }
    files.push_back(
        {static_cast<size_t>(feeds.front() - ingest::AllFeeds().data()), e.path().string()});
  }
  std::sort(files.begin(), files.end());
  for (const auto& [order, path] : files) {
    results.push_back({path, ImportFile(db, ingest::AllFeeds()[order], path, options, clock)});
  }
  return results;
}

}  // namespace getihu::workflows
