#include "ingest/csv_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "ingest/csv_scanner.h"

namespace getihu::ingest {
namespace {

constexpr size_t kPadding = kCsvScanPadding;

std::string Line(uint64_t n) { return "第 " + std::to_string(n) + " 行"; }

bool IsBlank(const std::vector<std::string_view>& fields) {
  return std::all_of(fields.begin(), fields.end(), [](std::string_view f) { return f.empty(); });
}

// Reads until `n` bytes or the end of the source.
base::Result<size_t> ReadFully(ByteSource& source, char* dst, size_t n) {
  size_t total = 0;
  while (total < n) {
    GETIHU_ASSIGN_OR_RETURN(size_t got, source.Read(dst + total, n - total));
    if (got == 0) break;
    total += got;
  }
  return total;
}

}  // namespace

CsvReader::CsvReader(std::unique_ptr<ByteSource> source, const ReaderOptions& options)
    : source_(std::move(source)),
      max_record_bytes_(std::max<size_t>(options.max_record_bytes, 1)),
      chunk_bytes_(std::max<size_t>(options.chunk_bytes, 16)) {}

base::Result<std::unique_ptr<CsvReader>> CsvReader::Open(std::unique_ptr<ByteSource> source,
                                                         const ReaderOptions& options) {
  std::unique_ptr<CsvReader> reader(new CsvReader(std::move(source), options));
  GETIHU_RETURN_IF_ERROR(reader->Start());
  return reader;
}

base::Status CsvReader::Start() {
  // Room for a pending record of max_record_bytes_ plus a chunk that may grow by half
  // when GB18030 becomes UTF-8.
  cap_ = max_record_bytes_ + 2 * chunk_bytes_;
  buf_ = std::make_unique<char[]>(cap_ + kPadding);
  GETIHU_ASSIGN_OR_RETURN(size_t n, ReadFully(*source_, buf_.get(), chunk_bytes_));
  bytes_read_ = n;
  std::string_view head(buf_.get(), n);
  if (head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")) {
    return base::InvalidArgument(
        "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为 UTF-8 或 GB18030 编码的 CSV");
  }
  if (head.find('\0') != std::string_view::npos) {
    return base::InvalidArgument("文件含有二进制内容，不是文本文件");
  }
  encoding_ = base::DetectEncoding(head);
  if (encoding_ == base::Encoding::kGb18030) {
    GETIHU_ASSIGN_OR_RETURN(gb_, Gb18030Decoder::Create());
    raw_ = std::make_unique<char[]>(chunk_bytes_);
    std::memcpy(raw_.get(), buf_.get(), n);
    return FillGb18030(n);
  }
  GETIHU_RETURN_IF_ERROR(FillUtf8(n));
  if (encoding_ == base::Encoding::kUtf8Bom) pos_ = 3;
  return base::OkStatus();
}

base::Result<bool> CsvReader::Next(RawRow& row) {
  for (;;) {
    if (pos_ == end_ && eof_) {
      if (!any_row_) return base::InvalidArgument("文件为空");
      return false;
    }
    GETIHU_ASSIGN_OR_RETURN(Parse parse, ParseRecord(row));
    if (parse == Parse::kNeedMore) {
      if (end_ - pos_ > max_record_bytes_) return RecordTooLong();
      GETIHU_RETURN_IF_ERROR(Fill());
      continue;
    }
    if (IsBlank(row.fields)) continue;
    any_row_ = true;
    return true;
  }
}

// The hot loop. Unquoted fields end at the next delimiter the scanner reports; quoted
// ones at the closing quote found by memchr. Doubled quotes are undone in place once the
// record is complete, so a record parsed again after kNeedMore still sees the original.
base::Result<CsvReader::Parse> CsvReader::ParseRecord(RawRow& row) {
  row.fields.clear();
  unescape_.clear();
  open_quote_line_ = 0;
  const char* const start = buf_.get() + pos_;
  const char* const end = buf_.get() + end_;
  const char* p = start;
  uint64_t newlines = 0;  // line breaks inside quoted fields so far
  CsvScanner scan(p, end);
  for (;;) {
    if (p < end && *p == '"') {
      bool record_end = false;
      GETIHU_ASSIGN_OR_RETURN(p, ParseQuoted(p, end, newlines, row, record_end));
      if (p == nullptr) return Parse::kNeedMore;
      if (record_end) break;
      scan.Reset(p);
      continue;
    }
    const char* q = scan.Next();
    while (q < end && *q == '"') q = scan.Next();  // a quote inside the field is text
    if (q == end && !eof_) return Parse::kNeedMore;
    const char* field_end = q;
    if (field_end > p && field_end[-1] == '\r' && (q == end || *q == '\n')) --field_end;
    row.fields.emplace_back(p, static_cast<size_t>(field_end - p));
    p = q < end ? q + 1 : end;
    if (q == end || *q == '\n') break;
  }
  if (static_cast<size_t>(p - start) > max_record_bytes_) return RecordTooLong();
  row.line = line_;
  line_ += 1 + newlines;
  pos_ = static_cast<size_t>(p - buf_.get());
  if (!unescape_.empty()) Unescape(row);
  return Parse::kRecord;
}

// Parses the quoted field at `p` (its opening quote) into `row`. Returns the position
// after its delimiter, setting `record_end` when that ended the record, or nullptr when
// the buffer ends first.
base::Result<const char*> CsvReader::ParseQuoted(const char* p, const char* end, uint64_t& newlines,
                                                 RawRow& row, bool& record_end) {
  const char* content = p + 1;
  const char* q = content;
  bool doubled = false;
  for (;;) {
    q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
    if (q == nullptr || (q + 1 == end && !eof_)) {
      if (eof_) return base::InvalidArgument(Line(line_ + newlines) + "的引号没有闭合");
      open_quote_line_ = line_ + newlines;
      return nullptr;
    }
    if (q + 1 == end || q[1] != '"') break;
    doubled = true;
    q += 2;
  }
  newlines += static_cast<uint64_t>(std::count(content, q, '\n'));
  row.fields.emplace_back(content, static_cast<size_t>(q - content));
  if (doubled) unescape_.push_back(static_cast<uint32_t>(row.fields.size() - 1));
  p = q + 1;
  record_end = p == end || *p == '\n';
  if (p == end || *p == ',' || *p == '\n') return p == end ? end : p + 1;
  if (*p == '\r' && p + 1 == end && !eof_) return nullptr;
  if (*p == '\r' && (p + 1 == end || p[1] == '\n')) {
    record_end = true;
    return p + 1 == end ? end : p + 2;
  }
  return base::InvalidArgument(Line(line_ + newlines) + "第 " + std::to_string(row.fields.size()) +
                               " 列的引号后面还有其他字符（字段内的引号应写成两个引号 \"\"）");
}

void CsvReader::Unescape(RawRow& row) {
  for (uint32_t i : unescape_) {
    std::string_view f = row.fields[i];
    char* const begin = buf_.get() + (f.data() - buf_.get());
    char* w = begin;
    const char* r = f.data();
    const char* const e = r + f.size();
    while (r < e) {
      const char* q = static_cast<const char*>(std::memchr(r, '"', static_cast<size_t>(e - r)));
      const char* stop = q == nullptr ? e : q + 1;  // keep one quote of the pair
      std::memmove(w, r, static_cast<size_t>(stop - r));
      w += stop - r;
      r = q == nullptr ? e : q + 2;
    }
    row.fields[i] = std::string_view(begin, static_cast<size_t>(w - begin));
  }
}

base::Status CsvReader::Fill() {
  if (pos_ > 0) {
    std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
    end_ -= pos_;
    validated_ -= std::min(validated_, pos_);
    pos_ = 0;
  }
  char* dst = encoding_ == base::Encoding::kGb18030 ? raw_.get() + raw_len_ : buf_.get() + end_;
  size_t room = encoding_ == base::Encoding::kGb18030 ? chunk_bytes_ - raw_len_
                                                      : std::min(chunk_bytes_, cap_ - end_);
  GETIHU_ASSIGN_OR_RETURN(size_t n, source_->Read(dst, room));
  bytes_read_ += n;
  return encoding_ == base::Encoding::kGb18030 ? FillGb18030(n) : FillUtf8(n);
}

base::Status CsvReader::FillUtf8(size_t n) {
  if (n == 0) {
    eof_ = true;
    if (validated_ < end_) {
      return base::InvalidArgument(Line(LineAt(validated_)) +
                                   "末尾的字符不完整，不是有效的 UTF-8 编码");
    }
    return base::OkStatus();
  }
  GETIHU_RETURN_IF_ERROR(CheckNoNul(buf_.get() + end_, n, LineAt(end_), 0));
  end_ += n;
  Utf8Prefix check = CheckUtf8Prefix(std::string_view(buf_.get() + validated_, end_ - validated_));
  validated_ += check.valid;
  if (check.invalid) {
    std::string declared = encoding_ == base::Encoding::kUtf8Bom ? "文件开头有 UTF-8 标记（BOM）"
                                                                 : "文件开头按 UTF-8 编码识别";
    return base::InvalidArgument(Line(LineAt(validated_)) + "不是有效的 UTF-8 编码（" + declared +
                                 "）；请把整个文件统一保存为 UTF-8 或 GB18030 编码");
  }
  return base::OkStatus();
}

base::Status CsvReader::FillGb18030(size_t n) {
  GETIHU_RETURN_IF_ERROR(CheckNoNul(raw_.get() + raw_len_, n, LineAt(end_), raw_len_));
  raw_len_ += n;
  Gb18030Decoder::Outcome out =
      gb_->Convert(std::string_view(raw_.get(), raw_len_), buf_.get() + end_, cap_ - end_);
  end_ += out.produced;
  if (out.stop == Gb18030Decoder::Stop::kInvalid ||
      (n == 0 && out.stop == Gb18030Decoder::Stop::kIncomplete)) {
    return base::InvalidArgument(Line(LineAt(end_)) +
                                 "不是有效的 GB18030 编码（文件开头按 GB18030 识别）；"
                                 "请把整个文件统一保存为 UTF-8 或 GB18030 编码");
  }
  std::memmove(raw_.get(), raw_.get() + out.consumed, raw_len_ - out.consumed);
  raw_len_ -= out.consumed;
  eof_ = n == 0 && raw_len_ == 0;
  return base::OkStatus();
}

// `p` holds `n` new bytes; `offset` more bytes of the same undecoded run precede them, and
// `line_base` is the line where that run starts.
base::Status CsvReader::CheckNoNul(const char* p, size_t n, uint64_t line_base, size_t offset) {
  const char* nul = static_cast<const char*>(std::memchr(p, '\0', n));
  if (nul == nullptr) return base::OkStatus();
  const char* run = p - offset;
  uint64_t line = line_base + static_cast<uint64_t>(std::count(run, nul, '\n'));
  return base::InvalidArgument(Line(line) + "含有二进制内容（NUL 字节），不是文本文件");
}

base::Status CsvReader::RecordTooLong() const {
  std::string limit = FormatBytes(max_record_bytes_);
  if (open_quote_line_ != 0) {
    return base::InvalidArgument(Line(open_quote_line_) + "的引号没有闭合（引号内的内容已超过 " +
                                 limit + "）");
  }
  return base::InvalidArgument(Line(line_) + "的记录超过上限（" + limit +
                               "），可能缺少换行符，或不是 CSV 文件");
}

uint64_t CsvReader::LineAt(size_t offset) const {
  return line_ + static_cast<uint64_t>(std::count(buf_.get() + pos_, buf_.get() + offset, '\n'));
}

}  // namespace getihu::ingest
