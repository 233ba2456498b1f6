#include "workflows/read_ahead.h"

namespace getihu::workflows {
namespace {

// Rows per block, and blocks in flight: enough to ride out the loader's pauses (a flush of
// 4,096 rows to the pool) with memory bounded. A block also ends once its cells pass
// kBlockBytes, so that files of very long rows stay within a few tens of MiB too.
constexpr size_t kBlockRows = 1024;
constexpr size_t kBlockBytes = 4 << 20;
constexpr size_t kBlocks = 8;

}  // namespace

// Rows of the file in order. The vectors keep their capacity (and the rows' strings theirs)
// from one use of the block to the next.
struct ReadAhead::Block {
  size_t size = 0;
  std::vector<uint64_t> lines;
  std::vector<uint8_t> valid;
  std::vector<ingest::ValidRow> rows;
  std::vector<ingest::RowIssue> issues;
  // The cells of every row, one after the other: row r's cells are
  // cell_ends[row_cells[r] .. row_cells[r + 1]) and end where those offsets say.
  std::string text;
  std::vector<uint32_t> cell_ends;
  std::vector<uint32_t> row_cells;
  // Set on the last block: ok at the end of the table, else the reader's error.
  bool last = false;
  base::Status status;

  void Clear() {
    size = 0;
    text.clear();
    cell_ends.clear();
    row_cells.assign(1, 0);
    last = false;
    status = base::OkStatus();
  }
};

ReadAhead::ReadAhead(ingest::TableReader& reader, ingest::RowValidator& validator)
    : reader_(reader), validator_(validator) {
  for (size_t i = 0; i < kBlocks; ++i) free_.push_back(std::make_unique<Block>());
  thread_ = std::thread([this] { Produce(); });
}

ReadAhead::~ReadAhead() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReadAhead::Produce() {
  for (;;) {
    std::unique_ptr<Block> block;
    {
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [&] { return stop_ || !free_.empty(); });
      if (stop_) return;
      block = std::move(free_.front());
      free_.pop_front();
    }
    bool more = Fill(*block);
    {
      std::lock_guard<std::mutex> lock(mu_);
      full_.push_back(std::move(block));
    }
    changed_.notify_all();
    if (!more) return;
  }
}

bool ReadAhead::Fill(Block& block) {
  block.Clear();
  ingest::RawRow raw;
  while (block.size < kBlockRows && block.text.size() < kBlockBytes) {
    base::Result<bool> got = reader_.Next(raw);
    if (!got.ok() || !*got) {
      block.last = true;
      block.status = got.ok() ? base::OkStatus() : got.status();
      return false;
    }
    size_t r = block.size++;
    if (block.lines.size() < block.size) {
      block.lines.resize(block.size);
      block.valid.resize(block.size);
      block.rows.resize(block.size);
      block.issues.resize(block.size);
    }
    block.lines[r] = raw.line;
    for (std::string_view cell : raw.fields) {
      block.text.append(cell);
      block.cell_ends.push_back(static_cast<uint32_t>(block.text.size()));
    }
    block.row_cells.push_back(static_cast<uint32_t>(block.cell_ends.size()));
    block.valid[r] = validator_.Validate(raw.line, raw.fields, block.rows[r], block.issues[r]);
  }
  return true;
}

base::Result<bool> ReadAhead::Next(Row& row) {
  while (!current_ || next_ == current_->size) {
    if (current_) {
      if (current_->last) {
        if (!current_->status.ok()) return current_->status;
        return false;
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        free_.push_back(std::move(current_));
      }
      changed_.notify_all();
    }
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return !full_.empty(); });
    current_ = std::move(full_.front());
    full_.pop_front();
    next_ = 0;
  }
  const Block& b = *current_;
  size_t r = next_++;
  cells_.clear();
  uint32_t start = b.row_cells[r] == 0 ? 0 : b.cell_ends[b.row_cells[r] - 1];
  for (uint32_t c = b.row_cells[r]; c < b.row_cells[r + 1]; ++c) {
    cells_.emplace_back(b.text.data() + start, b.cell_ends[c] - start);
    start = b.cell_ends[c];
  }
  row.line = b.lines[r];
  row.cells = cells_;
  row.valid = b.valid[r] ? &b.rows[r] : nullptr;
  row.issue = b.valid[r] ? nullptr : &b.issues[r];
  return true;
}

}  // namespace getihu::workflows
