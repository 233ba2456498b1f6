#include "analytics/indicators.h"

#include "analytics/figure_lanes.h"

#include <algorithm>
#include <array>
#include <bit>
#include <map>

#include "analytics/pool_image.h"
#include "base/memory.h"
#include "domain/industry.h"
#include "domain/region.h"
#include "storage/stats_settings_repository.h"
#include "storage/tier_repository.h"

namespace getihu::analytics {
namespace {

std::string NameOf(Dimension by, const std::string& code) {
  if (by == Dimension::kTownshipGroup) return code.empty() ? "（未分组）" : code;
  if (code.empty()) return "（未知）";
  switch (by) {
    case Dimension::kRegion:
    case Dimension::kTownship: {
      const domain::Region* r = domain::RegionTable::Builtin().Find(code);
      return r ? r->name : code;
    }
    case Dimension::kSection: {
      const domain::IndustrySection* s = domain::FindSection(code[0]);
      return s ? std::string(s->name) : code;
    }
    case Dimension::kDivision: {
      const domain::IndustryDivision* d = domain::FindDivision(std::stoi(code));
      return d ? std::string(d->name) : code;
    }
    case Dimension::kSector:
      return code == "1" ? "第一产业" : code == "2" ? "第二产业" : "第三产业";
    case Dimension::kTier:
      return code == "development" ? "发展型"
             : code == "growth"    ? "成长型"
             : code == "survival"  ? "生存型"
                                   : "未分型";
    default:
      return code;
  }
}

base::Date YearEnd(int year) { return *base::Date::FromYmd(year, 12, 31); }

}  // namespace

std::optional<Dimension> DimensionFromKey(std::string_view key) {
  if (key == "region") return Dimension::kRegion;
  if (key == "township") return Dimension::kTownship;
  if (key == "section") return Dimension::kSection;
  if (key == "sector") return Dimension::kSector;
  if (key == "tier") return Dimension::kTier;
  if (key == "township_group") return Dimension::kTownshipGroup;
  if (key == "division") return Dimension::kDivision;
  return std::nullopt;
}

std::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kRegion:
      return "区县";
    case Dimension::kTownship:
      return "乡镇（街道）";
    case Dimension::kSection:
      return "行业门类";
    case Dimension::kSector:
      return "三次产业";
    case Dimension::kTier:
      return "类型";
    case Dimension::kTownshipGroup:
      return "乡镇分组";
    case Dimension::kDivision:
      return "行业大类";
    default:
      return "";
  }
}

std::optional<double> GrowthPercent(int64_t now, int64_t base) {
  if (base == 0) return std::nullopt;
  return 100.0 * static_cast<double>(now - base) / static_cast<double>(base);
}

