#include "ingest/xlsx_reader.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

#include "base/text.h"
#include "ingest/xlsx_cell.h"

namespace getihu::ingest {
namespace {

template <typename T>
bool ParseUnsigned(std::string_view text, T& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size();
}

base::Result<const WorkbookInfo::Sheet*> ChooseSheet(const WorkbookInfo& info,
                                                     std::string_view wanted) {
  if (wanted.empty()) {
    for (const WorkbookInfo::Sheet& s : info.sheets) {
      if (!s.hidden) return &s;
    }
    return &info.sheets.front();
  }
  std::string names;
  for (const WorkbookInfo::Sheet& s : info.sheets) {
    if (base::TrimSpaces(s.name) == base::TrimSpaces(wanted)) return &s;
    names += (names.empty() ? "" : "、") + s.name;
  }
  return base::InvalidArgument("工作簿中没有名为“" + std::string(wanted) + "”的工作表（现有：" +
                               names + "）");
}

}  // namespace

// Turns sheet XML events into rows. Cell text that is not a shared string goes into
// text_, and fields are made into views only when the row ends, after text_ stops growing.
class XlsxReader::SheetHandler final : public XmlHandler {
 public:
  SheetHandler(const SharedStrings& strings, const std::vector<bool>& date_styles,
               size_t max_row_bytes)
      : strings_(strings), date_styles_(date_styles), max_row_bytes_(max_row_bytes) {}

  void Bind(XmlParser* parser) { parser_ = parser; }
  void set_output(RawRow* row) { out_ = row; }

  void OnStart(std::string_view name, const char** a) override {
    if (name == "c") {
      StartCell(a);
    } else if (name == "v") {
      capture_ = has_value_ = true;
    } else if (name == "f") {
      has_formula_ = true;
    } else if (name == "row") {
      StartRow(a);
    } else if (name == "is") {
      in_inline_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t" && in_inline_ && phonetic_ == 0) {
      capture_ = has_value_ = true;
    }
  }

  void OnEnd(std::string_view name) override {
    if (name == "v" || name == "t") {
      capture_ = false;
    } else if (name == "c") {
      EndCell();
    } else if (name == "row") {
      EndRow();
    } else if (name == "is") {
      in_inline_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    }
  }

  void OnText(std::string_view text) override {
    if (!capture_) return;
    if (row_bytes_ + value_.size() + text.size() > max_row_bytes_) {
      parser_->Fail(TooLong());
      return;
    }
    value_.append(text);
  }

 private:
  enum class Type : uint8_t { kNumber, kShared, kInline, kText, kBool, kIsoDate };
  struct Cell {
    int column;
    bool shared;
    uint64_t offset;  // shared-string index, or offset in text_
    size_t size;
  };

  void StartRow(const char** a) {
    const char* r = FindAttribute(a, "r");
    uint64_t number = row_ + 1;
    if (r != nullptr && (!ParseUnsigned(r, number) || number == 0)) {
      parser_->Fail(CorruptXlsx("第 " + std::to_string(row_) + " 行之后有无效的行号"));
      return;
    }
    row_ = number;
    column_ = -1;
    cells_.clear();
    text_.clear();
    row_bytes_ = 0;
  }

  void StartCell(const char** a) {
    type_ = Type::kNumber;
    date_ = has_value_ = has_formula_ = capture_ = in_inline_ = false;
    value_.clear();
    int column = column_ + 1;
    for (; a[0] != nullptr; a += 2) {
      std::string_view attr = a[0], v = a[1];
      if (attr == "r") {
        column = ColumnFromRef(v);
      } else if (attr == "t") {
        type_ = v == "s"           ? Type::kShared
                : v == "inlineStr" ? Type::kInline
                : v == "b"         ? Type::kBool
                : v == "n"         ? Type::kNumber
                : v == "d"         ? Type::kIsoDate
                                   : Type::kText;  // str (formula text), e (error)
      } else if (attr == "s") {
        size_t style = 0;
        date_ = ParseUnsigned(v, style) && style < date_styles_.size() && date_styles_[style];
      }
    }
    if (column < 0 || column > kMaxXlsxColumn) {
      parser_->Fail(CorruptXlsx("第 " + std::to_string(row_) + " 行有无效的单元格引用"));
      return;
    }
    column_ = column;
  }

  void EndCell() {
    if (has_formula_ && !has_value_) {
      parser_->Fail(base::InvalidArgument(
          Where() + "是没有计算结果的公式，请在 Excel 中将公式转换为数值后再导入"));
      return;
    }
    if (value_.empty()) return;
    switch (type_) {
      case Type::kShared:
        return AddShared();
      case Type::kNumber: {
        size_t start = text_.size();
        AppendNumberText(value_, date_, text_);
        return AddCell(start);
      }
      case Type::kBool:
        return AddText(value_ == "1" ? "TRUE" : "FALSE");
      case Type::kInline:
        value_.resize(DecodeOoxmlEscapes(value_.data(), value_.size()));
        break;
      case Type::kIsoDate:  // "2024-01-01T00:00:00": the date is what a feed wants
        if (value_.size() > 10 && value_[10] == 'T') value_.resize(10);
        break;
      case Type::kText:
        break;
    }
    AddText(value_);
  }

