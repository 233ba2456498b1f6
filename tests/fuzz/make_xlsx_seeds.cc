// Writes the seed workbooks for the .xlsx fuzzer into the directory named by argv[1]. The
// parts are stored uncompressed so that mutations reach the XML parsers (deflated data
// would mostly fail to inflate).
#include <cstdio>
#include <string>
#include <vector>

#include "ingest/testing/xlsx_builder.h"

namespace {

using getihu::ingest::testing::InlineRow;
using getihu::ingest::testing::XlsxBook;
using getihu::ingest::testing::XlsxParts;
using getihu::ingest::testing::ZipPart;

constexpr const char* kStyles =
    "<styleSheet><numFmts><numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;"
    "d&quot;日&quot;\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/>"
    "<xf numFmtId=\"176\"/></cellXfs></styleSheet>";

bool Write(const std::string& path, const XlsxBook& book) {
  std::vector<ZipPart> parts = XlsxParts(book);
  for (ZipPart& p : parts) p.store = true;
  return getihu::ingest::testing::WriteZip(path, parts);
}

XlsxBook Registration() {
  XlsxBook book;
  book.shared_strings = {"统一社会信用代码", "变更类型", "变更日期", "设立", "92520102MA6DKXYZ1A"};
  book.styles_xml = kStyles;
  book.sheets.push_back(
      {"登记",
       "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
       "<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
       "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>4</v></c><c r=\"B2\" t=\"s\"><v>3</v></c>"
       "<c r=\"C2\" s=\"1\"><v>45292</v></c></row>"
       "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><r><t>9252</t></r><r><t>0102</t></r>"
       "<rPh><t>x</t></rPh></is></c><c r=\"C4\" s=\"2\"><f>A2+1</f><v>45293.5</v></c>"
       "<c r=\"E4\" t=\"b\"><v>1</v></c><c r=\"F4\" t=\"e\"><v>#N/A</v></c>"
       "<c r=\"G4\" t=\"str\"><f>\"a\"</f><v>a_x000D_b</v></c></row>"});
  return book;
}

XlsxBook TwoSheets() {
  XlsxBook book;
  book.sheets.push_back({"隐藏", InlineRow(1, {"x"}), "", true});
  book.sheets.push_back({"年报", InlineRow(1, {"统一社会信用代码", "报告年度", "营业额(元)"}) +
                                     "<row r=\"2\"><c><v>1</v></c><c><v>2023</v></c>"
                                     "<c><v>1234.5</v></c></row>"});
  return book;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  bool ok = Write(dir + "/registration.xlsx", Registration()) &&
            Write(dir + "/two_sheets.xlsx", TwoSheets());
  return ok ? 0 : 1;
}
