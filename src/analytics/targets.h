// Targets with progress (SPEC C8; seed 004 一 sets the kind: households in the register,
// employment, new 个转企, three-year survival 60%, activity 70%, new first-loan households):
// the goals a region sets itself for a year (storage/stats_settings_repository.h) against what
// the pool measures on the as-of date. docs/statistics.md gives each measure. Indicators the
// pool has no data for (no loan feed, no employee figures) are "暂无数据", never 0.
// Thread-compatible.
#ifndef GETIHU_ANALYTICS_TARGETS_H_
#define GETIHU_ANALYTICS_TARGETS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/indicators.h"
#include "analytics/vitality.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::analytics {

struct TargetIndicator {
  std::string_view key;   // "households", "employment", "conversions", "survival_3y",
                          // "activity", "first_loans" (the stored names)
  std::string_view name;  // Chinese, e.g. "三年存活率"
  std::string_view unit;  // "户", "人" or "%"
  bool rate = false;      // a percentage (0–100) rather than a count
};

// The indicators a target can be set for, in report order.
std::span<const TargetIndicator> TargetIndicators();
// By key or by Chinese name; nullptr for anything else.
const TargetIndicator* FindTargetIndicator(std::string_view key_or_name);
// Counts are whole numbers from 0 to 10^12, rates from 0 to 100. InvalidArgument (Chinese).
base::Status CheckTargetValue(const TargetIndicator& indicator, double value);

struct TargetProgress {
  const TargetIndicator* indicator = nullptr;
  int year = 0;
  double target = 0;
  std::optional<double> actual;  // nullopt: 暂无数据
  std::string basis;             // what the actual is, Chinese (its date or year, caveats)
  // actual ÷ target × 100; nullopt without data or with a zero target.
  std::optional<double> achieved_pct;
  std::optional<bool> met;          // actual ≥ target; nullopt without data
  std::optional<double> remaining;  // target − actual when not met (户, 人 or 百分点)
  // "达标", "未达标" or "暂无数据".
  std::string_view StatusText() const;
};

// Compares one target with its measured value.
TargetProgress EvaluateTarget(const TargetIndicator& indicator, int year, double target,
                              std::optional<double> actual, std::string basis);

// Employment (吸纳就业) of the households in stock on a date: each counts its operator and its
// employees (insured employees of the previous year, else the annual report's 从业人数 − 1);
// one without either figure counts as its operator alone.
struct Employment {
  int64_t households = 0;  // in stock (存续 incl. 歇业)
  int64_t with_data = 0;   // of them, with an employee figure
  int64_t people = 0;
};
base::Result<Employment> ComputeEmployment(storage::Database& db, std::string_view region_prefix,
                                           base::Date as_of);
// The same for a loaded population (its region, on its date); reads only the employee figures.
base::Result<Employment> ComputeEmployment(storage::Database& db, const Population& population);

// The progress of the targets `region_prefix` set for the as-of year, in TargetIndicators()
// order; empty when it set none. `total` is ComputeStats of the region on `as_of` (stock and
// the 个转企 since 1 January); `activity` and `survival` are the rates shown beside it (the
// latest available: activity of the previous year, the latest complete survival cohort).
// Employment and first loans are read from the pool only when a target needs them.
base::Result<std::vector<TargetProgress>> ComputeTargetProgress(
    storage::Database& db, std::string_view region_prefix, base::Date as_of, const Figures& total,
    const ActivityRate& activity, const SurvivalRate& survival);
// The same for a loaded population of the region on the as-of date (employment from it, or
// `employment` when already computed for it).
base::Result<std::vector<TargetProgress>> ComputeTargetProgress(
    storage::Database& db, const Population& population, const Figures& total,
    const ActivityRate& activity, const SurvivalRate& survival,
    const Employment* employment = nullptr);

// "1,000,000户", "70.0%", "暂无数据" — a target or an actual in its unit.
std::string FormatTargetValue(const TargetIndicator& indicator, std::optional<double> value);

// One clause for the report and the command line, e.g. "活跃度目标70.0%，实际55.3%（2025年活跃
// 度，暂定值），完成目标的79.0%，未达标，差14.7个百分点" or "新增首贷户目标8,000户，暂无数据（尚未
// 导入贷款数据）".
std::string DescribeTargetProgress(const TargetProgress& p);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_TARGETS_H_
