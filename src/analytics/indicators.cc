#include "analytics/indicators.h"

#include <algorithm>
#include <map>

#include "domain/industry.h"
#include "domain/region.h"
#include "engine/frame.h"
#include "storage/profile_query.h"
#include "storage/stats_settings_repository.h"
#include "storage/tier_repository.h"

namespace getihu::analytics {
namespace {

// What a household's status on a date means for the counts.
enum Category : uint8_t { kActive, kSuspended, kExit, kConverted, kOther };

const std::vector<std::string> kFields = {
    "status", "region", "township", "section", "sector", "online", "registered_before_year"};

base::Result<engine::Frame> FrameAt(storage::Database& db, std::string_view region,
                                    base::Date date) {
  engine::FrameBuilder builder;
  GETIHU_RETURN_IF_ERROR(storage::ScanProfiles(
      db, region, date,
      [&](const domain::HouseholdProfile& p) {
        builder.Append(p);
        return base::OkStatus();
      },
      kFields));
  return builder.Finish();
}

// One frame read alongside the frame of the as-of date (whose households include its own).
class Aligned {
 public:
  explicit Aligned(const engine::Frame& f) : f_(f), status_(f.Find("status")) {
    for (const std::string& code : status_->dictionary) {
      categories_.push_back(code == "active"                              ? kActive
                            : code == "suspended"                         ? kSuspended
                            : code == "deregistered" || code == "revoked" ? kExit
                            : code == "converted"                         ? kConverted
                                                                          : kOther);
    }
  }
  // The row of household `id`, or -1; ids must be asked for in increasing order.
  int64_t Seek(int64_t id) {
    const std::vector<int64_t>& ids = f_.household_ids();
    while (next_ < ids.size() && ids[next_] < id) ++next_;
    return next_ < ids.size() && ids[next_] == id ? static_cast<int64_t>(next_) : -1;
  }
  Category CategoryAt(int64_t row) const {
    if (row < 0) return kOther;
    return categories_[static_cast<size_t>(status_->ints.Get(static_cast<size_t>(row)))];
  }
  bool Bit(std::string_view field, int64_t row) const {
    const engine::Column* c = f_.Find(field);
    return row >= 0 && engine::TestBit(c->bits, static_cast<size_t>(row));
  }
  static bool InStock(Category c) { return c == kActive || c == kSuspended; }

 private:
  const engine::Frame& f_;
  const engine::Column* status_;
  std::vector<Category> categories_;
  size_t next_ = 0;
};

std::string CodeOf(const engine::Frame& f, std::string_view field, size_t row) {
  const engine::Column* c = f.Find(field);
  if (!c->IsKnown(row)) return "";
  if (c->field->type == domain::ProfileType::kInt) return std::to_string(c->ints.Get(row));
  return c->dictionary[static_cast<size_t>(c->ints.Get(row))];
}

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
    default:
      return "";
  }
}

std::optional<double> GrowthPercent(int64_t now, int64_t base) {
  if (base == 0) return std::nullopt;
  return 100.0 * static_cast<double>(now - base) / static_cast<double>(base);
}

