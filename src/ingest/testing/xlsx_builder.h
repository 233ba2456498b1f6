// Builds .xlsx files for tests and fuzz seeds with libzip: a minimal workbook (workbook,
// relationships, optional styles and shared strings) around sheet XML given as text or as
// a file streamed into the archive. Header-only so the fuzz script can use it without the
// build. Not for production code.
#ifndef GETIHU_INGEST_TESTING_XLSX_BUILDER_H_
#define GETIHU_INGEST_TESTING_XLSX_BUILDER_H_

#include <unistd.h>
#include <zip.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/testing/temp_file.h"

namespace getihu::ingest::testing {

struct ZipPart {
  ZipPart(std::string name, std::string content, std::string from_file = "", bool store = false)
      : name(std::move(name)),
        content(std::move(content)),
        from_file(std::move(from_file)),
        store(store) {}
  std::string name;
  std::string content;    // the bytes, unless `from_file` is set
  std::string from_file;  // a file streamed into the archive at close
  bool store = false;     // no compression
};

// Writes the parts as a zip archive at `path`; returns false on a libzip error.
inline bool WriteZip(const std::string& path, const std::vector<ZipPart>& parts) {
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (z == nullptr) return false;
  for (const ZipPart& p : parts) {
    zip_source_t* s = p.from_file.empty()
                          ? zip_source_buffer(z, p.content.data(), p.content.size(), 0)
                          : zip_source_file(z, p.from_file.c_str(), 0, -1);
    zip_int64_t index = s ? zip_file_add(z, p.name.c_str(), s, ZIP_FL_OVERWRITE) : -1;
    if (index < 0) {
      if (s) zip_source_free(s);
      zip_discard(z);
      return false;
    }
    zip_set_file_compression(z, static_cast<zip_uint64_t>(index),
                             p.store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, p.store ? 0 : 1);
  }
  return zip_close(z) == 0;
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The zip archive of `parts` as bytes (empty on failure).
inline std::string ZipBytes(const std::vector<ZipPart>& parts) {
  std::string path = TempPath(".zip");
  std::string bytes = WriteZip(path, parts) ? ReadFileBytes(path) : "";
  ::unlink(path.c_str());
  return bytes;
}

inline std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

struct XlsxSheet {
  XlsxSheet(std::string name, std::string rows_xml, std::string rows_file = "", bool hidden = false)
      : name(std::move(name)),
        rows_xml(std::move(rows_xml)),
        rows_file(std::move(rows_file)),
        hidden(hidden) {}
  std::string name;
  std::string rows_xml;   // the <row> elements, or
  std::string rows_file;  // a file holding them, streamed into the archive
  bool hidden = false;
};

struct XlsxBook {
  std::vector<XlsxSheet> sheets;
  std::vector<std::string> shared_strings;  // written as xl/sharedStrings.xml when not empty
  std::string styles_xml;                   // the whole xl/styles.xml, or "" for none
};

inline constexpr std::string_view kSheetHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<sheetData>";
inline constexpr std::string_view kSheetTail = "</sheetData></worksheet>";

// The parts of `book`. A sheet given by `rows_file` is expected to hold the whole sheet
// XML (kSheetHead, rows, kSheetTail).
inline std::vector<ZipPart> XlsxParts(const XlsxBook& book) {
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::vector<ZipPart> parts;
  parts.push_back({"[Content_Types].xml",
                   "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/"
                   "package/2006/content-types\"/>"});
  parts.push_back({"_rels/.rels",
                   "<?xml version=\"1.0\"?><Relationships xmlns=\"http://"
                   "schemas.openxmlformats.org/package/2006/relationships\">"
                   "<Relationship Id=\"rId1\" Type=\"" +
                       rel +
                       "/officeDocument\" Target=\"xl/workbook.xml\"/>"
                       "</Relationships>"});
  std::string workbook =
      "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas."
      "openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"" +
      rel + "\"><sheets>";
  std::string rels =
      "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas."
      "openxmlformats.org/package/2006/relationships\">";
  for (size_t i = 0; i < book.sheets.size(); ++i) {
    const XlsxSheet& s = book.sheets[i];
    std::string n = std::to_string(i + 1);
    workbook += "<sheet name=\"" + XmlEscape(s.name) + "\" sheetId=\"" + n + "\" r:id=\"rId" + n +
                "\"" + (s.hidden ? " state=\"hidden\"" : "") + "/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + rel +
            "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
    ZipPart sheet{"xl/worksheets/sheet" + n + ".xml", "", s.rows_file};
    if (s.rows_file.empty())
      sheet.content = std::string(kSheetHead) + s.rows_xml + std::string(kSheetTail);
    parts.push_back(sheet);
  }
  if (!book.styles_xml.empty()) {
    rels += "<Relationship Id=\"rIdS\" Type=\"" + rel + "/styles\" Target=\"styles.xml\"/>";
    parts.push_back({"xl/styles.xml", book.styles_xml});
  }
  if (!book.shared_strings.empty()) {
    rels += "<Relationship Id=\"rIdT\" Type=\"" + rel +
            "/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>";
    std::string sst =
        "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/"
        "spreadsheetml/2006/main\">";
    for (const std::string& s : book.shared_strings) sst += "<si><t>" + XmlEscape(s) + "</t></si>";
    parts.push_back({"xl/sharedStrings.xml", sst + "</sst>"});
  }
  parts.push_back({"xl/workbook.xml", workbook + "</sheets></workbook>"});
  parts.push_back({"xl/_rels/workbook.xml.rels", rels + "</Relationships>"});
  return parts;
}

inline std::string XlsxBytes(const XlsxBook& book) { return ZipBytes(XlsxParts(book)); }

// One row of inline-string cells in columns A, B, …
inline std::string InlineRow(int row, const std::vector<std::string>& cells) {
  std::string xml = "<row r=\"" + std::to_string(row) + "\">";
  for (size_t i = 0; i < cells.size(); ++i) {
    xml += "<c r=\"" + std::string(1, static_cast<char>('A' + i)) + std::to_string(row) +
           "\" t=\"inlineStr\"><is><t>" + XmlEscape(cells[i]) + "</t></is></c>";
  }
  return xml + "</row>";
}

}  // namespace getihu::ingest::testing

#endif  // GETIHU_INGEST_TESTING_XLSX_BUILDER_H_
