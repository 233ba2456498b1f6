// The getihu command. Subcommands are documented in docs/cli.md.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/clock.h"
#include "cli/audit_command.h"
#include "cli/backup_command.h"
#include "cli/check_command.h"
#include "cli/copy_command.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/feeds_command.h"
#include "cli/gen_command.h"
#include "cli/import_command.h"
#include "cli/key_command.h"
#include "cli/report_command.h"
#include "cli/serve_command.h"
#include "cli/stats_command.h"
#include "cli/stats_settings_command.h"
#include "cli/tier_command.h"

namespace getihu::cli {
namespace {

constexpr const char* kVersion = "0.1.0";

struct GlobalOptions {
  std::string db_path = "getihu.db";
  std::string data_key;  // the data key file; "" for none
  bool json = false;
};

void AddCheckCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* check =
      app.add_subcommand("check", "校验代码并显示其组成：统一社会信用代码、区划代码、行业代码");
  check->require_subcommand(1);
  static std::vector<std::string> codes;
  static std::string allow_list;
  CLI::App* uscc = check->add_subcommand("uscc", "校验统一社会信用代码（18 位）或注册号（15 位）");
  uscc->add_option("codes", codes, "一个或多个代码")->required();
  uscc->add_option("--allow-list", allow_list, "已知合法但校验位不符的历史代码清单（每行一个）");
  uscc->callback([&] { exit_code = CheckUscc(codes, allow_list, g.json); });
  CLI::App* region = check->add_subcommand("region", "校验行政区划代码（6 位县级或 9 位乡级）");
  region->add_option("codes", codes, "一个或多个代码")->required();
  region->callback([&] { exit_code = CheckRegion(codes, g.json); });
  CLI::App* industry =
      check->add_subcommand("industry", "校验国民经济行业分类代码（GB/T 4754-2017）");
  industry->add_option("codes", codes, "门类字母或 2-4 位数字代码")->required();
  industry->callback([&] { exit_code = CheckIndustry(codes, g.json); });
}

void AddGenCommand(CLI::App& app, GlobalOptions& g, int& exit_code) {
  static synth::GenerateOptions o;
  static std::string as_of;
  CLI::App* gen = app.add_subcommand("gen", "生成模拟的区县（或城市、省）部门数据文件");
  gen->add_option("--households", o.households, "截止日期时登记在册的户数（默认 59000）");
  gen->add_option("--region", o.region_code, "区划代码：省、市、区县或乡镇（默认 500113 巴南区）");
  gen->add_option("--as-of", as_of, "数据截止日期 YYYY-MM-DD（默认今天）");
  gen->add_option("--seed", o.seed, "随机种子；相同参数生成完全相同的文件");
  gen->add_option("--out", o.out_dir, "输出目录")->required();
  gen->add_option("--bad-rows", o.bad_row_rate, "每条正常行之后附带一条错误行的概率（默认 0.008）");
  gen->add_option("--threads", o.threads, "线程数（默认全部核心）");
  gen->callback([&] {
    if (as_of.empty()) {
      o.as_of = base::SystemClock().Today();
    } else {
      auto d = base::Date::Parse(as_of);
      if (!d.ok()) {
        exit_code = ReportError(d.status().WithContext("--as-of"), g.json);
        return;
      }
      o.as_of = *d;
    }
    exit_code = RunGen(o, g.json);
  });
}

void AddDbCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  CLI::App* init = app.add_subcommand("init", "创建或升级数据库（应用全部迁移）");
  init->callback([&] { exit_code = RunInit(g.db_path, g.json); });
  CLI::App* status = app.add_subcommand("status", "显示数据库中的数据概况");
  status->callback([&] { exit_code = RunStatus(g.db_path, g.json); });
  static std::string out, from;
  static bool yes = false;
  CLI::App* backup =
      app.add_subcommand("backup", "备份数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）");
  backup->add_option("--out", out, "备份文件路径")->required();
  backup->callback([&] { exit_code = RunBackup(g.db_path, out, g.json); });
  CLI::App* restore = app.add_subcommand("restore", "从备份恢复数据库（替换全部数据）");
  restore->add_option("--from", from, "备份文件路径")->required();
  restore->add_flag("--yes", yes, "确认用备份替换当前数据");
  restore->callback([&] { exit_code = RunRestore(g.db_path, from, yes, g.json); });
}