namespace {

// The frames of the four dates a Stats compares.
struct Frames {
  engine::Frame now, year_end, then, then_year_end;
};

base::Result<Frames> LoadFrames(storage::Database& db, std::string_view region_prefix,
                                base::Date as_of) {
  base::Date last_year = as_of.AddYears(-1);
  Frames f;
  GETIHU_ASSIGN_OR_RETURN(f.now, FrameAt(db, region_prefix, as_of));
  GETIHU_ASSIGN_OR_RETURN(f.year_end, FrameAt(db, region_prefix, YearEnd(as_of.year() - 1)));
  GETIHU_ASSIGN_OR_RETURN(f.then, FrameAt(db, region_prefix, last_year));
  GETIHU_ASSIGN_OR_RETURN(f.then_year_end,
                          FrameAt(db, region_prefix, YearEnd(last_year.year() - 1)));
  return f;
}

base::Result<Stats> StatsFrom(storage::Database& db, std::string_view region_prefix,
                              base::Date as_of, Dimension by, const Frames& frames) {
  Stats stats;
  stats.as_of = as_of;
  stats.region_prefix = std::string(region_prefix);
  stats.by = by;
  const engine::Frame& now = frames.now;
  const engine::Frame& year_end = frames.year_end;
  const engine::Frame& then = frames.then;
  const engine::Frame& then_year_end = frames.then_year_end;

  // Tiers from the run in force on each date compared: the latest run on or before the as-of
  // date for the current figures, and the runs in force at the end of the previous year and a
  // year earlier for the comparison figures (so that 同比 compares like with like).
  std::vector<std::string> tier_of, tier_year_end, tier_last_year;  // by row of `now`
  if (by == Dimension::kTier) {
    storage::TierRepository repo(db);
    GETIHU_ASSIGN_OR_RETURN(std::vector<storage::TierRunRecord> runs, repo.ListRuns());
    auto in_force = [&](base::Date date) -> std::optional<int64_t> {
      for (const auto& r : runs) {  // newest first
        if (r.as_of <= date && std::string_view(region_prefix).starts_with(r.region_prefix)) {
          return r.id;
        }
      }
      return std::nullopt;
    };
    stats.tier_run = in_force(as_of);
    if (!stats.tier_run) {
      return base::FailedPrecondition("按类型统计需要先有基准日不晚于 " + as_of.ToString() +
                                      " 的分型批次（getihu tier run）");
    }
    stats.tier_run_year_end = in_force(YearEnd(as_of.year() - 1));
    stats.tier_run_last_year = in_force(as_of.AddYears(-1));
    const std::vector<int64_t>& ids = now.household_ids();
    auto tiers_in = [&](int64_t run, std::vector<std::string>& out) -> base::Status {
      out.assign(now.size(), "untyped");
      size_t i = 0;
      const char* keys[] = {"untyped", "survival", "growth", "development"};
      return repo.ScanResults(run, [&](const storage::TierResultRow& r) {
        while (i < ids.size() && ids[i] < r.household_id) ++i;
        if (i < ids.size() && ids[i] == r.household_id && r.outcome >= 0 && r.outcome < 4) {
          out[i] = keys[r.outcome];
        }
        return base::OkStatus();
      });
    };
    GETIHU_RETURN_IF_ERROR(tiers_in(*stats.tier_run, tier_of));
    if (stats.tier_run_year_end) {
      GETIHU_RETURN_IF_ERROR(tiers_in(*stats.tier_run_year_end, tier_year_end));
    }
    if (stats.tier_run_last_year) {
      GETIHU_RETURN_IF_ERROR(tiers_in(*stats.tier_run_last_year, tier_last_year));
    }
  }

  // Township groups: township code → group name.
  std::map<std::string, std::string> group_of;
  if (by == Dimension::kTownshipGroup) {
    GETIHU_ASSIGN_OR_RETURN(group_of,
                            storage::StatsSettingsRepository(db).TownshipGroupMap(region_prefix));
  }

  Aligned a(now), e(year_end), l(then), e2(then_year_end);
  std::map<std::string, Figures> groups;
  const char* field = by == Dimension::kRegion     ? "region"
                      : by == Dimension::kTownship ? "township"
                      : by == Dimension::kSection  ? "section"
                                                   : "sector";
  for (size_t row = 0; row < now.size(); ++row) {
    int64_t id = now.household_ids()[row];
    auto r = static_cast<int64_t>(row);
    int64_t re = e.Seek(id), rl = l.Seek(id), r2 = e2.Seek(id);
    Category ca = a.CategoryAt(r), ce = e.CategoryAt(re), cl = l.CategoryAt(rl),
             c2 = e2.CategoryAt(r2);
    Figures f;
    f.stock = Aligned::InStock(ca);
    f.suspended = ca == kSuspended;
    f.online = f.stock && a.Bit("online", r);
    f.stock_year_end = Aligned::InStock(ce);
    f.stock_last_year = Aligned::InStock(cl);
    f.new_registrations = !a.Bit("registered_before_year", r);
    f.new_last_year = rl >= 0 && !l.Bit("registered_before_year", rl);
    f.exits = ca == kExit && ce != kExit;
    f.exits_last_year = cl == kExit && c2 != kExit;
    f.conversions = ca == kConverted && ce != kConverted;
    auto add_to = [](Figures& to, const Figures& x) {
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
    };
    auto add = [&](Figures& to) { add_to(to, f); };
    add(stats.total);
    if (by == Dimension::kTier) {
      // Each comparison figure in the group of the run in force on its own date; none without
      // such a run.
      Figures current = f;
      current.stock_year_end = current.stock_last_year = 0;
      current.new_last_year = current.exits_last_year = 0;
      add_to(groups[tier_of[row]], current);
      if (!tier_year_end.empty()) groups[tier_year_end[row]].stock_year_end += f.stock_year_end;
      if (!tier_last_year.empty()) {
        Figures& g = groups[tier_last_year[row]];
        g.stock_last_year += f.stock_last_year;
        g.new_last_year += f.new_last_year;
        g.exits_last_year += f.exits_last_year;
      }
    } else if (by == Dimension::kTownshipGroup) {
      auto it = group_of.find(CodeOf(now, "township", row));
      add(groups[it == group_of.end() ? std::string() : it->second]);
    } else if (by != Dimension::kNone) {
      add(groups[CodeOf(now, field, row)]);
    }
  }
  for (auto& [code, f] : groups) {
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
  if (region_prefix.empty()) {
    stats.region_name = "全部";
  } else {
    std::string code(region_prefix);
    code.resize(6, '0');
    const domain::Region* r = domain::RegionTable::Builtin().Find(code);
    stats.region_name = r ? r->name : std::string(region_prefix);
  }
  return stats;
}

}  // namespace

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
  GETIHU_ASSIGN_OR_RETURN(Frames frames, LoadFrames(db, region_prefix, as_of));
  return StatsFrom(db, region_prefix, as_of, by, frames);
}

base::Result<std::vector<Stats>> ComputeStatsBy(storage::Database& db,
                                                std::string_view region_prefix, base::Date as_of,
                                                std::span<const Dimension> dimensions) {
  GETIHU_ASSIGN_OR_RETURN(Frames frames, LoadFrames(db, region_prefix, as_of));
  std::vector<Stats> out;
  for (Dimension d : dimensions) {
    GETIHU_ASSIGN_OR_RETURN(Stats s, StatsFrom(db, region_prefix, as_of, d, frames));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace getihu::analytics