namespace {

void Add(Figures& to, const Figures& x) {
  to.stock += x.stock;
  to.suspended += x.suspended;
  to.online += x.online;
  to.stock_year_end += x.stock_year_end;
  to.stock_last_year += x.stock_last_year;
  to.new_registrations += x.new_registrations;
  to.new_last_year += x.new_last_year;
  to.exits += x.exits;
  to.exits_last_year += x.exits_last_year;
  to.conversions += x.conversions;
}

// Figures per group key (a dense id), with whether any household met the key.
struct Groups {
  std::vector<Figures> figures;
  std::vector<uint8_t> met;
  explicit Groups(size_t keys) : figures(keys), met(keys, 0) {}
  Figures& operator[](size_t key) {
    met[key] = 1;
    return figures[key];
  }
};

constexpr const char* kTierKeys[] = {"untyped", "survival", "growth", "development"};

// The group key of each household for `by` (not the tier) and the code of each key.
struct Keys {
  std::vector<std::string> codes;
  std::vector<uint32_t> of_township;  // kTownshipGroup: township id → key
};

Keys KeysOf(const Population& p, Dimension by, const StatsInputs& inputs) {
  Keys k;
  switch (by) {
    case Dimension::kRegion:
      k.codes = p.regions();
      break;
    case Dimension::kTownship:
      k.codes = p.townships();
      break;
    case Dimension::kSection:
      k.codes = p.sections();
      break;
    case Dimension::kDivision:
      // "" and "01" … "97": the key is the division's number.
      k.codes = {""};
      for (int d = 1; d <= 97; ++d) k.codes.push_back((d < 10 ? "0" : "") + std::to_string(d));
      break;
    case Dimension::kSector:
      k.codes = {"", "1", "2", "3"};
      break;
    case Dimension::kTier:
      k.codes.assign(std::begin(kTierKeys), std::end(kTierKeys));
      break;
    case Dimension::kTownshipGroup: {
      std::map<std::string, uint32_t> key_of{{"", 0}};
      k.codes = {""};
      for (const std::string& township : p.townships()) {
        auto it = inputs.township_group_of.find(township);
        const std::string& group = it == inputs.township_group_of.end() ? "" : it->second;
        auto [g, added] = key_of.try_emplace(group, static_cast<uint32_t>(k.codes.size()));
        if (added) k.codes.push_back(group);
        k.of_township.push_back(g->second);
      }
      break;
    }
    default:
      break;
  }
  return k;
}

uint32_t KeyOf(const Population& p, Dimension by, const Keys& keys, size_t row) {
  switch (by) {
    case Dimension::kRegion:
      return p.region(row);
    case Dimension::kTownship:
      return p.township(row);
    case Dimension::kSection:
      return p.section(row);
    case Dimension::kSector:
      return p.sector(row);
    case Dimension::kDivision:
      return p.division(row);
    default:
      return keys.of_township[p.township(row)];
  }
}

// The comparison figures of a tier breakdown, grouped by the runs in force on their own dates.
constexpr uint16_t kYearEndBits = kBitStockYearEnd;
constexpr uint16_t kLastYearBits = kBitStockLastYear | kBitNewLastYear | kBitExitLastYear;

// Adds counts[k] (figure k, figure_lanes.h), those in `mask` only, to `to`.
void AddCounts(Figures& to, const uint32_t* c, uint16_t mask = 0xffff) {
  auto in = [&](int k) { return (mask >> k) & 1 ? int64_t{c[k]} : 0; };
  to.stock += in(0);
  to.suspended += in(1);
  to.online += in(2);
  to.stock_year_end += in(3);
  to.stock_last_year += in(4);
  to.new_registrations += in(5);
  to.new_last_year += in(6);
  to.exits += in(7);
  to.exits_last_year += in(8);
  to.conversions += in(9);
}

// Counts every household into the total and, unless `by` is kNone, its groups (a group with
// households is listed even when none of them counts in any figure).
void CountAll(const Population& p, Dimension by, const StatsInputs& inputs, const Keys& keys,
              Figures& total, Groups& groups) {
  const uint16_t* bits = p.figure_bits().data();
  const size_t n = p.size();
  uint32_t all[kFigureBits] = {};
  lanes::CountFigures(bits, 0, n, all);
  AddCounts(total, all);
  switch (by) {
    case Dimension::kNone:
      return;
    case Dimension::kSector: {
      uint32_t c[4][kFigureBits] = {};
      uint64_t rows[4] = {};
      lanes::CountFiguresBy4(bits, p.sectors_by_row().data(), 0, n, c, rows);
      for (size_t k = 0; k < 4; ++k) {
        if (rows[k] != 0) AddCounts(groups[k], c[k]);
      }
      return;
    }
    case Dimension::kDivision: {
      // Divisions change within a run of one section: counted row by row, each row's figures
      // from its bits.
      std::vector<std::array<uint32_t, kFigureBits>> c(keys.codes.size());
      std::vector<uint64_t> rows(keys.codes.size(), 0);
      const uint8_t* division = p.divisions_by_row().data();
      for (size_t r = 0; r < n; ++r) {
        const uint8_t d = division[r] < keys.codes.size() ? division[r] : 0;
        ++rows[d];
        for (uint16_t b = bits[r]; b != 0; b &= static_cast<uint16_t>(b - 1)) {
          ++c[d][static_cast<size_t>(std::countr_zero(b))];
        }
      }
      for (size_t k = 0; k < keys.codes.size(); ++k) {
        if (rows[k] != 0) AddCounts(groups[k], c[k].data());
      }
      return;
    }
    case Dimension::kTier: {
      // Each comparison figure in the group of the run in force on its own date; none without
      // such a run.
      uint32_t now[4][kFigureBits] = {}, year_end[4][kFigureBits] = {},
               last_year[4][kFigureBits] = {};
      uint64_t now_rows[4] = {}, year_end_rows[4] = {}, last_year_rows[4] = {};
      lanes::CountFiguresBy4(bits, inputs.tier.data(), 0, inputs.tier.size(), now, now_rows);
      lanes::CountFiguresBy4(bits, inputs.tier_year_end.data(), 0, inputs.tier_year_end.size(),
                             year_end, year_end_rows);
      lanes::CountFiguresBy4(bits, inputs.tier_last_year.data(), 0, inputs.tier_last_year.size(),
                             last_year, last_year_rows);
      for (size_t k = 0; k < 4; ++k) {
        if (now_rows[k] != 0) AddCounts(groups[k], now[k], ~(kYearEndBits | kLastYearBits));
        if (year_end_rows[k] != 0) AddCounts(groups[k], year_end[k], kYearEndBits);
        if (last_year_rows[k] != 0) AddCounts(groups[k], last_year[k], kLastYearBits);
      }
      return;
    }
    default:
      break;
  }
  // The other keys follow the area or the section: constant over a run of rows.
  const std::vector<uint32_t>& run_begin = p.run_begin();
  const std::vector<uint32_t>& counted_end = p.run_counted_end();
  for (size_t run = 0; run + 1 < run_begin.size(); ++run) {
    uint32_t c[kFigureBits] = {};
    lanes::CountFigures(bits, run_begin[run], counted_end[run], c);
    AddCounts(groups[KeyOf(p, by, keys, run_begin[run])], c);
  }
}

std::string RegionName(std::string_view region_prefix) {
  if (region_prefix.empty()) return "全部";
  std::string code(region_prefix);
  code.resize(6, '0');
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  return r ? r->name : std::string(region_prefix);
}

}  // namespace

