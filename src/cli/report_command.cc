#include "cli/report_command.h"

#include <xlsxwriter.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "analytics/report.h"
#include "analytics/report_docx.h"
#include "analytics/report_html.h"
#include "analytics/report_tables.h"
#include "analytics/report_text.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "domain/region.h"
#include "ingest/feed_layout.h"

namespace getihu::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

base::Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return base::Unavailable("无法写入文件 " + path.string());
  return base::OkStatus();
}

// One worksheet per table: the title, the header, then the rows, numbers stored as numbers.
// (ingest::TableWriter writes one sheet per file, so the workbook is written here.)
base::Status WriteWorkbook(const fs::path& path,
                           const std::vector<analytics::ReportTable>& tables) {
  lxw_workbook* wb = workbook_new(path.string().c_str());
  if (wb == nullptr) return base::Unavailable("无法创建 Excel 文件 " + path.string());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
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
          worksheet_write_number(ws, row, col, std::stod(cell), nullptr);
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

base::Result<std::string> RegionPrefix(const std::string& region) {
  const domain::Region* r = domain::RegionTable::Builtin().Find(region);
  if (r == nullptr || r->level == domain::RegionLevel::kTownship) {
    return base::InvalidArgument("区划代码“" + region + "”不存在或不是省、市、区县");
  }
  return domain::NormalizeRegionCode(r->code);
}

int RunReport(const std::string& db_path, const std::string& region, const std::string& as_of_text,
              const std::string& out_dir, bool json) {
  auto start = std::chrono::steady_clock::now();
  auto as_of = base::Date::Parse(as_of_text);
  if (!as_of.ok())
    return ReportError(base::InvalidArgument("--as-of 日期无效：" + as_of_text), json);
  auto prefix = RegionPrefix(region);
  if (!prefix.ok()) return ReportError(prefix.status(), json);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto model = analytics::ComputeReportModel(**db, *prefix, *as_of);
  if (!model.ok()) return ReportError(model.status(), json);
  std::map<std::string, std::string> feed_titles;
  for (const ingest::FeedLayout& f : ingest::AllFeeds()) {
    feed_titles[std::string(f.name)] = std::string(f.title);
  }
  analytics::ReportText text = analytics::WriteReportText(*model, feed_titles);
  std::vector<analytics::ReportTable> tables = analytics::BuildReportTables(*model);
  for (analytics::ReportTable& t : tables) {  // the sources table names feeds in Chinese
    if (t.key != "sources") continue;
    for (auto& row : t.rows) {
      if (auto it = feed_titles.find(row[0]); it != feed_titles.end()) row[0] = it->second;
    }
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) return ReportError(base::Unavailable("无法创建目录 " + out_dir), json);
  fs::path html = fs::path(out_dir) / "report.html", xlsx = fs::path(out_dir) / "report.xlsx",
           docx = fs::path(out_dir) / "report.docx";
  base::Status s = WriteText(html, analytics::RenderReportHtml(*model, text, tables));
  if (s.ok()) s = WriteWorkbook(xlsx, tables);
  if (s.ok()) s = analytics::WriteReportDocx(*model, text, tables, docx.string());
  if (!s.ok()) return ReportError(s, json);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (json) {
    Json j = {{"region", model->region_prefix}, {"region_name", model->region_name},
              {"as_of", as_of->ToString()},     {"html", html.string()},
              {"xlsx", xlsx.string()},          {"docx", docx.string()},
              {"tables", tables.size()},        {"seconds", seconds}};
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("%s%s\n\n%s\n\n", text.title.c_str(), text.subtitle.c_str(),
              text.sections[0].paragraphs[0].c_str());
  std::printf("已生成报告：%s、%s、%s（%zu 张表，用时 %.1f 秒）\n", html.string().c_str(),
              xlsx.string().c_str(), docx.string().c_str(), tables.size(), seconds);
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  static std::string region, as_of, out;
  CLI::App* r = app.add_subcommand("report",
                                   "生成个体工商户发展分析报告：report.html（含图表）、report."
                                   "xlsx（各表）和 report.docx（Word 文档）");
  r->add_option("--region", region, "区划代码（省、市、区县）")->required();
  r->add_option("--as-of", as_of, "基准日 YYYY-MM-DD")->required();
  r->add_option("--out", out, "输出目录")->required();
  r->callback([&exit_code, g] { exit_code = RunReport(*g.db_path, region, as_of, out, *g.json); });
}

}  // namespace getihu::cli
