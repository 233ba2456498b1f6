// The Word document: a complete, well-formed WordprocessingML package holding the title, the
// headings, every paragraph and a Word table per report table, with all text escaped.
#include "analytics/report_docx.h"

#include <expat.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace getihu::analytics {
namespace {

namespace fs = std::filesystem;

constexpr const char* kParts[] = {
    "[Content_Types].xml", "_rels/.rels",
    "word/document.xml",   "word/_rels/document.xml.rels",
    "word/styles.xml",     "word/fontTable.xml",
    "docProps/core.xml",   "docProps/app.xml",
};

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// A fresh directory per test, removed afterwards.
class ReportDocxTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("getihu_docx_" + std::to_string(getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A county with one township whose name holds markup characters.
  static ReportModel Model() {
    ReportModel m;
    m.as_of = *base::Date::Parse("2026-07-01");
    m.region_prefix = "500113";
    m.region_name = "巴南区";
    m.by_area.by = Dimension::kTownship;
    m.by_area.total.stock = 3;
    GroupFigures g;
    g.code = "500113999";
    g.name = "A&B<街道>";
    g.figures.stock = 3;
    g.stock_share = 100;
    m.by_area.groups = {g};
    return m;
  }

  fs::path dir_;
};

// Reads one entry of a zip archive; false when it is missing.
bool ReadEntry(zip_t* z, const char* name, std::string& out) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z, name, 0, &st) != 0) return false;
  zip_file_t* f = zip_fopen(z, name, 0);
  if (f == nullptr) return false;
  out.assign(st.size, '\0');
  zip_int64_t got = zip_fread(f, out.data(), st.size);
  zip_fclose(f);
  return got == static_cast<zip_int64_t>(st.size);
}

// Parses `xml` with expat; returns the concatenated character data, or sets `error`.
std::string ParseXml(const std::string& xml, std::string& error) {
  std::string text;
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, &text);
  XML_SetCharacterDataHandler(p, [](void* data, const XML_Char* s, int len) {
    static_cast<std::string*>(data)->append(s, static_cast<size_t>(len));
  });
  if (XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR) {
    error = std::string(XML_ErrorString(XML_GetErrorCode(p))) + " at line " +
            std::to_string(XML_GetCurrentLineNumber(p));
  }
  XML_ParserFree(p);
  return text;
}

TEST_F(ReportDocxTest, WritesEveryPartWellFormedWithTitleHeadingsAndTables) {
  ReportModel m = Model();
  ReportText text = WriteReportText(m, {});
  std::vector<ReportTable> tables = BuildReportTables(m);
  std::string path = (dir_ / "report.docx").string();
  ASSERT_TRUE(WriteReportDocx(m, text, tables, path).ok());
  EXPECT_FALSE(fs::exists(path + ".part"));

  int code = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &code);
  ASSERT_NE(z, nullptr) << code;
  std::string document, document_text;
  for (const char* part : kParts) {
    std::string xml;
    ASSERT_TRUE(ReadEntry(z, part, xml)) << part;
    std::string error;
    std::string chars = ParseXml(xml, error);
    EXPECT_EQ(error, "") << part;
    if (std::string(part) == "word/document.xml") {
      document = xml;
      document_text = chars;
    }
    if (std::string(part) == "docProps/core.xml") {
      EXPECT_NE(chars.find(text.title), std::string::npos);
      EXPECT_NE(xml.find("<dcterms:created xsi:type=\"dcterms:W3CDTF\">20"), std::string::npos);
    }
    if (std::string(part) == "word/styles.xml") {
      EXPECT_NE(xml.find("w:ascii=\"Times New Roman\""), std::string::npos);
      EXPECT_NE(xml.find("w:eastAsia=\"宋体\""), std::string::npos);
      EXPECT_NE(xml.find("w:eastAsia=\"黑体\""), std::string::npos);
    }
    if (std::string(part) == "word/fontTable.xml") {
      for (const char* font : {"宋体", "SimSun", "黑体", "SimHei", "Noto Serif CJK SC"}) {
        EXPECT_NE(xml.find(std::string("\"") + font + "\""), std::string::npos) << font;
      }
    }
  }
  zip_discard(z);

  EXPECT_NE(document_text.find(text.title), std::string::npos);
  for (const char* heading :
       {"一、基本情况", "二、发展趋势", "三、注吊销情况", "四、分型分类情况", "指标说明"}) {
    EXPECT_NE(document_text.find(heading), std::string::npos) << heading;
  }
  for (const ReportSection& section : text.sections) {
    for (const std::string& p : section.paragraphs) {
      EXPECT_NE(document_text.find(p), std::string::npos) << p;
    }
  }
  EXPECT_EQ(Count(document, "<w:tbl>"), tables.size());
  EXPECT_EQ(Count(document, "<w:tblHeader/>"), tables.size());
  EXPECT_NE(document.find("<w:jc w:val=\"right\"/>"), std::string::npos);  // a number cell
  EXPECT_GE(Count(document_text, kDocxChartNote), 3u);
  EXPECT_NE(document.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), std::string::npos);  // A4
  // Escaped in the markup, restored by the parser.
  EXPECT_NE(document.find("A&amp;B&lt;街道&gt;"), std::string::npos);
  EXPECT_EQ(document.find("A&B"), std::string::npos);
  EXPECT_NE(document_text.find("A&B<街道>"), std::string::npos);
}

TEST_F(ReportDocxTest, ReplacesAnExistingFile) {
  ReportModel m = Model();
  std::string path = (dir_ / "report.docx").string();
  std::ofstream(path) << "old";
  ASSERT_TRUE(WriteReportDocx(m, WriteReportText(m, {}), BuildReportTables(m), path).ok());
  EXPECT_GT(fs::file_size(path), 1000u);
  EXPECT_FALSE(fs::exists(path + ".part"));
}

TEST_F(ReportDocxTest, FailsWithoutLeavingAFileWhenTheDirectoryIsMissing) {
  ReportModel m = Model();
  std::string path = (dir_ / "absent" / "report.docx").string();
  base::Status s = WriteReportDocx(m, WriteReportText(m, {}), BuildReportTables(m), path);
  EXPECT_EQ(s.code(), base::StatusCode::kUnavailable) << s.ToString();
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".part"));
}

// LibreOffice, when installed, must open the document and convert it to PDF.
TEST_F(ReportDocxTest, LibreOfficeConvertsItToPdf) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "soffice (LibreOffice) is not installed";
  }
  ReportModel m = Model();
  std::string path = (dir_ / "report.docx").string();
  ASSERT_TRUE(WriteReportDocx(m, WriteReportText(m, {}), BuildReportTables(m), path).ok());
  // A private profile: a user's running LibreOffice must not receive the conversion.
  std::string command = "soffice -env:UserInstallation=file://" + (dir_ / "profile").string() +
                        " --headless --convert-to pdf --outdir '" + dir_.string() + "' '" + path +
                        "' >/dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  ASSERT_TRUE(fs::exists(dir_ / "report.pdf"));
  EXPECT_GT(fs::file_size(dir_ / "report.pdf"), 1000u);
}

}  // namespace
}  // namespace getihu::analytics
