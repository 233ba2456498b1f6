#include "ingest/xlsx_workbook.h"

#include <charconv>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "ingest/xlsx_xml.h"

namespace getihu::ingest {
namespace {

constexpr std::string_view kNotWorkbook = "文件是 zip 压缩包，但不是 Excel 工作簿（.xlsx）";

struct PartHandler : XmlHandler {
  XmlParser* parser = nullptr;
};

base::Status ParsePart(XlsxArchive& archive, const std::string& part, PartHandler& handler,
                       size_t max_token_bytes) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<PartStream> stream, archive.Open(part));
  XmlParser parser(handler, max_token_bytes);
  handler.parser = &parser;
  return parser.ParseAll(*stream);
}

int ParseInt(const char* text, int fallback) {
  if (text == nullptr) return fallback;
  std::string_view s(text);
  int value = fallback;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size() ? value : fallback;
}

struct Relationship {
  std::string id, type, target;
};

struct RelsHandler : PartHandler {
  std::vector<Relationship> rels;
  void OnStart(std::string_view name, const char** a) override {
    const char* id = FindAttribute(a, "Id");
    const char* type = FindAttribute(a, "Type");
    const char* target = FindAttribute(a, "Target");
    const char* mode = FindAttribute(a, "TargetMode");
    if (name != "Relationship" || !id || !type || !target) return;
    if (mode != nullptr && std::string_view(mode) == "External") return;
    rels.push_back({id, type, target});
  }
  void OnEnd(std::string_view) override {}
};

struct WorkbookHandler : PartHandler {
  struct Entry {
    std::string name, rel_id;
    bool hidden;
  };
  bool root_seen = false;
  std::vector<Entry> sheets;
  void OnStart(std::string_view name, const char** a) override {
    if (!root_seen) {
      root_seen = true;
      if (name != "workbook") parser->Fail(base::InvalidArgument(std::string(kNotWorkbook)));
      return;
    }
    if (name != "sheet") return;
    const char* sheet_name = FindAttribute(a, "name");
    const char* rel_id = FindAttribute(a, "id");
    const char* state = FindAttribute(a, "state");
    if (!sheet_name || !rel_id) return;
    sheets.push_back(
        {sheet_name, rel_id, state != nullptr && std::string_view(state) != "visible"});
  }
  void OnEnd(std::string_view) override {}
};

// "xl/workbook.xml" → "xl/".
std::string DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? "" : std::string(path.substr(0, slash + 1));
}

// Resolves a relationship target against the directory of its source part.
std::string ResolveTarget(const std::string& dir, std::string_view target) {
  std::string path =
      target.starts_with('/') ? std::string(target.substr(1)) : dir + std::string(target);
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = std::min(path.find('/', start), path.size());
    std::string segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(std::move(segment));
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& s : segments) out += (out.empty() ? "" : "/") + s;
  return out;
}

base::Result<std::vector<Relationship>> ReadRels(XlsxArchive& archive, const std::string& part,
                                                 size_t max_token_bytes) {
  RelsHandler handler;
  GETIHU_RETURN_IF_ERROR(ParsePart(archive, part, handler, max_token_bytes));
  return std::move(handler.rels);
}

// The target of the first relationship whose type ends with "/<kind>", resolved; or "".
std::string FindTarget(const std::vector<Relationship>& rels, std::string_view kind,
                       const std::string& dir) {
  for (const Relationship& r : rels) {
    std::string_view type = r.type;
    if (type.size() > kind.size() && type.ends_with(kind) &&
        type[type.size() - kind.size() - 1] == '/') {
      return ResolveTarget(dir, r.target);
    }
  }
  return "";
}

base::Result<std::string> FindWorkbookPart(XlsxArchive& archive, size_t max_token_bytes) {
  std::string workbook;
  if (archive.Has("_rels/.rels")) {
    GETIHU_ASSIGN_OR_RETURN(auto rels, ReadRels(archive, "_rels/.rels", max_token_bytes));
    workbook = FindTarget(rels, "officeDocument", "");
  }
  if (workbook.empty()) workbook = "xl/workbook.xml";
  if (!archive.Has(workbook)) return base::InvalidArgument(std::string(kNotWorkbook));
  return workbook;
}

struct SharedStringsHandler : PartHandler {
  std::function<void(std::string_view)> append;
  std::function<void()> end_string;
  bool in_si = false, capture = false;
  int phonetic = 0;  // depth inside <rPh>, whose text is a reading aid, not content
  void OnStart(std::string_view name, const char**) override {
    if (name == "si") {
      in_si = true;
    } else if (name == "rPh") {
      ++phonetic;
    } else if (name == "t") {
      capture = in_si && phonetic == 0;
    }
  }
  void OnEnd(std::string_view name) override {
    if (name == "t") {
      capture = false;
    } else if (name == "rPh") {
      --phonetic;
    } else if (name == "si") {
      end_string();
      in_si = false;
    }
  }
  void OnText(std::string_view text) override {
    if (capture) append(text);
  }
};

