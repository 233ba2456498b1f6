// The small parts of a .xlsx workbook that the sheet reader needs: the list of sheets and
// where their parts are (workbook.xml and its relationships), which cell formats show
// dates (styles.xml), and the shared-string table (sharedStrings.xml, held in memory; its
// size is bounded by ReaderOptions::max_uncompressed_bytes). Thread-compatible values.
#ifndef GETIHU_INGEST_XLSX_WORKBOOK_H_
#define GETIHU_INGEST_XLSX_WORKBOOK_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ingest/xlsx_archive.h"

namespace getihu::ingest {

struct WorkbookInfo {
  struct Sheet {
    std::string name;
    std::string part;  // path in the archive, e.g. "xl/worksheets/sheet1.xml"
    bool hidden = false;
  };
  std::vector<Sheet> sheets;        // worksheets (not chart sheets), in tab order
  std::string shared_strings_part;  // "" when the workbook has none
  std::string styles_part;          // "" when the workbook has none
};

// Reads the package and workbook relationships and workbook.xml. Returns InvalidArgument
// "文件是 zip 压缩包，但不是 Excel 工作簿（.xlsx）" for another kind of zip (e.g. .docx),
// and the archive's errors.
base::Result<WorkbookInfo> ReadWorkbookInfo(XlsxArchive& archive, size_t max_token_bytes);

class SharedStrings {
 public:
  size_t size() const { return ends_.size(); }
  // REQUIRES: i < size().
  std::string_view Get(size_t i) const {
    uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

 private:
  friend base::Result<SharedStrings> ReadSharedStrings(XlsxArchive&, const std::string&, size_t);
  void Append(std::string_view text) { text_.append(text); }
  void EndString();  // ends the string being built, decoding its escapes

  std::string text_;            // all strings, back to back
  std::vector<uint64_t> ends_;  // end offset of each string in text_
};

// Reads the shared-string table from `part` (rich text runs concatenated, phonetic runs
// left out, _xHHHH_ escapes decoded).
base::Result<SharedStrings> ReadSharedStrings(XlsxArchive& archive, const std::string& part,
                                              size_t max_token_bytes);

// Returns, for each cell format index (a cell's s attribute), whether its number format
// shows a date or time.
base::Result<std::vector<bool>> ReadDateStyles(XlsxArchive& archive, const std::string& part,
                                               size_t max_token_bytes);

// True when the built-in number format `id` is a date or time: 14–22 and 45–47, and the
// East Asian date formats 27–36 and 50–58 that Chinese Excel uses without declaring them.
bool IsBuiltinDateFormat(int id);

// True when the custom number format `code` shows a date or time: it has y, m, d, h or s
// outside quoted text, [brackets] and escaped characters.
bool IsDateFormatCode(std::string_view code);

// Decodes the _xHHHH_ escapes OOXML uses for control characters, in place; returns the
// new length (never longer).
size_t DecodeOoxmlEscapes(char* text, size_t length);

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_XLSX_WORKBOOK_H_
