// Importing a department file into the data pool (SPEC C1): read (ingest) → validate →
// write every accepted row in ONE transaction with its batch (storage), refused rows to a
// rejects file the department can fix in Excel and import again. Importing the same bytes
// twice changes nothing. Not thread-safe: one import per Database connection at a time.
#ifndef GETIHU_WORKFLOWS_IMPORT_H_
#define GETIHU_WORKFLOWS_IMPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/date.h"
#include "base/status.h"
#include "domain/uscc.h"
#include "ingest/feed_layout.h"
#include "ingest/table_reader.h"
#include "storage/database.h"

namespace getihu::workflows {

struct ImportOptions {
  base::Date as_of;                    // dates after it are refused
  std::string imported_by = "命令行";  // recorded on the batch
  std::string rejects_path;            // "" → "<file without extension>.rejects.csv"
  const domain::UsccAllowList* allow_list = nullptr;
  ingest::ReaderOptions reader;
  // Called every `progress_every` data rows with the rows read so far (e.g. to show progress
  // on a terminal). May be empty.
  std::function<void(uint64_t rows_read)> progress;
  uint64_t progress_every = 100'000;
};

struct ImportReport {
  std::string feed;
  std::string file;
  std::string sha256;
  int64_t batch_id = 0;
  bool already_imported = false;  // the same bytes were loaded before as `batch_id`
  uint64_t rows_read = 0;         // data rows, header excluded
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t unchanged = 0;  // accepted rows whose facts were already stored (left as they were)
  uint64_t superseded =
      0;  // accepted rows that corrected an earlier batch's value (kept in history)
  std::vector<std::pair<std::string, uint64_t>> rejected_by_reason;  // Chinese label, most first
  int64_t households_created = 0;
  int64_t households_updated = 0;
  double seconds = 0;
  std::string rejects_path;  // the rejects file, "" when nothing was rejected
};

// Imports one file of `feed` as one batch: all accepted rows or nothing. Returns the report;
// rejected rows are not an error. Errors (nothing stored): InvalidArgument (Chinese) for a
// file that cannot be read as this feed — empty, missing required columns, malformed CSV or
// .xlsx, wrong encoding; Unavailable when the file or the rejects file cannot be accessed.
base::Result<ImportReport> ImportFile(storage::Database& db, const ingest::FeedLayout& feed,
                                      const std::string& path, const ImportOptions& options,
                                      const base::Clock& clock = base::SystemClock());

// Recognises each CSV/.xlsx file in `dir` by its header (ingest::DetectFeeds) and imports
// them registration first, then the others in feed order. A file that matches no feed is
// an error for that file only; the reports say what happened to each.
base::Result<std::vector<std::pair<std::string, base::Result<ImportReport>>>> ImportDirectory(
    storage::Database& db, const std::string& dir, const ImportOptions& options,
    const base::Clock& clock = base::SystemClock());

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_IMPORT_H_