  void AddShared() {
    size_t index = 0;
    if (!ParseUnsigned(value_, index) || index >= strings_.size()) {
      parser_->Fail(CorruptXlsx(Where() + "引用了不存在的共享字符串"));
      return;
    }
    size_t size = strings_.Get(index).size();
    if (row_bytes_ + size > max_row_bytes_) {
      parser_->Fail(TooLong());
      return;
    }
    if (size > 0) AddCellRef({column_, true, index, size});
  }

  void AddText(std::string_view text) {
    size_t start = text_.size();
    text_.append(text);
    AddCell(start);
  }

  void AddCell(size_t start) {
    if (text_.size() > start) AddCellRef({column_, false, start, text_.size() - start});
  }

  void AddCellRef(const Cell& cell) {
    if (cells_.size() > kMaxXlsxColumn) {  // more cells than a row has columns
      parser_->Fail(CorruptXlsx("第 " + std::to_string(row_) + " 行的单元格超过 16384 个"));
      return;
    }
    cells_.push_back(cell);
    row_bytes_ += cell.size;
  }

  void EndRow() {
    if (cells_.empty()) return;  // an empty row: keep parsing
    int width = 0;
    for (const Cell& c : cells_) width = std::max(width, c.column + 1);
    out_->line = row_;
    out_->fields.assign(static_cast<size_t>(width), std::string_view());
    for (const Cell& c : cells_) {
      out_->fields[static_cast<size_t>(c.column)] =
          c.shared ? strings_.Get(c.offset) : std::string_view(text_).substr(c.offset, c.size);
    }
    parser_->Suspend();
  }

  base::Status TooLong() const {
    return base::InvalidArgument("第 " + std::to_string(row_) + " 行的内容超过上限（" +
                                 FormatBytes(max_row_bytes_) + "）");
  }

  std::string Where() const {
    return "第 " + std::to_string(row_) + " 行第 " + ColumnName(std::max(column_, 0)) + " 列";
  }

  const SharedStrings& strings_;
  const std::vector<bool>& date_styles_;
  const size_t max_row_bytes_;
  XmlParser* parser_ = nullptr;
  RawRow* out_ = nullptr;

  uint64_t row_ = 0;  // the current row's number
  std::vector<Cell> cells_;
  size_t row_bytes_ = 0;  // text of the row's cells so far
  std::string text_;
  int column_ = -1;  // the current cell's column
  Type type_ = Type::kNumber;
  bool date_ = false, has_value_ = false, has_formula_ = false, capture_ = false;
  bool in_inline_ = false;
  int phonetic_ = 0;  // depth inside <rPh> (a reading aid, not content)
  std::string value_;
};

XlsxReader::XlsxReader(std::unique_ptr<XlsxArchive> archive) : archive_(std::move(archive)) {}

XlsxReader::~XlsxReader() = default;

base::Result<std::unique_ptr<XlsxReader>> XlsxReader::Open(std::unique_ptr<XlsxArchive> archive,
                                                           const ReaderOptions& options) {
  const size_t max_token = 2 * options.max_record_bytes + (64 << 10);
  GETIHU_ASSIGN_OR_RETURN(WorkbookInfo info, ReadWorkbookInfo(*archive, max_token));
  GETIHU_ASSIGN_OR_RETURN(const WorkbookInfo::Sheet* sheet, ChooseSheet(info, options.sheet));
  std::unique_ptr<XlsxReader> r(new XlsxReader(std::move(archive)));
  r->sheet_name_ = sheet->name;
  if (!info.styles_part.empty() && r->archive_->Has(info.styles_part)) {
    GETIHU_ASSIGN_OR_RETURN(r->date_styles_,
                            ReadDateStyles(*r->archive_, info.styles_part, max_token));
  }
  if (!info.shared_strings_part.empty() && r->archive_->Has(info.shared_strings_part)) {
    GETIHU_ASSIGN_OR_RETURN(r->strings_,
                            ReadSharedStrings(*r->archive_, info.shared_strings_part, max_token));
  }
  GETIHU_ASSIGN_OR_RETURN(r->sheet_, r->archive_->Open(sheet->part));
  r->handler_ =
      std::make_unique<SheetHandler>(r->strings_, r->date_styles_, options.max_record_bytes);
  r->parser_ = std::make_unique<XmlParser>(*r->handler_, max_token);
  r->handler_->Bind(r->parser_.get());
  return r;
}

base::Result<bool> XlsxReader::Next(RawRow& row) {
  handler_->set_output(&row);
  GETIHU_ASSIGN_OR_RETURN(bool got_row, parser_->Parse(*sheet_));
  if (!got_row && !any_row_) {
    return base::InvalidArgument("文件为空（工作表“" + sheet_name_ + "”没有数据）");
  }
  any_row_ = any_row_ || got_row;
  return got_row;
}

}  // namespace getihu::ingest