base::Result<std::vector<uint8_t>> LoadRunOutcomes(storage::Database& db, int64_t run,
                                                   const Population& population) {
  storage::TierRepository repo(db);
  const std::vector<int64_t>& ids = population.ids();
  const std::vector<uint32_t>& rows = population.rows_by_id();
  std::vector<uint8_t> out;
  base::ResizeColumn(out, ids.size());
  std::fill(out.begin(), out.end(), kNotInRun);
  size_t i = 0;
  auto take = [&](int64_t household_id, int outcome) {
    while (i < ids.size() && ids[i] < household_id) ++i;
    if (i < ids.size() && ids[i] == household_id && outcome >= 0 && outcome < 4) {
      out[rows[i]] = static_cast<uint8_t>(outcome);
    }
    return base::OkStatus();
  };
  if (!population.image().dir.empty()) {
    // The whole run from its image (pool_image.h).
    GETIHU_ASSIGN_OR_RETURN(RunOutcomeImage image, ImagedRunOutcomes(db, population.image(), run));
    for (size_t k = 0; k < image.ids.size(); ++k) {
      GETIHU_RETURN_IF_ERROR(take(image.ids[k], image.outcomes[k]));
    }
    return out;
  }
  // A population far smaller than the run (a district of a province's pool) looks its
  // households up on SQLite instead of reading the whole run: a lookup costs about as much as
  // reading 60 results in a row (6 µs and 0.1 µs at a million households).
  if (db.dialect() == storage::Dialect::kSqlite) {
    GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierRunRecord> record, repo.GetRun(run));
    if (record && static_cast<int64_t>(ids.size()) * 64 < record->households) {
      GETIHU_RETURN_IF_ERROR(repo.FindOutcomes(run, ids, take));
      return out;
    }
  }
  GETIHU_RETURN_IF_ERROR(repo.ScanOutcomes(run, take));
  return out;
}

std::vector<uint8_t> TierOutcomesOf(std::vector<uint8_t> run_outcomes) {
  for (uint8_t& o : run_outcomes) {
    if (o == kNotInRun) o = storage::kOutcomeUntyped;
  }
  return run_outcomes;
}

base::Result<std::vector<uint8_t>> LoadTierOutcomes(storage::Database& db, int64_t run,
                                                    const Population& population) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> outcomes, LoadRunOutcomes(db, run, population));
  return TierOutcomesOf(std::move(outcomes));
}

base::Result<StatsInputs> LoadStatsInputs(storage::Database& db, const Population& population,
                                          std::span<const Dimension> dimensions,
                                          const TierOutcomesFn& tier_outcomes) {
  StatsInputs in;
  auto wants = [&](Dimension d) {
    return std::find(dimensions.begin(), dimensions.end(), d) != dimensions.end();
  };
  const base::Date as_of = population.as_of();
  const std::string_view region_prefix = population.region_prefix();
  if (wants(Dimension::kTier)) {
    // Tiers from the run in force on each date compared: the latest run on or before the
    // as-of date for the current figures, and the runs in force at the end of the previous
    // year and a year earlier for the comparison figures (so that 同比 compares like with
    // like).
    storage::TierRepository repo(db);
    GETIHU_ASSIGN_OR_RETURN(std::vector<storage::TierRunRecord> runs, repo.ListRuns());
    auto in_force = [&](base::Date date) -> std::optional<int64_t> {
      for (const auto& r : runs) {  // newest first
        if (r.as_of <= date && region_prefix.starts_with(r.region_prefix)) return r.id;
      }
      return std::nullopt;
    };
    in.tier_run = in_force(as_of);
    if (!in.tier_run) {
      return base::FailedPrecondition("按类型统计需要先有基准日不晚于 " + as_of.ToString() +
                                      " 的分型批次（getihu tier run）");
    }
    in.tier_run_year_end = in_force(YearEnd(as_of.year() - 1));
    in.tier_run_last_year = in_force(as_of.AddYears(-1));
    auto outcomes = [&](int64_t run) {
      return tier_outcomes ? tier_outcomes(run) : LoadTierOutcomes(db, run, population);
    };
    GETIHU_ASSIGN_OR_RETURN(in.tier, outcomes(*in.tier_run));
    if (in.tier_run_year_end) {
      GETIHU_ASSIGN_OR_RETURN(in.tier_year_end, outcomes(*in.tier_run_year_end));
    }
    if (in.tier_run_last_year) {
      GETIHU_ASSIGN_OR_RETURN(in.tier_last_year, outcomes(*in.tier_run_last_year));
    }
  }
  if (wants(Dimension::kTownshipGroup)) {
    GETIHU_ASSIGN_OR_RETURN(in.township_group_of,
                            storage::StatsSettingsRepository(db).TownshipGroupMap(region_prefix));
  }
  return in;
}

