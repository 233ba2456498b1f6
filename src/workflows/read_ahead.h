// Reads and validates the rows of a department file on a thread of its own, ahead of the
// loader, so that an import uses two cores: one parses and checks cells (ingest only, no
// database), the other writes to the pool. Rows come out in file order, exactly as the
// reader and the validator would give them one by one. Internal to workflows/import.
#ifndef GETIHU_WORKFLOWS_READ_AHEAD_H_
#define GETIHU_WORKFLOWS_READ_AHEAD_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/status.h"
#include "ingest/row_validator.h"
#include "ingest/table_reader.h"

namespace getihu::workflows {

class ReadAhead {
 public:
  // One row of the file, valid until the next call to Next().
  struct Row {
    uint64_t line = 0;
    // The cells as the reader gave them (for the rejects file, in the input's layout).
    std::span<const std::string_view> cells;
    // The validated row, or null when the validator refused it (then `issue` says why).
    const ingest::ValidRow* valid = nullptr;
    const ingest::RowIssue* issue = nullptr;
  };

  // Starts reading `reader` (positioned after its header) and validating each row with
  // `validator`; both are used by the thread only, until the object is destroyed.
  ReadAhead(ingest::TableReader& reader, ingest::RowValidator& validator);
  // Stops the thread (whatever it is doing) and waits for it.
  ~ReadAhead();
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;

  // The next row in file order; false after the last. An error of the reader (a malformed
  // file) comes after the rows before it.
  base::Result<bool> Next(Row& row);

 private:
  struct Block;

  void Produce();
  // Fills `block` with up to kBlockRows rows; false once the table has ended or failed.
  bool Fill(Block& block);

  ingest::TableReader& reader_;
  ingest::RowValidator& validator_;

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Block>> full_;  // read, in order, not yet taken
  std::deque<std::unique_ptr<Block>> free_;  // taken back, to be filled again
  bool stop_ = false;

  // The consumer's side.
  std::unique_ptr<Block> current_;
  size_t next_ = 0;
  std::vector<std::string_view> cells_;

  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_READ_AHEAD_H_
