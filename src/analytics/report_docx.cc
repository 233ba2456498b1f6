#include "analytics/report_docx.h"

#include <zip.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include "analytics/report_svg.h"

namespace getihu::analytics {
namespace {

namespace fs = std::filesystem;

// Page geometry in twentieths of a point: A4, 2.5 cm margins.
constexpr int kPageWidth = 11906;
constexpr int kPageHeight = 16838;
constexpr int kMargin = 1418;
constexpr int kTextWidth = kPageWidth - 2 * kMargin;

constexpr std::string_view kXmlDeclaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kWordNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

struct Part {
  std::string name;
  std::string bytes;
};

// Escaped text for an element or attribute, without the C0 controls XML 1.0 forbids.
std::string Esc(std::string_view text) {
  std::string clean;
  clean.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 || c == '\t' || c == '\n' || c == '\r') clean += c;
  }
  return EscapeXml(clean);
}

std::string Run(std::string_view text, bool bold = false) {
  return std::string("<w:r>") + (bold ? "<w:rPr><w:b/><w:bCs/></w:rPr>" : "") +
         "<w:t xml:space=\"preserve\">" + Esc(text) + "</w:t></w:r>";
}

std::string Paragraph(std::string_view style, std::string_view text) {
  return "<w:p><w:pPr><w:pStyle w:val=\"" + std::string(style) + "\"/></w:pPr>" + Run(text) +
         "</w:p>";
}

std::string Cell(std::string_view text, int width, std::string_view align, bool header) {
  std::string s = "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(width) + "\" w:type=\"dxa\"/>";
  if (header) s += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F2F2F2\"/>";
  s += "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>";
  s += "<w:jc w:val=\"" + std::string(align) + "\"/></w:pPr>";
  if (!text.empty()) s += Run(text, header);
  return s + "</w:p></w:tc>";
}

// The caption, then a bordered table the width of the text: the header row bold and repeated
// on each page, numbers right-aligned.
std::string Table(const ReportTable& t) {
  size_t columns = t.header.size();
  for (const auto& row : t.rows) columns = std::max(columns, row.size());
  std::string s = Paragraph("TableCaption", t.title);
  if (columns == 0) return s;
  int width = kTextWidth / static_cast<int>(columns);
  s += "<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/>"
       "<w:tblBorders>";
  for (const char* edge : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    s += std::string("<w:") + edge +
         " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>";
  }
  s += "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>"
       "<w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>"
       "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" "
       "w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>";
  for (size_t c = 0; c < columns; ++c) s += "<w:gridCol w:w=\"" + std::to_string(width) + "\"/>";
  s += "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
  for (size_t c = 0; c < columns; ++c) {
    s += Cell(c < t.header.size() ? t.header[c] : "", width, "center", true);
  }
  s += "</w:tr>";
  for (const auto& row : t.rows) {
    s += "<w:tr><w:trPr><w:cantSplit/></w:trPr>";
    for (size_t c = 0; c < columns; ++c) {
      const std::string cell = c < row.size() ? row[c] : "";
      bool number = c >= t.label_columns && IsNumericCell(cell);
      s += Cell(number ? GroupThousands(cell) : cell, width, number ? "right" : "left", false);
    }
    s += "</w:tr>";
  }
  return s + "</w:tbl>";
}

// Which tables follow each section's text: the same placement as the HTML report.
bool TableBelongsTo(const std::string& table, const std::string& section) {
  if (section == "basic") {
    return table == "area" || table == "township_groups" || table == "sector" || table == "section";
  }
  if (section == "trend") return table == "years";
  if (section == "exits") return table == "exits";
  if (section == "tiers") return table == "tiers" || table == "transitions";
  if (section == "targets") return table == "targets";
  return section == "notes" && table == "sources";
}

// Whether the HTML report draws charts in the section.
bool SectionHasCharts(const ReportModel& m, const std::string& section) {
  if (section == "tiers") return m.by_tier.has_value();
  return section == "basic" || section == "trend" || section == "exits";
}

std::string DocumentXml(const ReportModel& m, const ReportText& text,
                        const std::vector<ReportTable>& tables) {
  std::string s(kXmlDeclaration);
  s += "<w:document " + std::string(kWordNs) + "><w:body>";
  s += Paragraph("Title", text.title);
  if (!text.subtitle.empty()) s += Paragraph("Subtitle", text.subtitle);
  for (const ReportSection& section : text.sections) {
    s += Paragraph("Heading1", section.heading);
    for (const std::string& p : section.paragraphs) s += Paragraph("BodyText", p);
    if (SectionHasCharts(m, section.key)) s += Paragraph("ChartNote", kDocxChartNote);
    for (const ReportTable& t : tables) {
      if (TableBelongsTo(t.key, section.key)) s += Table(t);
    }
  }
  // Word wants a paragraph after a final table.
  s += "<w:p/><w:sectPr><w:pgSz w:w=\"" + std::to_string(kPageWidth) + "\" w:h=\"" +
       std::to_string(kPageHeight) + "\"/><w:pgMar w:top=\"" + std::to_string(kMargin) +
       "\" w:right=\"" + std::to_string(kMargin) + "\" w:bottom=\"" + std::to_string(kMargin) +
       "\" w:left=\"" + std::to_string(kMargin) +
       "\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/><w:cols w:space=\"425\"/>"
       "<w:docGrid w:type=\"lines\" w:linePitch=\"312\"/></w:sectPr></w:body></w:document>";
  return s;
}

