#include "analytics/targets.h"

#include <cmath>
#include <cstdio>
#include <optional>

#include "analytics/pool_image.h"
#include "analytics/report_text.h"
#include "storage/stats_settings_repository.h"
#include "storage/vitality_query.h"

namespace getihu::analytics {
namespace {

constexpr TargetIndicator kIndicators[] = {
    {"households", "在册个体工商户", "户", false},
    {"employment", "吸纳就业", "人", false},
    {"conversions", "新增个转企", "户", false},
    {"survival_3y", "三年存活率", "%", true},
    {"activity", "活跃度", "%", true},
    {"first_loans", "新增首贷户", "户", false},
};

constexpr double kMaxCount = 1e12;

}  // namespace

std::span<const TargetIndicator> TargetIndicators() { return kIndicators; }

const TargetIndicator* FindTargetIndicator(std::string_view key_or_name) {
  for (const TargetIndicator& i : kIndicators) {
    if (i.key == key_or_name || i.name == key_or_name) return &i;
  }
  return nullptr;
}

base::Status CheckTargetValue(const TargetIndicator& indicator, double value) {
  if (!std::isfinite(value) || value < 0) {
    return base::InvalidArgument(std::string(indicator.name) + "的目标值应为非负数");
  }
  if (indicator.rate) {
    if (value > 100) {
      return base::InvalidArgument(std::string(indicator.name) +
                                   "的目标值是百分比，应在 0 至 100 之间");
    }
  } else if (value != std::floor(value) || value > kMaxCount) {
    return base::InvalidArgument(std::string(indicator.name) + "的目标值应为不超过 10^12 的整数（" +
                                 std::string(indicator.unit) + "）");
  }
  return base::OkStatus();
}

std::string_view TargetProgress::StatusText() const {
  if (!met) return "暂无数据";
  return *met ? "达标" : "未达标";
}

TargetProgress EvaluateTarget(const TargetIndicator& indicator, int year, double target,
                              std::optional<double> actual, std::string basis) {
  TargetProgress p;
  p.indicator = &indicator;
  p.year = year;
  p.target = target;
  p.actual = actual;
  p.basis = std::move(basis);
  if (!actual) return p;
  // Rates are compared as shown, to one decimal: 69.96% shows as 70.0% and meets 70%.
  double shown = indicator.rate ? std::round(*actual * 10) / 10 : *actual;
  p.met = shown >= target;
  if (target > 0) p.achieved_pct = 100.0 * *actual / target;
  if (!*p.met) p.remaining = target - shown;
  return p;
}

base::Result<Employment> ComputeEmployment(storage::Database& db, const Population& population) {
  std::vector<storage::HouseholdEmployees> employees;
  bool imaged = false;
  if (!population.image().dir.empty()) {
    // Those of the whole pool, from its image (pool_image.h), keyed in the snapshot read.
    std::optional<storage::Transaction> read;
    GETIHU_ASSIGN_OR_RETURN(std::string key, BeginImageSnapshot(db, read));
    if (!key.empty()) {
      GETIHU_ASSIGN_OR_RETURN(employees,
                              ImagedEmployees(db, population.image(), key, population.as_of()));
      imaged = true;
    }
  }
  if (!imaged) {
    GETIHU_ASSIGN_OR_RETURN(
        employees, storage::QueryEmployees(db, population.region_prefix(), population.as_of()));
  }
  // Each row's employees, -1 without a figure (the lists and ids() ascend).
  const std::vector<int64_t>& ids = population.ids();
  const std::vector<uint32_t>& rows = population.rows_by_id();
  std::vector<int32_t> of_row(ids.size(), -1);
  size_t j = 0;
  for (const storage::HouseholdEmployees& h : employees) {
    while (j < ids.size() && ids[j] < h.household_id) ++j;
    if (j < ids.size() && ids[j] == h.household_id) of_row[rows[j]] = h.employees;
  }
  Employment e;
  const std::vector<uint16_t>& bits = population.figure_bits();
  for (size_t row = 0; row < ids.size(); ++row) {
    if (!(bits[row] & kBitStock)) continue;
    ++e.households;
    e.people += 1;
    if (of_row[row] >= 0) {
      ++e.with_data;
      e.people += of_row[row];
    }
  }
  return e;
}

base::Result<Employment> ComputeEmployment(storage::Database& db, std::string_view region_prefix,
                                           base::Date as_of) {
  GETIHU_ASSIGN_OR_RETURN(Population population, Population::Load(db, region_prefix, as_of));
  return ComputeEmployment(db, population);
}

base::Result<std::vector<TargetProgress>> ComputeTargetProgress(
    storage::Database& db, std::string_view region_prefix, base::Date as_of, const Figures& total,
    const ActivityRate& activity, const SurvivalRate& survival) {
  GETIHU_ASSIGN_OR_RETURN(Population population, Population::Load(db, region_prefix, as_of));
  return ComputeTargetProgress(db, population, total, activity, survival);
}

base::Result<std::vector<TargetProgress>> ComputeTargetProgress(
    storage::Database& db, const Population& population, const Figures& total,
    const ActivityRate& activity, const SurvivalRate& survival, const Employment* employment) {
  const std::string_view region_prefix = population.region_prefix();
  const base::Date as_of = population.as_of();
  storage::StatsSettingsRepository repo(db);
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::StatsTarget> targets,
                          repo.ListTargets(region_prefix, as_of.year()));
  std::vector<TargetProgress> out;
  if (targets.empty()) return out;
  const std::string date = ChineseDate(as_of);
  const std::string period =
      "今年1月1日至" + std::to_string(as_of.month()) + "月" + std::to_string(as_of.day()) + "日";
  for (const TargetIndicator& indicator : kIndicators) {
    const storage::StatsTarget* t = nullptr;
    for (const storage::StatsTarget& s : targets) {
      if (s.indicator == indicator.key) t = &s;
    }
    if (t == nullptr) continue;
    std::optional<double> actual;
    std::string basis;
    const std::string_view key = indicator.key;
    if (key == "households") {
      actual = static_cast<double>(total.stock);
      basis = date + "登记在册";
    } else if (key == "conversions") {
      actual = static_cast<double>(total.conversions);
      basis = period + "个转企";
    } else if (key == "employment") {
      Employment e;
      if (employment != nullptr) {
        e = *employment;
      } else {
        GETIHU_ASSIGN_OR_RETURN(e, ComputeEmployment(db, population));
      }
      if (e.with_data > 0) actual = static_cast<double>(e.people);
      basis = date + "登记在册" + FormatCount(e.households) + "户的经营者及雇员，其中" +
              FormatCount(e.with_data) + "户有雇员数据、其余按经营者1人计";
    } else if (key == "survival_3y") {
      actual = survival.pct;
      basis = std::to_string(survival.cohort_year) + "年设立、已满三年的" +
              FormatCount(survival.observable) + "户";
    } else if (key == "activity") {
      // No record at all for anyone is no data, not an activity of 0%.
      if (activity.no_data < activity.in_existence) actual = activity.pct;
      basis = std::to_string(activity.year) + "年活跃度" + (activity.provisional ? "，暂定值" : "");
    } else if (key == "first_loans") {
      GETIHU_ASSIGN_OR_RETURN(base::Date jan1, base::Date::FromYmd(as_of.year(), 1, 1));
      GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> n,
                              storage::CountFirstLoans(db, region_prefix, jan1, as_of));
      if (n) actual = static_cast<double>(*n);
      basis = n ? period + "获得首贷的户数" : "尚未导入贷款数据";
    }
    out.push_back(EvaluateTarget(indicator, t->year, t->value, actual, std::move(basis)));
  }
  return out;
}

std::string FormatTargetValue(const TargetIndicator& indicator, std::optional<double> value) {
  if (!value) return "暂无数据";
  if (indicator.rate) return FormatPercent(*value);
  return FormatCount(std::llround(*value)) + std::string(indicator.unit);
}

std::string DescribeTargetProgress(const TargetProgress& p) {
  const TargetIndicator& i = *p.indicator;
  std::string s = std::string(i.name) + "目标" + FormatTargetValue(i, p.target) + "，";
  if (!p.actual) return s + "暂无数据（" + p.basis + "）";
  s += "实际" + FormatTargetValue(i, p.actual) + "（" + p.basis + "）";
  if (p.achieved_pct) s += "，完成目标的" + FormatPercent(*p.achieved_pct);
  if (*p.met) return s + "，已达标";
  s += "，未达标，差";
  if (i.rate) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *p.remaining);
    return s + buf + "个百分点";
  }
  return s + FormatTargetValue(i, p.remaining);
}

}  // namespace getihu::analytics
