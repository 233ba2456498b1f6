#include "storage/stats_settings_repository.h"

#include <algorithm>

namespace getihu::storage {
namespace {

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

base::Status StatsSettingsRepository::SetTarget(const StatsTarget& t) {
  GETIHU_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO stats_targets (region_prefix, year, indicator, value, updated_by,"
                  " updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                  " ON CONFLICT (region_prefix, year, indicator) DO UPDATE SET"
                  " value = excluded.value, updated_by = excluded.updated_by,"
                  " updated_at = excluded.updated_at"));
  std::vector<Value> params = {t.region_prefix, t.year,       t.indicator,
                               t.value,         t.updated_by, t.updated_at};
  return stmt->Run(params).status();
}

base::Result<bool> StatsSettingsRepository::DeleteTarget(std::string_view region_prefix, int year,
                                                         std::string_view indicator) {
  GETIHU_ASSIGN_OR_RETURN(
      int64_t n, db_.Execute("DELETE FROM stats_targets WHERE region_prefix = ? AND year = ?"
                             " AND indicator = ?",
                             {region_prefix, year, indicator}));
  return n > 0;
}

base::Result<std::vector<StatsTarget>> StatsSettingsRepository::ListTargets(
    std::optional<std::string_view> region_prefix, int year) {
  std::string sql =
      "SELECT region_prefix, year, indicator, value, updated_by, updated_at FROM stats_targets"
      " WHERE 1 = 1";
  std::vector<Value> params;
  if (region_prefix) {
    sql += " AND region_prefix = ?";
    params.emplace_back(*region_prefix);
  }
  if (year != 0) {
    sql += " AND year = ?";
    params.emplace_back(year);
  }
  sql += " ORDER BY region_prefix, year, indicator";
  GETIHU_ASSIGN_OR_RETURN(auto stmt, db_.Prepare(sql));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  std::vector<StatsTarget> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    out.push_back({stmt->ColumnText(0), static_cast<int>(stmt->ColumnInt(1)), stmt->ColumnText(2),
                   stmt->ColumnDouble(3), stmt->ColumnText(4), stmt->ColumnText(5)});
  }
  return out;
}

base::Status StatsSettingsRepository::SetTownshipGroup(std::string_view township,
                                                       std::string_view group_name,
                                                       std::string_view updated_by,
                                                       std::string_view updated_at) {
  if (township.size() != 9 || !AllDigits(township)) {
    return base::InvalidArgument("乡镇（街道）代码应为 9 位数字：" + std::string(township));
  }
  if (group_name.empty()) return base::InvalidArgument("分组名称不能为空");
  GETIHU_ASSIGN_OR_RETURN(
      auto stmt,
      db_.Prepare("INSERT INTO township_groups (township, region, group_name, updated_by,"
                  " updated_at) VALUES (?, ?, ?, ?, ?)"
                  " ON CONFLICT (township) DO UPDATE SET group_name = excluded.group_name,"
                  " updated_by = excluded.updated_by, updated_at = excluded.updated_at"));
  std::vector<Value> params = {township, township.substr(0, 6), group_name, updated_by, updated_at};
  return stmt->Run(params).status();
}

base::Result<bool> StatsSettingsRepository::DeleteTownshipGroup(std::string_view township) {
  GETIHU_ASSIGN_OR_RETURN(
      int64_t n, db_.Execute("DELETE FROM township_groups WHERE township = ?", {township}));
  return n > 0;
}

base::Result<std::vector<TownshipGroup>> StatsSettingsRepository::ListTownshipGroups(
    std::string_view region_prefix) {
  if (region_prefix.size() > 9 || !AllDigits(region_prefix)) {
    return base::InvalidArgument("区划代码应为数字：" + std::string(region_prefix));
  }
  GETIHU_ASSIGN_OR_RETURN(auto stmt,
                          db_.Prepare("SELECT township, region, group_name, updated_by, updated_at"
                                      " FROM township_groups WHERE township BETWEEN ? AND ?"
                                      " ORDER BY region, group_name, township"));
  std::string low(region_prefix), high(region_prefix);
  low.resize(9, '0');
  high.resize(9, '9');
  std::vector<Value> params = {low, high};
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(params));
  std::vector<TownshipGroup> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    out.push_back({stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnText(2),
                   stmt->ColumnText(3), stmt->ColumnText(4)});
  }
  return out;
}

base::Result<std::map<std::string, std::string>> StatsSettingsRepository::TownshipGroupMap(
    std::string_view region_prefix) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<TownshipGroup> groups, ListTownshipGroups(region_prefix));
  std::map<std::string, std::string> out;
  for (TownshipGroup& g : groups) out.emplace(std::move(g.township), std::move(g.group_name));
  return out;
}

}  // namespace getihu::storage