Stats ComputeStats(const Population& population, Dimension by, const StatsInputs& inputs) {
  Stats stats;
  stats.as_of = population.as_of();
  stats.region_prefix = population.region_prefix();
  stats.region_name = RegionName(population.region_prefix());
  stats.by = by;
  if (by == Dimension::kTier) {
    stats.tier_run = inputs.tier_run;
    stats.tier_run_year_end = inputs.tier_run_year_end;
    stats.tier_run_last_year = inputs.tier_run_last_year;
  }
  const Keys keys = KeysOf(population, by, inputs);
  Groups groups(keys.codes.size());
  CountAll(population, by, inputs, keys, stats.total, groups);
  // By code (keys of one code, e.g. townships of one group, merged), then by stock.
  std::map<std::string, Figures> by_code;
  for (size_t k = 0; k < keys.codes.size(); ++k) {
    if (groups.met[k]) Add(by_code[keys.codes[k]], groups.figures[k]);
  }
  for (auto& [code, f] : by_code) {
    GroupFigures g;
    g.code = code;
    g.name = NameOf(by, code);
    g.figures = f;
    g.stock_share = stats.total.stock ? 100.0 * static_cast<double>(f.stock) /
                                            static_cast<double>(stats.total.stock)
                                      : 0.0;
    stats.groups.push_back(std::move(g));
  }
  std::stable_sort(stats.groups.begin(), stats.groups.end(),
                   [](const auto& x, const auto& y) { return x.figures.stock > y.figures.stock; });
  return stats;
}
std::string TierComparisonNote(const Stats& stats) {
  if (stats.by != Dimension::kTier || !stats.tier_run) return "";
  auto run = [](int64_t id) { return "分型批次 " + std::to_string(id) + " "; };
  std::string s = "类型按" + run(*stats.tier_run) + "统计；";
  s += stats.tier_run_year_end ? "比上年末按上年末有效的" + run(*stats.tier_run_year_end) + "分组"
                               : "上年末尚无分型批次，不计算各类型比上年末的增速";
  s += "；";
  s += stats.tier_run_last_year ? "同比按去年同日有效的" + run(*stats.tier_run_last_year) + "分组"
                                : "去年同日尚无分型批次，不计算各类型的同比";
  return s + "。";
}

base::Result<Stats> ComputeStats(storage::Database& db, std::string_view region_prefix,
                                 base::Date as_of, Dimension by) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<Stats> stats,
                          ComputeStatsBy(db, region_prefix, as_of, std::span(&by, 1)));
  return std::move(stats.front());
}

base::Result<Stats> ComputeStats(storage::Database& db, const Population& population, Dimension by,
                                 const TierOutcomesFn& tier_outcomes) {
  GETIHU_ASSIGN_OR_RETURN(StatsInputs inputs,
                          LoadStatsInputs(db, population, std::span(&by, 1), tier_outcomes));
  return ComputeStats(population, by, inputs);
}

base::Result<std::vector<Stats>> ComputeStatsBy(storage::Database& db,
                                                std::string_view region_prefix, base::Date as_of,
                                                std::span<const Dimension> dimensions) {
  GETIHU_ASSIGN_OR_RETURN(Population population, Population::Load(db, region_prefix, as_of));
  GETIHU_ASSIGN_OR_RETURN(StatsInputs inputs, LoadStatsInputs(db, population, dimensions));
  std::vector<Stats> out;
  for (Dimension d : dimensions) out.push_back(ComputeStats(population, d, inputs));
  return out;
}

}  // namespace getihu::analytics
