#include "analytics/indicators.h"

#include <algorithm>
#include <map>

#include "domain/industry.h"
#include "domain/region.h"
#include "engine/frame.h"
#include "storage/profile_query.h"
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

  // Tiers from the latest run on or before the date.
  std::vector<std::string> tier_of;  // by row of `now`
  if (by == Dimension::kTier) {
    storage::TierRepository repo(db);
    GETIHU_ASSIGN_OR_RETURN(std::vector<storage::TierRunRecord> runs, repo.ListRuns());
    for (const auto& r : runs) {  // newest first
      if (r.as_of <= as_of && std::string_view(region_prefix).starts_with(r.region_prefix)) {
        stats.tier_run = r.id;
        break;
      }
    }
    if (!stats.tier_run) {
      return base::FailedPrecondition("按类型统计需要先有基准日不晚于 " + as_of.ToString() +
                                      " 的分型批次（getihu tier run）");
    }
    tier_of.assign(now.size(), "untyped");
    const std::vector<int64_t>& ids = now.household_ids();
    size_t i = 0;
    const char* keys[] = {"untyped", "survival", "growth", "development"};
    GETIHU_RETURN_IF_ERROR(repo.ScanResults(*stats.tier_run, [&](const storage::TierResultRow& r) {
      while (i < ids.size() && ids[i] < r.household_id) ++i;
      if (i < ids.size() && ids[i] == r.household_id && r.outcome >= 0 && r.outcome < 4) {
        tier_of[i] = keys[r.outcome];
      }
      return base::OkStatus();
    }));
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
    auto add = [&](Figures& to) {
      to.stock += f.stock;
      to.suspended += f.suspended;
      to.online += f.online;
      to.stock_year_end += f.stock_year_end;
      to.stock_last_year += f.stock_last_year;
      to.new_registrations += f.new_registrations;
      to.new_last_year += f.new_last_year;
      to.exits += f.exits;
      to.exits_last_year += f.exits_last_year;
      to.conversions += f.conversions;
    };
    add(stats.total);
    if (by == Dimension::kTier) {
      add(groups[tier_of[row]]);
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
