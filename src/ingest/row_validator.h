// Validates the rows of one feed file: every cell through FieldParser, then the rules that
// span cells of a row (a recovery not before its marking, a 设立 row carrying what a new
// household needs …), then duplicate keys within the file. A bad row is data: it comes back
// as a RowIssue (line, column, value, reason), never as an error. Not thread-safe.
#ifndef GETIHU_INGEST_ROW_VALIDATOR_H_
#define GETIHU_INGEST_ROW_VALIDATOR_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/feed_layout.h"
#include "ingest/field_parser.h"

namespace getihu::ingest {

// A refused row: where, which column (Chinese header, empty for a whole-row problem), the
// offending value, a stable reason code and a Chinese message.
struct RowIssue {
  uint64_t line = 0;
  std::string column;
  std::string value;
  std::string_view reason;
  std::string message;
};

// A row whose every cell is valid; values are indexed like FeedLayout::fields.
struct ValidRow {
  uint64_t line = 0;
  std::vector<FieldValue> values;
};

// An open-addressing set of 64-bit key hashes (about 16 bytes per key), so that duplicate
// detection over a 10-million-row file stays within a few hundred MiB.
class KeyHashSet {
 public:
  // Inserts `hash`; returns false when it was already present.
  bool Insert(uint64_t hash);
  size_t size() const { return size_; }

 private:
  void Grow();
  std::vector<uint64_t> slots_;
  size_t size_ = 0;
  bool has_zero_ = false;
};

class RowValidator {
 public:
  // `columns[i]` is the column of `feed.fields[i]` in the file, or -1 when absent.
  // REQUIRES: `feed`, `parser` outlive the validator; required fields have a column.
  RowValidator(const FeedLayout& feed, std::vector<int> columns, FieldParser& parser);

  // Validates one row. Returns true and fills `row` when it is valid; otherwise returns
  // false and fills `issue` with the first problem found.
  bool Validate(uint64_t line, std::span<const std::string_view> cells, ValidRow& row,
                RowIssue& issue);

  const FeedLayout& feed() const { return feed_; }

 private:
  bool CheckRow(const ValidRow& row, RowIssue& issue) const;
  bool CheckDuplicate(const ValidRow& row, RowIssue& issue);
  int Index(std::string_view key) const;
  std::string KeyPart(const ValidRow& row, int k) const;

  const FeedLayout& feed_;
  std::vector<int> columns_;
  FieldParser& parser_;
  std::vector<int> key_fields_;
  KeyHashSet seen_keys_;
};

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_ROW_VALIDATOR_H_
