#include "cli/tier_export.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "base/clock.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "server/tier_export.h"

namespace getihu::cli {
namespace {

struct ExportArgs {
  int64_t run = 0;
  std::string format = "national";
  std::string out;
};

int RunExport(const std::string& db_path, const ExportArgs& a, bool json) {
  server::ExportLayout layout;
  if (a.format == "national") {
    layout = server::ExportLayout::kNational;
  } else if (a.format == "xlsx") {
    layout = server::ExportLayout::kStaff;
  } else {
    return ReportError(base::InvalidArgument("--format 只能是 national 或 xlsx"), json);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto households = server::ExportTierRun(**db, a.run, layout, a.out, base::SystemClock());
  if (!households.ok()) return ReportError(households.status(), json);
  if (json) {
    nlohmann::ordered_json j = {{"run", a.run}, {"households", *households}, {"file", a.out}};
    std::printf("%s\n", j.dump().c_str());
  } else {
    std::printf("已导出分型批次 %lld：%lld 户 → %s\n", static_cast<long long>(a.run),
                static_cast<long long>(*households), a.out.c_str());
  }
  return kExitOk;
}

}  // namespace

void AddTierExportCommand(CLI::App& tier, GlobalOptionsRef g, int& exit_code) {
  static ExportArgs args;
  CLI::App* e = tier.add_subcommand(
      "export", "导出分型批次：全国名录格式（CSV，金额为区间）或工作人员用的 Excel");
  e->add_option("--run", args.run, "分型批次")->required();
  e->add_option("--format", args.format,
                "national：全国个体工商户名录（CSV，UTF-8 带 BOM）；xlsx：工作人员核对用")
      ->capture_default_str();
  e->add_option("--out", args.out, "输出文件（national 为 .csv，xlsx 为 .xlsx）")->required();
  e->callback([&exit_code, g] { exit_code = RunExport(*g.db_path, args, *g.json); });
}

}  // namespace getihu::cli
