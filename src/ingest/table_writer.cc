#include "ingest/table_writer.h"

#include <xlsxwriter.h>

#include <cstdio>

#include "ingest/csv_writer.h"

namespace getihu::ingest {
namespace {

constexpr uint32_t kXlsxMaxRows = 1'048'576;
constexpr size_t kCsvFlushBytes = 1 << 20;

class CsvTableWriter final : public TableWriter {
 public:
  CsvTableWriter(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {
    buffer_ = "\xEF\xBB\xBF";  // Excel reads UTF-8 CSV correctly only with a BOM
  }
  ~CsvTableWriter() override {
    if (file_ != nullptr) std::fclose(file_);
  }

  base::Status AddRow(std::span<const std::string_view> cells) override {
    CsvWriter w(buffer_);
    for (std::string_view c : cells) w.Field(c);
    w.EndRow();
    return buffer_.size() >= kCsvFlushBytes ? Flush() : base::OkStatus();
  }

  base::Status Close() override {
    GETIHU_RETURN_IF_ERROR(Flush());
    int rc = std::fclose(file_);
    file_ = nullptr;
    return rc == 0 ? base::OkStatus() : base::Unavailable("写入文件失败：" + path_);
  }

 private:
  base::Status Flush() {
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return base::Unavailable("写入文件失败：" + path_);
    }
    buffer_.clear();
    return base::OkStatus();
  }

  std::FILE* file_;
  std::string path_;
  std::string buffer_;
};

class XlsxTableWriter final : public TableWriter {
 public:
  XlsxTableWriter(lxw_workbook* workbook, lxw_worksheet* sheet, std::string path)
      : workbook_(workbook), sheet_(sheet), path_(std::move(path)) {}
  ~XlsxTableWriter() override {
    if (workbook_ != nullptr) workbook_close(workbook_);
  }

  base::Status AddRow(std::span<const std::string_view> cells) override {
    if (row_ >= kXlsxMaxRows) {
      return base::ResourceExhausted("超过 Excel 工作表的最大行数 1048576，请改用 CSV 格式");
    }
    std::string cell;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      cell.assign(cells[c]);
      lxw_error e =
          worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(c), cell.c_str(), nullptr);
      if (e != LXW_NO_ERROR) {
        return base::Unavailable("写入 Excel 文件失败：" + std::string(lxw_strerror(e)));
      }
    }
    ++row_;
    return base::OkStatus();
  }

  base::Status Close() override {
    lxw_error e = workbook_close(workbook_);
    workbook_ = nullptr;
    if (e != LXW_NO_ERROR) {
      return base::Unavailable("写入 Excel 文件 " + path_ + " 失败：" +
                               std::string(lxw_strerror(e)));
    }
    return base::OkStatus();
  }

 private:
  lxw_workbook* workbook_;
  lxw_worksheet* sheet_;
  std::string path_;
  uint32_t row_ = 0;
};

}  // namespace

base::Result<std::unique_ptr<TableWriter>> CreateTableWriter(const std::string& path,
                                                             std::string_view sheet) {
  if (path.ends_with(".xlsx")) {
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;
    options.use_zip64 = LXW_TRUE;
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
    if (wb == nullptr) return base::Unavailable("无法创建 Excel 文件 " + path);
    std::string name(sheet);
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (ws == nullptr) {
      workbook_close(wb);
      return base::Unavailable("无法创建 Excel 工作表 " + name);
    }
    return std::unique_ptr<TableWriter>(new XlsxTableWriter(wb, ws, path));
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return base::Unavailable("无法写入文件 " + path);
  return std::unique_ptr<TableWriter>(new CsvTableWriter(f, path));
}

}  // namespace getihu::ingest
