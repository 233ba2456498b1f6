#include "cli/stats_settings_command.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/targets.h"
#include "base/clock.h"
#include "base/text.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "domain/region.h"
#include "ingest/table_reader.h"
#include "server/report_files.h"
#include "storage/audit_repository.h"
#include "storage/stats_settings_repository.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string Now() { return storage::CstTimestamp(base::SystemClock().NowUnixSeconds()); }

std::string RegionName(const std::string& prefix) {
  if (prefix.empty()) return "全部";
  std::string code = prefix;
  code.resize(6, '0');
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  return r ? r->name : prefix;
}

// "70", "70%", "1000000" → a number; nullopt for anything else.
std::optional<double> ParseValue(std::string text) {
  text = std::string(base::TrimSpaces(text));
  if (text.ends_with("%")) text.pop_back();
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

base::Result<storage::StatsTarget> MakeTarget(const std::string& region, const std::string& year,
                                              const std::string& indicator,
                                              const std::string& value, const std::string& by) {
  GETIHU_ASSIGN_OR_RETURN(std::string prefix, server::ReportRegionPrefix(base::TrimSpaces(region)));
  char* end = nullptr;
  std::string y(base::TrimSpaces(year));
  long n = std::strtol(y.c_str(), &end, 10);
  if (y.empty() || end != y.c_str() + y.size() || n < 1900 || n > 2999) {
    return base::InvalidArgument("年份无效：" + year);
  }
  const analytics::TargetIndicator* ind =
      analytics::FindTargetIndicator(base::TrimSpaces(indicator));
  if (ind == nullptr) {
    std::string known;
    for (const auto& i : analytics::TargetIndicators()) {
      known += (known.empty() ? "" : "、") + std::string(i.key) + "（" + std::string(i.name) + "）";
    }
    return base::InvalidArgument("指标“" + indicator + "”不存在，可用：" + known);
  }
  std::optional<double> v = ParseValue(value);
  if (!v) return base::InvalidArgument("目标值无效：" + value);
  GETIHU_RETURN_IF_ERROR(analytics::CheckTargetValue(*ind, *v));
  return storage::StatsTarget{prefix, static_cast<int>(n), std::string(ind->key), *v, by, Now()};
}

base::Status Audit(storage::Database& db, const std::string& by, const std::string& action,
                   const std::string& target, const Json& detail) {
  storage::AuditEvent ev;
  ev.actor = by;
  ev.action = action;
  ev.target = target;
  ev.detail = detail.dump();
  return storage::AuditRepository(db, base::SystemClock()).Append(ev).status();
}

std::string TargetKey(const storage::StatsTarget& t) {
  return "target:" + (t.region_prefix.empty() ? std::string("-") : t.region_prefix) + "/" +
         std::to_string(t.year) + "/" + t.indicator;
}

Json TargetJson(const storage::StatsTarget& t) {
  const analytics::TargetIndicator* ind = analytics::FindTargetIndicator(t.indicator);
  return {{"region", t.region_prefix},
          {"region_name", RegionName(t.region_prefix)},
          {"year", t.year},
          {"indicator", t.indicator},
          {"name", ind ? ind->name : t.indicator},
          {"unit", ind ? ind->unit : ""},
          {"value", t.value},
          {"updated_by", t.updated_by},
          {"updated_at", t.updated_at}};
}

std::string ShowTarget(const storage::StatsTarget& t) {
  const analytics::TargetIndicator* ind = analytics::FindTargetIndicator(t.indicator);
  return ind ? analytics::FormatTargetValue(*ind, t.value) : std::to_string(t.value);
}

// Writes targets in one transaction with an audit record each.
base::Status StoreTargets(storage::Database& db, const std::vector<storage::StatsTarget>& targets,
                          const std::string& by) {
  storage::StatsSettingsRepository repo(db);
  return storage::RunInTransaction(db, [&]() -> base::Status {
    for (const storage::StatsTarget& t : targets) {
      GETIHU_RETURN_IF_ERROR(repo.SetTarget(t));
      GETIHU_RETURN_IF_ERROR(Audit(db, by, "stats.target.set", TargetKey(t), {{"value", t.value}}));
    }
    return base::OkStatus();
  });
}

struct TargetArgs {
  std::string region, year, indicator, value, by = "命令行", file;
};

int RunTargetSet(const std::string& db_path, const TargetArgs& a, bool json) {
  auto t = MakeTarget(a.region, a.year, a.indicator, a.value, a.by);
  if (!t.ok()) return ReportError(t.status(), json);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  if (auto s = StoreTargets(**db, {*t}, a.by); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("%s\n", TargetJson(*t).dump(2).c_str());
  } else {
    const analytics::TargetIndicator* ind = analytics::FindTargetIndicator(t->indicator);
    std::printf("已设定 %s %d 年%s目标：%s\n", RegionName(t->region_prefix).c_str(), t->year,
                std::string(ind->name).c_str(), ShowTarget(*t).c_str());
  }
  return kExitOk;
}

int RunTargetDelete(const std::string& db_path, const TargetArgs& a, bool json) {
  auto t = MakeTarget(a.region, a.year, a.indicator, "0", a.by);
  if (!t.ok()) return ReportError(t.status(), json);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto remove = [&]() -> base::Status {
    GETIHU_ASSIGN_OR_RETURN(bool gone, storage::StatsSettingsRepository(**db).DeleteTarget(
                                           t->region_prefix, t->year, t->indicator));
    if (!gone) return base::NotFound("没有该目标：" + TargetKey(*t));
    return Audit(**db, a.by, "stats.target.delete", TargetKey(*t), Json::object());
  };
  if (auto s = storage::RunInTransaction(**db, remove); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("{\"deleted\": true}\n");
  } else {
    std::printf("已删除目标 %s\n", TargetKey(*t).c_str());
  }
  return kExitOk;
}

int RunTargetList(const std::string& db_path, const TargetArgs& a, bool json) {
  std::optional<std::string> prefix;
  if (!a.region.empty()) {
    auto p = server::ReportRegionPrefix(a.region);
    if (!p.ok()) return ReportError(p.status(), json);
    prefix = *p;
  }
  int year = a.year.empty() ? 0 : std::atoi(a.year.c_str());
  if (!a.year.empty() && (year < 1900 || year > 2999))
    return ReportError(base::InvalidArgument("年份无效：" + a.year), json);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto list = storage::StatsSettingsRepository(**db).ListTargets(
      prefix ? std::optional<std::string_view>(*prefix) : std::nullopt, year);
  if (!list.ok()) return ReportError(list.status(), json);
  if (json) {
    Json items = Json::array();
    for (const auto& t : *list) items.push_back(TargetJson(t));
    std::printf("%s\n", Json({{"items", items}}).dump(2).c_str());
    return kExitOk;
  }
  if (list->empty()) {
    std::printf(
        "尚未设定目标（getihu targets set --region 代码 --year 年份 --indicator 指标 "
        "--value 目标值）\n");
    return kExitOk;
  }
  std::printf("  %s %s %s %s  设定人、时间\n", base::PadRight("区划", 22).c_str(),
              base::PadRight("年份", 6).c_str(), base::PadRight("指标", 16).c_str(),
              base::PadRight("目标值", 16).c_str());
  for (const auto& t : *list) {
    const analytics::TargetIndicator* ind = analytics::FindTargetIndicator(t.indicator);
    std::printf("  %s %s %s %s  %s %s\n",
                base::PadRight(t.region_prefix + " " + RegionName(t.region_prefix), 22).c_str(),
                base::PadRight(std::to_string(t.year), 6).c_str(),
                base::PadRight(ind ? std::string(ind->name) : t.indicator, 16).c_str(),
                base::PadRight(ShowTarget(t), 16).c_str(), t.updated_by.c_str(),
                t.updated_at.c_str());
  }
  return kExitOk;
}

// The column of the first header name found, or -1.
int ColumnOf(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (size_t i = 0; i < header.size(); ++i) {
    for (const char* n : names) {
      if (header[i] == n) return static_cast<int>(i);
    }
  }
  return -1;
}

// Reads a CSV or .xlsx table whose header names the `columns` (each with its alternatives);
// returns the rows as text in that column order. InvalidArgument naming the line otherwise.
base::Result<std::vector<std::pair<uint64_t, std::vector<std::string>>>> ReadSettingsTable(
    const std::string& path,
    const std::vector<std::pair<std::string, std::initializer_list<const char*>>>& columns) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<ingest::TableReader> reader, ingest::OpenTable(path));
  ingest::RawRow row;
  GETIHU_ASSIGN_OR_RETURN(bool any, reader->Next(row));
  if (!any) return base::InvalidArgument("文件为空");
  std::vector<std::string> header;
  for (std::string_view f : row.fields) header.emplace_back(base::TrimSpaces(f));
  std::vector<int> at;
  for (const auto& [label, names] : columns) {
    int c = ColumnOf(header, names);
    if (c < 0) return base::InvalidArgument("表头缺少列“" + label + "”");
    at.push_back(c);
  }
  std::vector<std::pair<uint64_t, std::vector<std::string>>> rows;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    std::vector<std::string> cells;
    for (int c : at) {
      cells.emplace_back(static_cast<size_t>(c) < row.fields.size()
                             ? base::TrimSpaces(row.fields[static_cast<size_t>(c)])
                             : std::string_view());
    }
    rows.emplace_back(row.line, std::move(cells));
    if (rows.size() > 100'000) return base::InvalidArgument("文件行数过多（超过 10 万行）");
  }
  return rows;
}

