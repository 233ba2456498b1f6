#include "server/report_files.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "analytics/report_docx.h"
#include "analytics/report_html.h"
#include "analytics/report_tables.h"
#include "analytics/report_text.h"
#include "domain/region.h"
#include "ingest/feed_layout.h"

namespace getihu::server {
namespace {

namespace fs = std::filesystem;

base::Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return base::Unavailable("无法写入文件 " + path.string());
  return base::OkStatus();
}

// One worksheet per table: the title, the header, then the rows, numbers stored as numbers
// with a number format (thousands separators, the cell's decimals).
// (ingest::TableWriter writes one sheet per file, so the workbook is written here.)
base::Status WriteWorkbook(const fs::path& path,
                           const std::vector<analytics::ReportTable>& tables) {
  lxw_workbook* wb = workbook_new(path.string().c_str());
  if (wb == nullptr) return base::Unavailable("无法创建 Excel 文件 " + path.string());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  // Numbers stay numbers; the format shows thousands separators and the cell's decimals.
  lxw_format* number[3];
  const char* patterns[3] = {"#,##0", "#,##0.0", "#,##0.00"};
  for (int i = 0; i < 3; ++i) {
    number[i] = workbook_add_format(wb);
    format_set_num_format(number[i], patterns[i]);
  }
  for (const analytics::ReportTable& t : tables) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, t.sheet.c_str());
    if (ws == nullptr) continue;  // a duplicate or invalid name; the writer reports it on close
    worksheet_write_string(ws, 0, 0, t.title.c_str(), bold);
    for (size_t c = 0; c < t.header.size(); ++c) {
      worksheet_write_string(ws, 1, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold);
    }
    worksheet_set_column(ws, 0, static_cast<lxw_col_t>(t.header.size()), 16, nullptr);
    for (size_t r = 0; r < t.rows.size(); ++r) {
      auto row = static_cast<lxw_row_t>(r + 2);
      for (size_t c = 0; c < t.rows[r].size(); ++c) {
        const std::string& cell = t.rows[r][c];
        auto col = static_cast<lxw_col_t>(c);
        if (c >= t.label_columns && analytics::IsNumericCell(cell)) {
          worksheet_write_number(ws, row, col, std::stod(cell),
                                 number[std::min(analytics::DecimalsOf(cell), 2)]);
        } else if (!cell.empty()) {
          worksheet_write_string(ws, row, col, cell.c_str(), nullptr);
        }
      }
    }
  }
  lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) {
    return base::Unavailable("写入 Excel 文件 " + path.string() + " 失败：" + lxw_strerror(e));
  }
  return base::OkStatus();
}

}  // namespace

base::Result<std::string> ReportRegionPrefix(std::string_view region) {
  const domain::Region* r = domain::RegionTable::Builtin().Find(region);
  if (r == nullptr || r->level == domain::RegionLevel::kTownship) {
    return base::InvalidArgument("区划代码“" + std::string(region) + "”不存在或不是省、市、区县");
  }
  return domain::NormalizeRegionCode(r->code);
}

base::Result<ReportFiles> WriteReportFiles(storage::Database& db, std::string_view region_prefix,
                                           base::Date as_of, const std::string& out_dir,
                                           const analytics::Population* population,
                                           const analytics::ReportSources& sources) {
  if (population != nullptr &&
      (population->region_prefix() != region_prefix || population->as_of() != as_of)) {
    return base::Internal("报告的区划或日期与已读取的个体工商户不一致");
  }
  GETIHU_ASSIGN_OR_RETURN(analytics::ReportModel model,
                          population != nullptr
                              ? analytics::ComputeReportModel(db, *population, sources)
                              : analytics::ComputeReportModel(db, region_prefix, as_of));
  std::map<std::string, std::string> feed_titles;
  for (const ingest::FeedLayout& f : ingest::AllFeeds()) {
    feed_titles[std::string(f.name)] = std::string(f.title);
  }
  analytics::ReportText text = analytics::WriteReportText(model, feed_titles);
  std::vector<analytics::ReportTable> tables = analytics::BuildReportTables(model);
  for (analytics::ReportTable& t : tables) {  // the sources table names feeds in Chinese
    if (t.key != "sources") continue;
    for (auto& row : t.rows) {
      if (auto it = feed_titles.find(row[0]); it != feed_titles.end()) row[0] = it->second;
    }
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return base::Unavailable("无法创建目录 " + out_dir);
  ReportFiles out;
  out.region_prefix = model.region_prefix;
  out.region_name = model.region_name;
  out.title = text.title;
  out.subtitle = text.subtitle;
  if (!text.sections.empty() && !text.sections[0].paragraphs.empty()) {
    out.first_paragraph = text.sections[0].paragraphs[0];
  }
  out.html = (fs::path(out_dir) / "report.html").string();
  out.xlsx = (fs::path(out_dir) / "report.xlsx").string();
  out.docx = (fs::path(out_dir) / "report.docx").string();
  out.tables = tables.size();
  GETIHU_RETURN_IF_ERROR(WriteText(out.html, analytics::RenderReportHtml(model, text, tables)));
  GETIHU_RETURN_IF_ERROR(WriteWorkbook(out.xlsx, tables));
  GETIHU_RETURN_IF_ERROR(analytics::WriteReportDocx(model, text, tables, out.docx));
  return out;
}

}  // namespace getihu::server
