#include "ingest/table_reader.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "ingest/byte_source.h"
#include "ingest/csv_reader.h"
#include "ingest/xlsx_archive.h"
#include "ingest/xlsx_reader.h"

namespace getihu::ingest {
namespace {

// What a file's extension promises.
enum class Expect { kAnything, kText, kXlsx, kXls };

struct Signature {
  std::string_view magic;
  std::string_view what;
};

// Kinds of file that people send by mistake, recognised by their first bytes.
constexpr Signature kForeign[] = {
    {"%PDF", "PDF 文档"},     {"\x1F\x8B", "gzip 压缩文件"}, {"7z\xBC\xAF\x27\x1C", "7z 压缩文件"},
    {"Rar!", "RAR 压缩文件"}, {"\x89PNG", "PNG 图片"},       {"\xFF\xD8\xFF", "JPEG 图片"},
    {"GIF8", "GIF 图片"},
};
constexpr std::string_view kOleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
constexpr size_t kHeadBytes = 8;

// The lower-case extension of `name` with its dot (".xlsx"), or "".
std::string Extension(std::string_view name) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

Expect FromExtension(std::string_view ext) {
  if (ext == ".csv" || ext == ".txt") return Expect::kText;
  if (ext == ".xlsx" || ext == ".xlsm") return Expect::kXlsx;
  if (ext == ".xls") return Expect::kXls;
  return Expect::kAnything;
}

base::Status Mismatch(std::string_view ext, std::string_view detail) {
  return base::InvalidArgument("文件扩展名为 " + std::string(ext) + "，但" + std::string(detail));
}

// Decides from the first bytes whether the file is a workbook (true) or text (false),
// refusing other kinds and contradictions with the extension.
base::Result<bool> IsWorkbook(std::string_view head, std::string_view name) {
  if (head.empty()) return base::InvalidArgument("文件为空");
  std::string ext = Extension(name);
  Expect expect = FromExtension(ext);
  if (head.starts_with(kOleMagic)) {
    if (expect == Expect::kXlsx) {
      return Mismatch(ext,
                      "内容是 .xls 旧格式或设置了打开密码的工作簿；请取消密码，"
                      "并在 Excel 中另存为 .xlsx 或 CSV");
    }
    return base::InvalidArgument("不支持 .xls 旧格式，请在 Excel 中另存为 .xlsx 或 CSV");
  }
  for (const Signature& s : kForeign) {
    if (head.starts_with(s.magic)) {
      return base::InvalidArgument("文件内容是 " + std::string(s.what) +
                                   "，不是 CSV 或 Excel 工作簿（.xlsx）");
    }
  }
  bool zip = head.starts_with("PK\x03\x04") || head.starts_with("PK\x05\x06");
  if (zip && expect == Expect::kText) {
    return Mismatch(ext, "内容是 Excel 工作簿（.xlsx）或其他压缩文件，不是 CSV 文本");
  }
  if (zip && expect == Expect::kXls) {
    return Mismatch(ext, "内容是 .xlsx 格式的工作簿，请把扩展名改为 .xlsx");
  }
  if (!zip && expect == Expect::kXlsx) {
    return Mismatch(ext, "内容不是 Excel 工作簿（.xlsx）；如果是 CSV 文本，请把扩展名改为 .csv");
  }
  if (!zip && expect == Expect::kXls) {
    return Mismatch(ext,
                    "内容不是 Excel 工作簿（可能是网页或文本导出的文件）；"
                    "请在 Excel 中打开后另存为 .xlsx 或 CSV");
  }
  return zip;
}

template <typename Reader>
base::Result<std::unique_ptr<TableReader>> Upcast(base::Result<std::unique_ptr<Reader>> r) {
  if (!r.ok()) return std::move(r).status();
  return std::unique_ptr<TableReader>(std::move(*r));
}

}  // namespace

TableReader::~TableReader() = default;

base::Result<std::unique_ptr<TableReader>> OpenTable(const std::string& path,
                                                     const ReaderOptions& options) {
  GETIHU_ASSIGN_OR_RETURN(std::string head, ReadFileHead(path, kHeadBytes));
  GETIHU_ASSIGN_OR_RETURN(bool workbook, IsWorkbook(head, path));
  if (workbook) {
    GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<XlsxArchive> archive,
                            XlsxArchive::OpenFile(path, options));
    return Upcast(XlsxReader::Open(std::move(archive), options));
  }
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenFileSource(path));
  return Upcast(CsvReader::Open(std::move(source), options));
}

base::Result<std::unique_ptr<TableReader>> OpenTableFromMemory(std::string bytes,
                                                               std::string_view name,
                                                               const ReaderOptions& options) {
  std::string_view head(bytes.data(), std::min(bytes.size(), kHeadBytes));
  GETIHU_ASSIGN_OR_RETURN(bool workbook, IsWorkbook(head, name));
  if (workbook) {
    GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<XlsxArchive> archive,
                            XlsxArchive::OpenMemory(std::move(bytes), options));
    return Upcast(XlsxReader::Open(std::move(archive), options));
  }
  return Upcast(CsvReader::Open(MemorySource(std::move(bytes)), options));
}

std::string FormatBytes(uint64_t n) {
  constexpr std::pair<uint64_t, std::string_view> kUnits[] = {
      {1ULL << 30, " GiB"}, {1ULL << 20, " MiB"}, {1ULL << 10, " KiB"}};
  for (auto [unit, name] : kUnits) {
    if (n >= unit && n % unit == 0) return std::to_string(n / unit) + std::string(name);
  }
  return std::to_string(n) + " 字节";
}

}  // namespace getihu::ingest