int RunTargetImport(const std::string& db_path, const TargetArgs& a, bool json) {
  auto rows = ReadSettingsTable(a.file, {{"region（区划代码）", {"region", "区划代码"}},
                                         {"year（年份）", {"year", "年份"}},
                                         {"indicator（指标）", {"indicator", "指标"}},
                                         {"value（目标值）", {"value", "目标值"}}});
  if (!rows.ok()) return ReportError(rows.status(), json);
  std::vector<storage::StatsTarget> targets;
  for (const auto& [line, c] : *rows) {
    auto t = MakeTarget(c[0], c[1], c[2], c[3], a.by);
    if (!t.ok()) {
      return ReportError(
          base::InvalidArgument("第 " + std::to_string(line) + " 行：" +
                                std::string(t.status().message()) + "；未导入任何目标"),
          json);
    }
    targets.push_back(*t);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  if (auto s = StoreTargets(**db, targets, a.by); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("{\"imported\": %zu}\n", targets.size());
  } else {
    std::printf("已导入 %zu 个目标\n", targets.size());
  }
  return kExitOk;
}

struct GroupArgs {
  std::string township, group, region, by = "命令行", file;
};

base::Status CheckTownship(const std::string& code) {
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  if (code.size() != 9 || r == nullptr || r->level != domain::RegionLevel::kTownship) {
    return base::InvalidArgument("乡镇（街道）代码“" + code + "”不存在");
  }
  return base::OkStatus();
}

base::Status StoreGroups(storage::Database& db,
                         const std::vector<std::pair<std::string, std::string>>& groups,
                         const std::string& by) {
  storage::StatsSettingsRepository repo(db);
  std::string now = Now();
  return storage::RunInTransaction(db, [&]() -> base::Status {
    for (const auto& [township, group] : groups) {
      GETIHU_RETURN_IF_ERROR(repo.SetTownshipGroup(township, group, by, now));
      GETIHU_RETURN_IF_ERROR(
          Audit(db, by, "stats.township_group.set", "township:" + township, {{"group", group}}));
    }
    return base::OkStatus();
  });
}

base::Status CheckGroupName(const std::string& name) {
  if (name.empty() || base::DisplayWidth(name) > 50) {
    return base::InvalidArgument("分组名称应为 1 至 50 个字符");
  }
  return base::OkStatus();
}

int RunGroupSet(const std::string& db_path, const GroupArgs& a, bool json) {
  if (auto s = CheckTownship(a.township); !s.ok()) return ReportError(s, json);
  if (auto s = CheckGroupName(a.group); !s.ok()) return ReportError(s, json);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  if (auto s = StoreGroups(**db, {{a.township, a.group}}, a.by); !s.ok())
    return ReportError(s, json);
  if (json) {
    std::printf("%s\n", Json({{"township", a.township}, {"group", a.group}}).dump(2).c_str());
  } else {
    std::printf("已将 %s %s 归入“%s”\n", a.township.c_str(),
                domain::RegionTable::Builtin().Find(a.township)->name.c_str(), a.group.c_str());
  }
  return kExitOk;
}

int RunGroupUnset(const std::string& db_path, const GroupArgs& a, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto remove = [&]() -> base::Status {
    GETIHU_ASSIGN_OR_RETURN(bool gone,
                            storage::StatsSettingsRepository(**db).DeleteTownshipGroup(a.township));
    if (!gone) return base::NotFound(a.township + " 没有分组");
    return Audit(**db, a.by, "stats.township_group.delete", "township:" + a.township,
                 Json::object());
  };
  if (auto s = storage::RunInTransaction(**db, remove); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("{\"deleted\": true}\n");
  } else {
    std::printf("已取消 %s 的分组\n", a.township.c_str());
  }
  return kExitOk;
}

int RunGroupList(const std::string& db_path, const GroupArgs& a, bool json) {
  std::string prefix;
  if (!a.region.empty()) {
    auto p = server::ReportRegionPrefix(a.region);
    if (!p.ok()) return ReportError(p.status(), json);
    prefix = *p;
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto list = storage::StatsSettingsRepository(**db).ListTownshipGroups(prefix);
  if (!list.ok()) return ReportError(list.status(), json);
  auto name = [](const std::string& code) {
    const domain::Region* r = domain::RegionTable::Builtin().Find(code);
    return r ? r->name : code;
  };
  if (json) {
    Json items = Json::array();
    for (const auto& g : *list) {
      items.push_back({{"township", g.township},
                       {"township_name", name(g.township)},
                       {"region", g.region},
                       {"group", g.group_name},
                       {"updated_by", g.updated_by},
                       {"updated_at", g.updated_at}});
    }
    std::printf("%s\n", Json({{"items", items}}).dump(2).c_str());
    return kExitOk;
  }
  if (list->empty()) {
    std::printf("尚未设定乡镇分组（getihu township-groups set --township 代码 --group 名称）\n");
    return kExitOk;
  }
  for (const auto& g : *list) {
    std::printf("  %s %s %s\n", base::PadRight(g.group_name, 20).c_str(), g.township.c_str(),
                name(g.township).c_str());
  }
  return kExitOk;
}

int RunGroupImport(const std::string& db_path, const GroupArgs& a, bool json) {
  auto rows = ReadSettingsTable(a.file, {{"township（乡镇代码）", {"township", "乡镇代码"}},
                                         {"group（分组）", {"group", "分组"}}});
  if (!rows.ok()) return ReportError(rows.status(), json);
  std::vector<std::pair<std::string, std::string>> groups;
  for (const auto& [line, c] : *rows) {
    base::Status s = CheckTownship(c[0]);
    if (s.ok()) s = CheckGroupName(c[1]);
    if (!s.ok()) {
      return ReportError(base::InvalidArgument("第 " + std::to_string(line) + " 行：" +
                                               std::string(s.message()) + "；未导入任何分组"),
                         json);
    }
    groups.emplace_back(c[0], c[1]);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  if (auto s = StoreGroups(**db, groups, a.by); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("{\"imported\": %zu}\n", groups.size());
  } else {
    std::printf("已导入 %zu 个乡镇（街道）的分组\n", groups.size());
  }
  return kExitOk;
}

}  // namespace

void AddStatsSettingsCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  static TargetArgs t;
  CLI::App* targets = app.add_subcommand(
      "targets",
      "发展目标：按区划和年份设定在册户数、就业、个转企、三年存活率、活跃度、首贷户目标");
  targets->require_subcommand(1);
  auto indicator_help = [] {
    std::string s = "指标：";
    for (const auto& i : analytics::TargetIndicators()) {
      s += std::string(i.key) + "（" + std::string(i.name) + "） ";
    }
    return s;
  };
  CLI::App* set = targets->add_subcommand("set", "设定（或修改）一个目标");
  set->add_option("--region", t.region, "区划代码（省、市、区县）")->required();
  set->add_option("--year", t.year, "年份")->required();
  set->add_option("--indicator", t.indicator, indicator_help())->required();
  set->add_option("--value", t.value, "目标值：户数、人数，或百分比（如 70）")->required();
  set->add_option("--by", t.by, "设定人");
  set->callback([&exit_code, g] { exit_code = RunTargetSet(*g.db_path, t, *g.json); });
  CLI::App* del = targets->add_subcommand("delete", "删除一个目标");
  del->add_option("--region", t.region, "区划代码")->required();
  del->add_option("--year", t.year, "年份")->required();
  del->add_option("--indicator", t.indicator, "指标")->required();
  del->add_option("--by", t.by, "操作人");
  del->callback([&exit_code, g] { exit_code = RunTargetDelete(*g.db_path, t, *g.json); });
  CLI::App* list = targets->add_subcommand("list", "列出已设定的目标");
  list->add_option("--region", t.region, "只列该区划的目标");
  list->add_option("--year", t.year, "只列该年份的目标");
  list->callback([&exit_code, g] { exit_code = RunTargetList(*g.db_path, t, *g.json); });
  CLI::App* import = targets->add_subcommand(
      "import",
      "从 CSV 或 Excel 文件导入目标（列：region 或 区划代码、year 或 年份、indicator 或 "
      "指标、value 或 目标值），全部成功或全部不导入");
  import->add_option("file", t.file, "文件")->required();
  import->add_option("--by", t.by, "设定人");
  import->callback([&exit_code, g] { exit_code = RunTargetImport(*g.db_path, t, *g.json);
});

static GroupArgs gr;
CLI::App* groups = app.add_subcommand(
    "township-groups", "乡镇（街道）分组：如城区街道、城乡结合部，用于按分组统计和分析报告");
groups->require_subcommand(1);
CLI::App* gset = groups->add_subcommand("set", "把一个乡镇（街道）归入一个分组");
gset->add_option("--township", gr.township, "乡镇（街道）代码，9 位")->required();
gset->add_option("--group", gr.group, "分组名称，如 城区")->required();
gset->add_option("--by", gr.by, "操作人");
gset->callback([&exit_code, g] { exit_code = RunGroupSet(*g.db_path, gr, *g.json); });
CLI::App* gunset = groups->add_subcommand("unset", "取消一个乡镇（街道）的分组");
gunset->add_option("--township", gr.township, "乡镇（街道）代码")->required();
gunset->add_option("--by", gr.by, "操作人");
gunset->callback([&exit_code, g] { exit_code = RunGroupUnset(*g.db_path, gr, *g.json); });
CLI::App* glist = groups->add_subcommand("list", "列出乡镇（街道）分组");
glist->add_option("--region", gr.region, "只列该区划的乡镇");
glist->callback([&exit_code, g] { exit_code = RunGroupList(*g.db_path, gr, *g.json); });
CLI::App* gimport = groups->add_subcommand(
    "import", "从 CSV 或 Excel 文件导入分组（列：township 或 乡镇代码、group 或 分组）");
gimport->add_option("file", gr.file, "文件")->required();
gimport->add_option("--by", gr.by, "操作人");
gimport->callback([&exit_code, g] { exit_code = RunGroupImport(*g.db_path, gr, *g.json); });
}  // namespace getihu::cli

}  // namespace getihu::cli