// Fonts: Times New Roman for Latin text and digits; 宋体 for the body, 黑体 for the title and
// headings. Sizes: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt, 五号 10.5 pt.
std::string StylesXml() {
  auto fonts = [](std::string_view east_asia) {
    return "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"" +
           std::string(east_asia) + "\" w:cs=\"Times New Roman\"/>";
  };
  auto size = [](int half_points) {
    std::string v = std::to_string(half_points);
    return "<w:sz w:val=\"" + v + "\"/><w:szCs w:val=\"" + v + "\"/>";
  };
  auto style = [](std::string_view id, std::string_view name, std::string_view ppr,
                  std::string_view rpr, bool is_default = false) {
    return "<w:style w:type=\"paragraph\"" + std::string(is_default ? " w:default=\"1\"" : "") +
           " w:styleId=\"" + std::string(id) + "\"><w:name w:val=\"" + std::string(name) + "\"/>" +
           (is_default ? "" : "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"BodyText\"/>") +
           "<w:qFormat/><w:pPr>" + std::string(ppr) + "</w:pPr><w:rPr>" + std::string(rpr) +
           "</w:rPr></w:style>";
  };
  std::string s(kXmlDeclaration);
  s += "<w:styles " + std::string(kWordNs) + "><w:docDefaults><w:rPrDefault><w:rPr>" +
       fonts("宋体") + size(28) +
       "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
       "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"360\" w:lineRule=\"auto\"/>"
       "</w:pPr></w:pPrDefault></w:docDefaults>";
  s += style("Normal", "Normal", "<w:widowControl/><w:jc w:val=\"both\"/>", "", true);
  s += style("Title", "Title",
             "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:jc w:val=\"center\"/>",
             fonts("黑体") + size(44));
  s += style("Subtitle", "Subtitle",
             "<w:keepNext/><w:spacing w:after=\"240\"/><w:jc w:val=\"center\"/>", size(28));
  s +=
      style("Heading1", "heading 1",
            "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/>",
            fonts("黑体") + size(32));
  s += style("BodyText", "Body Text", "<w:ind w:firstLineChars=\"200\" w:firstLine=\"560\"/>", "");
  s += style("ChartNote", "图表说明",
             "<w:spacing w:before=\"120\" w:after=\"120\"/><w:jc w:val=\"center\"/>",
             "<w:color w:val=\"595959\"/>" + size(24));
  s += style("TableCaption", "表格标题",
             "<w:keepNext/><w:spacing w:before=\"240\" w:after=\"60\"/><w:jc w:val=\"center\"/>",
             fonts("黑体") + size(24));
  s += style("TableText", "表格文字", "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>", size(21));
  return s + "</w:styles>";
}

// The fonts the styles name, the Chinese ones with their Windows (Latin) names as alternatives,
// and the free serif CJK font a machine without 宋体 should find.
std::string FontTableXml() {
  auto font = [](std::string_view name, std::string_view alt, std::string_view charset,
                 std::string_view family) {
    std::string s = "<w:font w:name=\"" + std::string(name) + "\">";
    if (!alt.empty()) s += "<w:altName w:val=\"" + std::string(alt) + "\"/>";
    return s + "<w:charset w:val=\"" + std::string(charset) + "\"/><w:family w:val=\"" +
           std::string(family) + "\"/><w:pitch w:val=\"variable\"/></w:font>";
  };
  std::string s(kXmlDeclaration);
  s += "<w:fonts " + std::string(kWordNs) + ">";
  s += font("Times New Roman", "", "00", "roman");
  s += font("宋体", "SimSun", "86", "auto");
  s += font("黑体", "SimHei", "86", "modern");
  s += font("Noto Serif CJK SC", "", "86", "roman");
  return s + "</w:fonts>";
}

std::string SettingsXml() {
  std::string s(kXmlDeclaration);
  return s + "<w:settings " + std::string(kWordNs) +
         "><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl "
         "w:val=\"compressPunctuation\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" "
         "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
         "</w:settings>";
}