void AddImportCommands(CLI::App& app, GlobalOptions& g, int& exit_code) {
  static ImportArgs a;
  CLI::App* import = app.add_subcommand(
      "import", "导入部门数据文件（CSV 或 .xlsx），每个文件一个批次，全部成功或全部不导入");
  import->add_option("args", a.args, "数据类型（见 getihu feeds）及一个或多个文件");
  import->add_option("--dir", a.dir, "导入目录中的全部数据文件（按表头识别类型，先导入登记数据）");
  import->add_option("--as-of", a.as_of, "数据截止日期 YYYY-MM-DD，晚于它的日期被拒绝（默认今天）");
  import->add_option("--rejects", a.rejects,
                     "错误行文件路径（默认与数据文件同目录的 <文件名>.rejects.csv）");
  import->add_option("--sheet", a.sheet, ".xlsx 文件的工作表名称（默认第一个）");
  import->callback([&] { exit_code = RunImport(g.db_path, a, g.json);
});
static int limit = 50;
CLI::App* batches = app.add_subcommand("batches", "列出已导入的批次");
batches->add_option("--limit", limit, "最多显示的批次数（默认 50）");
batches->callback([&] { exit_code = RunBatches(g.db_path, limit, g.json); });
static std::string region;
CLI::App* quality =
    app.add_subcommand("quality", "数据质量：各部门数据按所属期的覆盖率、匹配率和拒绝原因");
quality->add_option("--region", region, "只看该区划（省、市、区县代码）内的个体工商户");
quality->callback([&] { exit_code = RunQuality(g.db_path, region, g.json); });
}  // namespace

void AddFeedsCommand(CLI::App& app, GlobalOptions& g, int& exit_code) {
  static std::string feed;
  static bool markdown = false;
  CLI::App* feeds = app.add_subcommand("feeds", "列出各部门数据文件的格式（列名、类型、是否必填）");
  feeds->add_option("feed", feed, "只显示这一种数据，如 tax");
  feeds->add_flag("--markdown", markdown, "以 Markdown 输出（即 docs/feeds.md）");
  feeds->callback([&] { exit_code = RunFeeds(feed, g.json, markdown); });
}

int Main(int argc, char** argv) {
  CLI::App app("Getihu 个体工商户分型分类精准帮扶平台", "getihu");
  app.require_subcommand(1);
  app.fallthrough();  // global options (--db, --json) may also follow the subcommand
  GlobalOptions g;
  if (const char* env = std::getenv("GETIHU_DB"); env != nullptr && *env != '\0') g.db_path = env;
  app.add_option("--db", g.db_path,
                 "数据库：SQLite 文件路径（默认 ./getihu.db，或环境变量 GETIHU_DB）");
  if (const char* env = std::getenv("GETIHU_DATA_KEY"); env != nullptr) g.data_key = env;
  app.add_option("--data-key", g.data_key,
                 "数据密钥文件：加密保存经营者身份证号和电话（或环境变量 GETIHU_DATA_KEY）");
  SetDataKeyFile(&g.data_key);
  app.add_flag("--json", g.json, "以 JSON 输出，供程序读取");
  int exit_code = kExitOk;
  app.add_subcommand("version", "显示版本")->callback([&] {
    if (g.json) {
      std::printf("{\"version\": \"%s\"}\n", kVersion);
    } else {
      std::printf("getihu %s\n", kVersion);
    }
  });
  AddCheckCommands(app, g, exit_code);
  AddGenCommand(app, g, exit_code);
  AddDbCommands(app, g, exit_code);
  AddCopyCommand(app, g.json, exit_code);
  AddFeedsCommand(app, g, exit_code);
  AddImportCommands(app, g, exit_code);
  AddTierCommands(app, GlobalOptionsRef{&g.db_path, &g.json}, exit_code);
  AddStatsCommand(app, GlobalOptionsRef{&g.db_path, &g.json}, exit_code);
  AddStatsSettingsCommands(app, GlobalOptionsRef{&g.db_path, &g.json}, exit_code);
  AddReportCommand(app, GlobalOptionsRef{&g.db_path, &g.json}, exit_code);
  AddAuditCommands(app, GlobalOptionsRef{&g.db_path, &g.json}, exit_code);
  AddServeCommands(app, GlobalOptionsRef{&g.db_path, &g.json}, exit_code);
  AddKeyCommands(app, GlobalOptionsRef{&g.db_path, &g.json}, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "用法错误：%s\n请运行 getihu --help 查看用法。\n", e.what());
    return kExitUsage;
  }
  return exit_code;
}

}  // namespace getihu::cli
}  // namespace getihu::cli

int main(int argc, char** argv) { return getihu::cli::Main(argc, argv); }
