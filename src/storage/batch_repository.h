// Batches (部门数据的一次导入: one imported file of one feed) and their rejected rows.
// The import workflow creates a batch, loads its rows, then marks it committed or failed;
// every stored fact points at its batch. Operates on a Database& that must outlive it;
// thread-compatible like the Database.
#ifndef GETIHU_STORAGE_BATCH_REPOSITORY_H_
#define GETIHU_STORAGE_BATCH_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

enum class BatchStatus { kLoading, kCommitted, kFailed };

// Returns "loading", "committed" or "failed".
std::string_view BatchStatusCode(BatchStatus status);

// What is known about a file before its rows are loaded.
struct NewBatch {
  std::string feed;                                  // feed layout name, e.g. "registration"
  std::string file_name;                             // as uploaded, without directories
  std::string content_sha256;                        // 64 lower-case hex digits of the file's bytes
  std::optional<std::string> period = std::nullopt;  // "YYYY" or "YYYY-MM" the file covers, if one
  std::optional<base::Date> as_of = std::nullopt;    // the date the data describes, if known
  std::string imported_by;                           // user name
  int64_t imported_at_unix = 0;                      // when the import started
};

struct Batch {
  int64_t id = 0;
  std::string feed;
  std::string file_name;
  std::string content_sha256;
  std::optional<std::string> period = std::nullopt;
  std::optional<base::Date> as_of = std::nullopt;
  BatchStatus status = BatchStatus::kLoading;
  int64_t rows_loaded = 0;
  int64_t rows_rejected = 0;
  std::string imported_at;  // "YYYY-MM-DDTHH:MM:SS+08:00"
  std::string imported_by;
  std::optional<std::string> error_message = std::nullopt;  // why it failed
};

// One rejected row of a file (or one problem with it): the rejects report.
struct Reject {
  int64_t line = 0;  // 1-based line (row) in the file
  std::optional<std::string> column =
      std::nullopt;                                 // the department's column name; none: whole row
  std::optional<std::string> value = std::nullopt;  // the offending value as read
  std::string reason;                               // Chinese, for the department
  std::optional<std::string> reason_code = std::nullopt;  // stable, e.g. "invalid_uscc"
};

class BatchRepository {
 public:
  explicit BatchRepository(Database& db) : db_(db) {}

  // Records a new batch with status "loading". Returns its id, or InvalidArgument when a
  // field breaks the schema (e.g. a hash that is not 64 characters).
  base::Result<int64_t> CreateBatch(const NewBatch& batch);

  // Marks a loading batch committed with its row counts. Returns AlreadyExists when the
  // same file (feed and content hash) is already committed, NotFound when `batch_id` is
  // not a loading batch.
  base::Status MarkCommitted(int64_t batch_id, int64_t rows_loaded, int64_t rows_rejected);

  // Marks a loading batch failed with a Chinese explanation. NotFound as above.
  base::Status MarkFailed(int64_t batch_id, std::string_view error_message);

  // Returns the committed batch of `feed` with this content hash, if any: a file that was
  // already imported (importing it again must change nothing).
  base::Result<std::optional<Batch>> FindCommittedBatch(std::string_view feed,
                                                        std::string_view content_sha256);

  base::Result<std::optional<Batch>> FindBatch(int64_t batch_id);
  // The most recent `limit` batches, newest first.
  base::Result<std::vector<Batch>> ListBatches(int64_t limit);

  // A text that changes whenever a batch commits: the number of committed batches, the
  // newest one's id and its file's hash. Every write to the households and the feeds' facts
  // commits with its batch, so two equal revisions read the same pool (a restored backup
  // that then commits a different file gets another hash). For caches of what is derived
  // from the pool (server/population_cache.h).
  base::Result<std::string> PoolRevision();

  // Appends rejected rows to a batch. Returns how many were written.
  base::Result<int64_t> InsertRejects(int64_t batch_id, std::span<const Reject> rejects);

 private:
  base::Status SetOutcome(int64_t batch_id, std::initializer_list<Value> params,
                          std::string_view sql);
  base::Result<std::optional<Batch>> FindOne(std::string_view where,
                                             std::initializer_list<Value> params);

  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_BATCH_REPOSITORY_H_
