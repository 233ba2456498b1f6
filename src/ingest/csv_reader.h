// Streaming CSV reader (RFC 4180): comma-separated, CRLF or LF line ends, fields in
// double quotes may hold commas, doubled quotes and line breaks. The encoding (UTF-8 with
// or without BOM, else GB18030) is detected from the first chunk and decoded chunk by
// chunk, so memory stays bounded (about max_record_bytes + 3 × chunk_bytes) whatever the
// file size. Not thread-safe.
//
// Leniencies, as Excel reads CSV: a quote inside an unquoted field is kept as text; a CR
// not followed by LF is kept as text; blank lines (and rows of empty fields) are skipped.
// Refused, with the line: NUL bytes (binary files), invalid UTF-8 or GB18030 anywhere, a
// record longer than max_record_bytes, a quote left open at the end of the file, and text
// after the closing quote of a field.
#ifndef GETIHU_INGEST_CSV_READER_H_
#define GETIHU_INGEST_CSV_READER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/text.h"
#include "ingest/byte_source.h"
#include "ingest/stream_decoder.h"
#include "ingest/table_reader.h"

namespace getihu::ingest {

class CsvReader final : public TableReader {
 public:
  // Reads the first chunk of `source` and detects its encoding. Returns InvalidArgument
  // for a UTF-16 file or one with NUL bytes, and the source's read errors.
  static base::Result<std::unique_ptr<CsvReader>> Open(std::unique_ptr<ByteSource> source,
                                                       const ReaderOptions& options);

  base::Result<bool> Next(RawRow& row) override;
  std::string_view format() const override { return "CSV"; }
  std::string_view encoding() const override { return base::EncodingName(encoding_); }
  uint64_t bytes_read() const override { return bytes_read_; }

 private:
  enum class Parse { kRecord, kNeedMore };

  CsvReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options);

  base::Status Start();
  // Parses the record at pos_ into row.fields; kNeedMore when the buffer ends first.
  base::Result<Parse> ParseRecord(RawRow& row);
  base::Result<const char*> ParseQuoted(const char* p, const char* end, uint64_t& newlines,
                                        RawRow& row, bool& record_end);
  void Unescape(RawRow& row);
  // Moves the pending record to the front of the buffer and appends decoded text.
  base::Status Fill();
  base::Status FillUtf8(size_t n);
  base::Status FillGb18030(size_t n);
  base::Status CheckNoNul(const char* p, size_t n, uint64_t line_base, size_t offset);
  base::Status RecordTooLong() const;
  // The physical line of buffer offset `offset` (≥ pos_).
  uint64_t LineAt(size_t offset) const;

  std::unique_ptr<ByteSource> source_;
  const size_t max_record_bytes_;
  const size_t chunk_bytes_;
  base::Encoding encoding_ = base::Encoding::kUtf8;
  std::unique_ptr<Gb18030Decoder> gb_;

  std::unique_ptr<char[]> buf_;  // decoded UTF-8; [pos_, end_) not yet parsed
  size_t cap_ = 0;               // usable bytes of buf_ (padding follows)
  size_t pos_ = 0;
  size_t end_ = 0;
  size_t validated_ = 0;         // UTF-8: [.., validated_) checked; the rest is a cut character
  std::unique_ptr<char[]> raw_;  // GB18030: undecoded bytes
  size_t raw_len_ = 0;
  bool eof_ = false;

  uint64_t line_ = 1;             // line of the record at pos_
  uint64_t open_quote_line_ = 0;  // set when the buffer ended inside a quoted field
  uint64_t bytes_read_ = 0;
  bool any_row_ = false;
  std::vector<uint32_t> unescape_;  // fields of the current record holding ""
};

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_CSV_READER_H_
