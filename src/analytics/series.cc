#include "analytics/series.h"

#include <algorithm>
#include <span>
#include <string>
#include <thread>

#include "base/date.h"

namespace getihu::analytics {
namespace {

// Per date (ascending, in days since the epoch): the households registered by then, those in
// stock on it, and those exited on it that had not exited on the date before (the first date's
// exits are not counted).
struct Counts {
  std::vector<int64_t> registered, stock, new_exits;
};

// A household's status is constant between two of its changes, so each change holds over a
// range of date indices (those on or after its day and its registration, before the next
// change's day): the counts add per range instead of per date, a few binary searches a
// household however many dates are asked.
struct RangeCounts {
  std::vector<int64_t> registered, stock;  // differences: +1 where a range starts, −1 after
  std::vector<int64_t> new_exits;
};

void CountRows(const Population& p, const std::vector<int32_t>& days, size_t begin, size_t end,
               RangeCounts& c) {
  const int32_t* first = days.data();
  const int32_t* last = first + days.size();
  const size_t n = days.size();
  auto index_of = [&](int32_t day) {  // the first date on or after `day`
    return static_cast<size_t>(std::lower_bound(first, last, day) - first);
  };
  for (size_t row = begin; row < end; ++row) {
    const size_t registered = index_of(p.registered_on(row).days_since_epoch());
    ++c.registered[registered];
    const std::span<const int32_t> change_days = p.change_days(row);
    const std::span<const StatusClass> classes = p.change_classes(row);
    // The status on the date before the range (ranges after the first are contiguous).
    StatusClass before = StatusClass::kNone;
    for (size_t i = 0; i < classes.size(); ++i) {
      const size_t lo = std::max(registered, index_of(change_days[i]));
      const size_t hi =
          i + 1 < classes.size() ? std::max(registered, index_of(change_days[i + 1])) : n;
      if (lo >= hi) continue;  // replaced before any date sees it
      if (InStock(classes[i])) {
        ++c.stock[lo];
        --c.stock[hi];
      }
      if (classes[i] == StatusClass::kExit && lo > 0 && before != StatusClass::kExit) {
        ++c.new_exits[lo];
      }
      before = classes[i];
    }
  }
}

Counts CountOn(const Population& p, const std::vector<int32_t>& days) {
  const size_t n = days.size();
  // Parts of the rows at once, one a core: a province's 28 million households take about a
  // second on one.
  const size_t threads =
      p.size() < 10'000 ? 1 : std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::vector<RangeCounts> parts(threads);
  for (RangeCounts& part : parts) {
    part.registered.assign(n + 1, 0);
    part.stock.assign(n + 1, 0);
    part.new_exits.assign(n + 1, 0);
  }
  {
    std::vector<std::jthread> workers;
    for (size_t t = 1; t < threads; ++t) {
      workers.emplace_back([&, t] {
        CountRows(p, days, p.size() * t / threads, p.size() * (t + 1) / threads, parts[t]);
      });
    }
    CountRows(p, days, 0, p.size() / threads, parts[0]);
  }
  Counts c;
  c.registered.assign(n, 0);
  c.stock.assign(n, 0);
  c.new_exits.assign(n, 0);
  for (const RangeCounts& part : parts) {
    int64_t registered = 0, stock = 0;
    for (size_t k = 0; k < n; ++k) {
      registered += part.registered[k];
      stock += part.stock[k];
      c.registered[k] += registered;
      c.stock[k] += stock;
      c.new_exits[k] += part.new_exits[k];
    }
  }
  return c;
}

base::Status CheckYears(int first_year, int last_year) {
  if (first_year > last_year) {
    return base::InvalidArgument("起始年份晚于结束年份：" + std::to_string(first_year) + " > " +
                                 std::to_string(last_year));
  }
  GETIHU_RETURN_IF_ERROR(base::Date::FromYmd(first_year - 2, 1, 1).status());
  return base::Date::FromYmd(last_year, 12, 31).status();
}

base::Date YearEnd(int year) { return *base::Date::FromYmd(year, 12, 31); }

}  // namespace

base::Result<std::vector<YearFlows>> ComputeYearlyFlows(const Population& population,
                                                        int first_year, int last_year) {
  GETIHU_RETURN_IF_ERROR(CheckYears(first_year, last_year));
  std::vector<int32_t> ends;  // ends[i] is the end of first_year − 2 + i
  for (int year = first_year - 2; year <= last_year; ++year) {
    ends.push_back(YearEnd(year).days_since_epoch());
  }
  // A year's new registrations: registered by its end and not by the end of the year before.
  Counts c = CountOn(population, ends);
  std::vector<YearFlows> flows;
  for (int year = first_year; year <= last_year; ++year) {
    size_t i = static_cast<size_t>(year - first_year + 2);
    YearFlows f;
    f.year = year;
    f.new_registrations = c.registered[i] - c.registered[i - 1];
    f.new_previous = c.registered[i - 1] - c.registered[i - 2];
    f.exits = c.new_exits[i];
    f.exits_previous = c.new_exits[i - 1];
    f.stock = c.stock[i];
    flows.push_back(f);
  }
  return flows;
}

base::Result<std::vector<YearFlows>> ComputeYearlyFlows(storage::Database& db,
                                                        std::string_view region_prefix,
                                                        int first_year, int last_year) {
  GETIHU_RETURN_IF_ERROR(CheckYears(first_year, last_year));
  GETIHU_ASSIGN_OR_RETURN(Population population,
                          Population::Load(db, region_prefix, YearEnd(last_year)));
  return ComputeYearlyFlows(population, first_year, last_year);
}

base::Result<std::vector<MonthFlows>> ComputeMonthlyFlows(const Population& population,
                                                          int months) {
  if (months < 1 || months > 120) {
    return base::InvalidArgument("月份数应在 1 至 120 之间：" + std::to_string(months));
  }
  const base::Date as_of = population.as_of();
  // The month `months − 1` before the as-of month, as a count of months since year 0.
  int first = as_of.year() * 12 + (as_of.month() - 1) - (months - 1);
  GETIHU_ASSIGN_OR_RETURN(base::Date first_day, base::Date::FromYmd(first / 12, first % 12 + 1, 1));
  std::vector<MonthFlows> out;
  std::vector<int32_t> days = {first_day.AddDays(-1).days_since_epoch()};
  for (int i = 0; i < months; ++i) {
    MonthFlows f;
    f.year = (first + i) / 12;
    f.month = (first + i) % 12 + 1;
    GETIHU_ASSIGN_OR_RETURN(f.start, base::Date::FromYmd(f.year, f.month, 1));
    f.end = i + 1 == months ? as_of : f.start.AddMonths(1).AddDays(-1);
    days.push_back(f.end.days_since_epoch());
    out.push_back(f);
  }
  Counts c = CountOn(population, days);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].new_registrations = c.registered[i + 1] - c.registered[i];
    out[i].exits = c.new_exits[i + 1];
    out[i].stock = c.stock[i + 1];
  }
  return out;
}

base::Result<std::vector<MonthFlows>> ComputeMonthlyFlows(storage::Database& db,
                                                          std::string_view region_prefix,
                                                          base::Date as_of, int months) {
  if (months < 1 || months > 120) {
    return base::InvalidArgument("月份数应在 1 至 120 之间：" + std::to_string(months));
  }
  GETIHU_ASSIGN_OR_RETURN(Population population, Population::Load(db, region_prefix, as_of));
  return ComputeMonthlyFlows(population, months);
}

}  // namespace getihu::analytics