struct StylesHandler : PartHandler {
  std::map<int, bool> custom;  // numFmtId → shows a date
  std::vector<int> formats;    // numFmtId of each cellXfs/xf
  bool in_cell_xfs = false;
  void OnStart(std::string_view name, const char** a) override {
    if (name == "numFmt") {
      const char* code = FindAttribute(a, "formatCode");
      custom[ParseInt(FindAttribute(a, "numFmtId"), -1)] = code && IsDateFormatCode(code);
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      formats.push_back(ParseInt(FindAttribute(a, "numFmtId"), 0));
    }
  }
  void OnEnd(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
};

size_t EncodeUtf8(uint32_t cp, char* out) {
  if (cp < 0x80) return out[0] = static_cast<char>(cp), 1;
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = static_cast<char>(0xE0 | (cp >> 12));
  out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[2] = static_cast<char>(0x80 | (cp & 0x3F));
  return 3;
}

}  // namespace

base::Result<WorkbookInfo> ReadWorkbookInfo(XlsxArchive& archive, size_t max_token_bytes) {
  GETIHU_ASSIGN_OR_RETURN(std::string workbook, FindWorkbookPart(archive, max_token_bytes));
  WorkbookHandler handler;
  GETIHU_RETURN_IF_ERROR(ParsePart(archive, workbook, handler, max_token_bytes));
  if (!handler.root_seen) return base::InvalidArgument(std::string(kNotWorkbook));
  std::string dir = DirName(workbook);
  std::string rels_part = dir + "_rels/" + workbook.substr(dir.size()) + ".rels";
  GETIHU_ASSIGN_OR_RETURN(auto rels, ReadRels(archive, rels_part, max_token_bytes));
  WorkbookInfo info;
  for (const WorkbookHandler::Entry& sheet : handler.sheets) {
    for (const Relationship& r : rels) {
      if (r.id == sheet.rel_id && r.type.ends_with("/worksheet")) {
        info.sheets.push_back({sheet.name, ResolveTarget(dir, r.target), sheet.hidden});
      }
    }
  }
  if (info.sheets.empty()) return CorruptXlsx("工作簿中没有工作表");
  info.shared_strings_part = FindTarget(rels, "sharedStrings", dir);
  info.styles_part = FindTarget(rels, "styles", dir);
  return info;
}

base::Result<SharedStrings> ReadSharedStrings(XlsxArchive& archive, const std::string& part,
                                              size_t max_token_bytes) {
  SharedStrings strings;
  SharedStringsHandler handler;
  handler.append = [&strings](std::string_view text) { strings.Append(text); };
  handler.end_string = [&strings] { strings.EndString(); };
  GETIHU_RETURN_IF_ERROR(ParsePart(archive, part, handler, max_token_bytes));
  return strings;
}

base::Result<std::vector<bool>> ReadDateStyles(XlsxArchive& archive, const std::string& part,
                                               size_t max_token_bytes) {
  StylesHandler handler;
  GETIHU_RETURN_IF_ERROR(ParsePart(archive, part, handler, max_token_bytes));
  std::vector<bool> dates;
  dates.reserve(handler.formats.size());
  for (int id : handler.formats) {
    auto it = handler.custom.find(id);
    dates.push_back(it != handler.custom.end() ? it->second : IsBuiltinDateFormat(id));
  }
  return dates;
}

void SharedStrings::EndString() {
  size_t start = ends_.empty() ? 0 : ends_.back();
  if (text_.find("_x", start) != std::string::npos) {
    text_.resize(start + DecodeOoxmlEscapes(text_.data() + start, text_.size() - start));
  }
  ends_.push_back(text_.size());
}

bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

bool IsDateFormatCode(std::string_view code) {
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal text or padding
    } else if (std::string_view("yYmMdDhHsS").find(c) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

size_t DecodeOoxmlEscapes(char* text, size_t length) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (std::memchr(text, '_', length) == nullptr) return length;
  size_t w = 0;
  for (size_t r = 0; r < length;) {
    if (text[r] == '_' && r + 7 <= length && text[r + 1] == 'x' && text[r + 6] == '_') {
      uint32_t cp = 0;
      bool ok = true;
      for (size_t k = 2; k < 6; ++k) {
        int digit = hex(text[r + k]);
        ok = ok && digit >= 0;
        cp = (cp << 4) | static_cast<uint32_t>(ok ? digit : 0);
      }
      if (ok && cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
        w += EncodeUtf8(cp, text + w);
        r += 7;
        continue;
      }
    }
    text[w++] = text[r++];
  }
  return w;
}

}  // namespace getihu::ingest