std::string ContentTypesXml() {
  constexpr std::string_view kOoxml = "application/vnd.openxmlformats-";
  auto override_part = [&](std::string_view part, std::string_view type) {
    return "<Override PartName=\"" + std::string(part) + "\" ContentType=\"" + std::string(kOoxml) +
           std::string(type) + "\"/>";
  };
  std::string s(kXmlDeclaration);
  s += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
       "<Default Extension=\"rels\" ContentType=\"" +
       std::string(kOoxml) +
       "package.relationships+xml\"/>"
       "<Default Extension=\"xml\" ContentType=\"application/xml\"/>";
  s += override_part("/word/document.xml", "officedocument.wordprocessingml.document.main+xml");
  s += override_part("/word/styles.xml", "officedocument.wordprocessingml.styles+xml");
  s += override_part("/word/fontTable.xml", "officedocument.wordprocessingml.fontTable+xml");
  s += override_part("/word/settings.xml", "officedocument.wordprocessingml.settings+xml");
  s += override_part("/docProps/core.xml", "package.core-properties+xml");
  s += override_part("/docProps/app.xml", "officedocument.extended-properties+xml");
  return s + "</Types>";
}

std::string Relationships(const std::vector<std::pair<std::string, std::string>>& type_target) {
  std::string s(kXmlDeclaration);
  s += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  int id = 1;
  for (const auto& [type, target] : type_target) {
    s += "<Relationship Id=\"rId" + std::to_string(id++) + "\" Type=\"" + type + "\" Target=\"" +
         target + "\"/>";
  }
  return s + "</Relationships>";
}

constexpr std::string_view kOfficeRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

std::string UtcNow() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string CoreXml(const ReportText& text) {
  std::string when = UtcNow();
  std::string s(kXmlDeclaration);
  return s +
         "<cp:coreProperties "
         "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
         "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
         "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
         "xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" +
         Esc(text.title) + "</dc:title><dc:subject>" + Esc(text.subtitle) +
         "</dc:subject><dc:creator>Getihu</dc:creator><dc:language>zh-CN</dc:language>"
         "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" +
         when + "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + when +
         "</dcterms:modified></cp:coreProperties>";
}

std::string AppXml() {
  std::string s(kXmlDeclaration);
  return s +
         "<Properties "
         "xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
         "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
         "<Application>Getihu</Application><DocSecurity>0</DocSecurity></Properties>";
}

std::string ZipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

// Writes the parts, in order, as a new zip archive at `path`.
base::Status WriteZip(const std::vector<Part>& parts, const std::string& path) {
  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (z == nullptr) {
    return base::Unavailable("无法创建 Word 文件 " + path + "：" + ZipErrorText(code));
  }
  for (const Part& p : parts) {
    // The buffers outlive the archive handle: libzip reads them only in zip_close.
    zip_source_t* source = zip_source_buffer(z, p.bytes.data(), p.bytes.size(), 0);
    if (source == nullptr || zip_file_add(z, p.name.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
      if (source != nullptr) zip_source_free(source);
      std::string message = zip_strerror(z);
      zip_discard(z);
      return base::Internal("写入 Word 文件 " + path + " 的 " + p.name + " 失败：" + message);
    }
  }
  if (zip_close(z) != 0) {
    std::string message = zip_strerror(z);
    zip_discard(z);
    return base::Unavailable("无法写入 Word 文件 " + path + "：" + message);
  }
  return base::OkStatus();
}

}  // namespace

base::Status WriteReportDocx(const ReportModel& m, const ReportText& text,
                             const std::vector<ReportTable>& tables, const std::string& path) {
  const std::string rel(kOfficeRel);
  std::vector<Part> parts = {
      {"[Content_Types].xml", ContentTypesXml()},
      {"_rels/.rels",
       Relationships({{rel + "officeDocument", "word/document.xml"},
                      {"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                       "core-properties",
                       "docProps/core.xml"},
                      {rel + "extended-properties", "docProps/app.xml"}})},
      {"word/document.xml", DocumentXml(m, text, tables)},
      {"word/_rels/document.xml.rels", Relationships({{rel + "styles", "styles.xml"},
                                                      {rel + "fontTable", "fontTable.xml"},
                                                      {rel + "settings", "settings.xml"}})},
      {"word/styles.xml", StylesXml()},
      {"word/fontTable.xml", FontTableXml()},
      {"word/settings.xml", SettingsXml()},
      {"docProps/core.xml", CoreXml(text)},
      {"docProps/app.xml", AppXml()},
  };
  const std::string part_path = path + ".part";
  std::error_code ec;
  base::Status s = WriteZip(parts, part_path);
  if (s.ok()) {
    fs::rename(part_path, path, ec);
    if (ec) s = base::Unavailable("无法写入 Word 文件 " + path + "：" + ec.message());
  }
  if (!s.ok()) fs::remove(part_path, ec);
  return s;
}

}  // namespace getihu::analytics
