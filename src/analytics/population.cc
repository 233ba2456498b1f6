#include "analytics/population.h"

#include "analytics/population_staging.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "analytics/pool_image.h"
#include "base/memory.h"
#include "domain/industry.h"
#include "storage/batch_repository.h"
#include "storage/population_query.h"
#include "storage/region_range.h"

namespace getihu::analytics {
namespace {

// A code of up to nine digits ("" included) as a number below 2^31, distinct for each code
// (10^length + value); nullopt for any other text.
std::optional<uint64_t> PackedCode(std::string_view code) {
  if (code.size() > 9) return std::nullopt;
  uint64_t value = 0, scale = 1;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
    scale *= 10;
  }
  return scale + value;
}

StatusClass ClassOf(std::string_view status) {
  if (status == "active") return StatusClass::kActive;
  if (status == "suspended") return StatusClass::kSuspended;
  if (status == "deregistered" || status == "revoked") return StatusClass::kExit;
  if (status == "converted") return StatusClass::kConverted;
  return StatusClass::kNone;
}

// Gathers out[new_row] = in[old_row[new_row]].
template <typename T>
std::vector<T> Gather(const std::vector<T>& in, const std::vector<uint32_t>& old_row) {
  std::vector<T> out;
  base::ResizeColumn(out, old_row.size());
  for (size_t r = 0; r < old_row.size(); ++r) out[r] = in[old_row[r]];
  return out;
}

// The dates a population's FigureBits compare: its own date, the end of the previous year,
// the same date a year earlier and the end of the year before that; and the starts of the two
// years.
struct FigureDates {
  int32_t days[4];
  int32_t year_start, last_year_start;

  explicit FigureDates(base::Date as_of) {
    const base::Date last_year = as_of.AddYears(-1);
    days[0] = as_of.days_since_epoch();
    days[1] = base::Date::FromYmd(as_of.year() - 1, 12, 31)->days_since_epoch();
    days[2] = last_year.days_since_epoch();
    days[3] = base::Date::FromYmd(last_year.year() - 1, 12, 31)->days_since_epoch();
    year_start = base::Date::FromYmd(as_of.year(), 1, 1)->days_since_epoch();
    last_year_start = base::Date::FromYmd(last_year.year(), 1, 1)->days_since_epoch();
  }
};

// The FigureBits of a household registered on `registered` with changes [first, last) of
// `day` and `cls` (in the order they apply).
uint16_t FigureBitsOf(const FigureDates& d, int32_t registered, bool online, const int32_t* day,
                      const StatusClass* cls, uint32_t first, uint32_t last) {
  StatusClass s[4] = {StatusClass::kNone, StatusClass::kNone, StatusClass::kNone,
                      StatusClass::kNone};
  for (uint32_t c = first; c < last; ++c) {
    for (int k = 0; k < 4; ++k) {
      if (day[c] <= d.days[k]) s[k] = cls[c];
    }
  }
  for (int k = 0; k < 4; ++k) {
    if (registered > d.days[k]) s[k] = StatusClass::kNone;
  }
  auto bit = [](bool on, uint16_t b) { return on ? b : uint16_t{0}; };
  const bool stock = InStock(s[0]);
  return static_cast<uint16_t>(
      bit(stock, kBitStock) | bit(s[0] == StatusClass::kSuspended, kBitSuspended) |
      bit(stock && online, kBitOnline) | bit(InStock(s[1]), kBitStockYearEnd) |
      bit(InStock(s[2]), kBitStockLastYear) | bit(registered >= d.year_start, kBitNew) |
      bit(registered >= d.last_year_start && registered <= d.days[2], kBitNewLastYear) |
      bit(s[0] == StatusClass::kExit && s[1] != StatusClass::kExit, kBitExit) |
      bit(s[2] == StatusClass::kExit && s[3] != StatusClass::kExit, kBitExitLastYear) |
      bit(s[0] == StatusClass::kConverted && s[1] != StatusClass::kConverted, kBitConversion));
}

}  // namespace

namespace {

// Below this many rows Finish orders the population on one thread.
constexpr size_t kParallelRows = 100'000;

// The pool's revision read in a read transaction of `db` that stays open for the scan, so
// that two connections can tell whether they read the same pool.
base::Result<std::string> BeginSnapshot(storage::Database& db,
                                        std::optional<storage::Transaction>& read) {
  GETIHU_ASSIGN_OR_RETURN(storage::Transaction t, storage::Transaction::BeginRead(db));
  read.emplace(std::move(t));
  return storage::BatchRepository(db).PoolRevision();
}

}  // namespace

// Reads households of the region into `st` (those with ids in `ids` when given), with the
// section id, division and sector of each industry code met cached in `industries`.
base::Status Population::ScanInto(PopulationStaging& st, storage::Database& db,
                                  std::string_view region_prefix, base::Date as_of,
                                  std::optional<std::pair<int64_t, int64_t>> ids) {
  // The section id, division and sector of each industry code met (a few hundred codes).
  struct IndustryIds {
    uint8_t section = 0, division = 0, sector = 0;
  };
  TextMap<IndustryIds> industries;
  // The ids of each (region, township) pair met, by the pair's codes packed into one number:
  // households in id order change township from one to the next, and looking the two codes
  // up as texts took about a tenth of a province's read.
  struct AreaIds {
    uint32_t region, township, area;
  };
  std::unordered_map<uint64_t, AreaIds> area_ids;
  auto household = [&](const storage::PopulationHousehold& h) {
    if (!st.ids.empty()) st.change_begin.push_back(static_cast<uint32_t>(st.change_day.size()));
    st.ids.push_back(h.id);
    st.registered.push_back(h.registered_on.days_since_epoch());
    const std::optional<uint64_t> region_key = PackedCode(h.region_code);
    const std::optional<uint64_t> township_key = PackedCode(h.township_code);
    AreaIds ids;
    if (region_key && township_key) {
      auto [it, added] = area_ids.try_emplace(*region_key << 31 | *township_key);
      if (added) {
        it->second.region = st.regions.IdOf(h.region_code);
        it->second.township = st.townships.IdOf(h.township_code);
        it->second.area = st.AreaOf(it->second.region, it->second.township);
      }
      ids = it->second;
    } else {
      ids.region = st.regions.IdOf(h.region_code);
      ids.township = st.townships.IdOf(h.township_code);
      ids.area = st.AreaOf(ids.region, ids.township);
    }
    st.region.push_back(ids.region);
    st.township.push_back(ids.township);
    st.area.push_back(ids.area);
    st.online.push_back(h.online ? 1 : 0);
    auto it = industries.find(h.industry_code);
    if (it == industries.end()) {
      it = industries.emplace(std::string(h.industry_code), IndustryIds{}).first;
      if (auto info = domain::AnalyzeIndustry(h.industry_code); info.ok()) {
        it->second.section =
            static_cast<uint8_t>(st.sections.IdOf(std::string(1, info->section->letter)));
        // A section letter alone names no division.
        it->second.division =
            static_cast<uint8_t>(info->division != nullptr ? info->division->number : 0);
        it->second.sector = static_cast<uint8_t>(info->sector);
      }
    }
    st.section.push_back(it->second.section);
    st.division.push_back(it->second.division);
    st.sector.push_back(it->second.sector);
    return base::OkStatus();
  };
  auto change = [&](const storage::PopulationStatusChange& c) {
    st.change_day.push_back(c.effective_on.days_since_epoch());
    st.change_class.push_back(ClassOf(c.status));
    return base::OkStatus();
  };
  GETIHU_RETURN_IF_ERROR(storage::ScanPopulation(db, region_prefix, as_of, household, change, ids));
  if (!st.ids.empty()) st.change_begin.push_back(static_cast<uint32_t>(st.change_day.size()));
  return base::OkStatus();
}

base::Status Population::ReadStaging(PopulationStaging& st, storage::Database& db,
                                     std::string_view region_prefix, base::Date as_of,
                                     const LoadOptions& options, std::string* image_key) {
  // Room for every household up front when the pool tells how many there can be: growing the
  // columns a doubling at a time copied each of them about twice over.
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> hint,
                          storage::PopulationSizeHint(db, region_prefix));
  // A large pool is read in two halves of its ids at once, the upper one on a second
  // connection, when both read the same pool (the same revision in their snapshots; otherwise
  // an import committed between their starts, and one connection reads it all). On PostgreSQL
  // each half has its own server process.
  using IdRange = std::optional<std::pair<int64_t, int64_t>>;
  IdRange bounds;
  if (options.open_reader && !db.in_transaction()) {
    GETIHU_ASSIGN_OR_RETURN(bounds, storage::HouseholdIdBounds(db));
  }
  if (bounds && bounds->second - bounds->first + 1 >= options.split_households) {
    base::Result<std::unique_ptr<storage::Database>> reader = options.open_reader();
    if (reader.ok()) {
      std::optional<storage::Transaction> mine, theirs;
      GETIHU_ASSIGN_OR_RETURN(std::string revision, BeginSnapshot(db, mine));
      GETIHU_ASSIGN_OR_RETURN(std::string their_revision, BeginSnapshot(**reader, theirs));
      if (revision == their_revision) {
        if (image_key != nullptr) {
          GETIHU_ASSIGN_OR_RETURN(*image_key, PoolImageKey(db));
        }
        const int64_t mid = bounds->first + (bounds->second - bounds->first) / 2;
        PopulationStaging upper;
        if (hint) {
          st.Reserve(static_cast<size_t>(*hint));  // room for the upper half too
          upper.Reserve(static_cast<size_t>(*hint / 2 + 1));
        }
        base::Status upper_status;
        std::thread t([&] {
          upper_status =
              ScanInto(upper, **reader, region_prefix, as_of, std::pair(mid + 1, bounds->second));
        });
        base::Status lower_status =
            ScanInto(st, db, region_prefix, as_of, std::pair(bounds->first, mid));
        t.join();
        GETIHU_RETURN_IF_ERROR(lower_status);
        GETIHU_RETURN_IF_ERROR(upper_status);
        st.Append(upper);
        return base::OkStatus();
      }
    }
  }
  if (hint && *hint > 0) st.Reserve(static_cast<size_t>(*hint));
  // The image's key in the snapshot the scan reads.
  std::optional<storage::Transaction> read;
  if (image_key != nullptr) {
    GETIHU_ASSIGN_OR_RETURN(*image_key, BeginImageSnapshot(db, read));
  }
  return ScanInto(st, db, region_prefix, as_of, std::nullopt);
}

base::Result<std::optional<Population>> Population::ReadThroughImage(storage::Database& db,
                                                                     std::string_view region_prefix,
                                                                     base::Date as_of,
                                                                     const LoadOptions& options) {
  const PoolImageOptions& image = options.image;
  GETIHU_ASSIGN_OR_RETURN(storage::RegionRange range, storage::RegionRangeOf(region_prefix));
  {
    std::optional<storage::Transaction> read;
    GETIHU_ASSIGN_OR_RETURN(std::string key, BeginImageSnapshot(db, read));
    if (key.empty()) return std::nullopt;
    size_t image_rows = 0;
    base::Result<Population> selected =
        SelectFromPopulationImage(image, key, range, as_of, &image_rows);
    if (selected.ok()) {
      // The figures of a quarter of the pool or more read the pool's images too.
      if (4 * selected->size() >= image_rows) selected->image_ = image;
      return std::move(*selected);
    }
    if (selected.status().code() == base::StatusCode::kFailedPrecondition) return std::nullopt;
    // None yet, or a damaged one (written again below): made from a read of the whole pool
    // when this request would read most of it anyway.
    GETIHU_ASSIGN_OR_RETURN(auto bounds, storage::HouseholdIdBounds(db));
    if (!bounds || bounds->second - bounds->first + 1 < image.min_households) return std::nullopt;
    GETIHU_ASSIGN_OR_RETURN(bool region_dense, storage::RegionIsDense(db, range));
    if (!region_dense) return std::nullopt;
  }
  PopulationStaging all;
  std::string key;
  const base::Date latest = *base::Date::FromYmd(base::Date::kMaxYear, 12, 31);
  GETIHU_RETURN_IF_ERROR(ReadStaging(all, db, "", latest, options, &key));
  if (key.empty() || all.change_day.size() >= std::numeric_limits<uint32_t>::max() ||
      all.ids.size() >= std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;  // the pool is read for the region, failing there if it must
  }
  Population whole;
  whole.as_of_ = latest;
  whole.Finish(all, /*split_counted=*/false);
  (void)WritePopulationImage(image, key, whole);  // none written: the next request reads the pool
  GETIHU_ASSIGN_OR_RETURN(Population p, Select(whole.Columns(), range, as_of));
  p.image_ = image;
  return p;
}

base::Result<Population> Population::Load(storage::Database& db, std::string_view region_prefix,
                                          base::Date as_of, const LoadOptions& options) {
  if (!options.image.dir.empty()) {
    GETIHU_ASSIGN_OR_RETURN(std::optional<Population> p,
                            ReadThroughImage(db, region_prefix, as_of, options));
    if (p) {
      p->region_prefix_ = std::string(region_prefix);
      return std::move(*p);
    }
  }
  PopulationStaging st;
  GETIHU_RETURN_IF_ERROR(ReadStaging(st, db, region_prefix, as_of, options, nullptr));
  if (st.change_day.size() >= std::numeric_limits<uint32_t>::max() ||
      st.ids.size() >= std::numeric_limits<uint32_t>::max()) {
    return base::Internal("户数或状态变更记录过多，超出统计的容量");
  }
  Population p;
  p.region_prefix_ = std::string(region_prefix);
  p.as_of_ = as_of;
  p.Finish(st);
  return p;
}

void Population::Finish(PopulationStaging& st, bool split_counted) {
  const size_t n = st.ids.size();
  // Dictionaries in code order.
  std::vector<uint32_t> region_id = st.regions.Sort(regions_);
  std::vector<uint32_t> township_id = st.townships.Sort(townships_);
  std::vector<uint32_t> section_id = st.sections.Sort(sections_);
  for (size_t r = 0; r < n; ++r) {
    st.region[r] = region_id[st.region[r]];
    st.township[r] = township_id[st.township[r]];
    st.section[r] = static_cast<uint8_t>(section_id[st.section[r]]);
  }
  // Areas in code order: region, then township.
  std::vector<uint64_t> area_pairs;
  for (uint64_t a : st.areas) {
    area_pairs.push_back(uint64_t{region_id[a >> 32]} << 32 | township_id[a & 0xffffffff]);
  }
  std::vector<uint64_t> sorted = area_pairs;
  std::sort(sorted.begin(), sorted.end());
  std::vector<uint32_t> area_id(area_pairs.size());
  for (size_t a = 0; a < area_pairs.size(); ++a) {
    area_id[a] = static_cast<uint32_t>(
        std::lower_bound(sorted.begin(), sorted.end(), area_pairs[a]) - sorted.begin());
  }
  for (uint64_t a : sorted) {
    area_region_.push_back(static_cast<uint32_t>(a >> 32));
    area_township_.push_back(static_cast<uint32_t>(a));
  }
  std::vector<uint32_t>& area = st.area;
  for (size_t r = 0; r < n; ++r) area[r] = area_id[area[r]];
  // What each household counts for on the date, in the order read.
  const FigureDates dates(as_of_);
  std::vector<uint16_t> bits;
  base::ResizeColumn(bits, n);
  auto bits_of = [&](size_t from, size_t to) {
    for (size_t r = from; r < to; ++r) {
      bits[r] = FigureBitsOf(dates, st.registered[r], st.online[r] != 0, st.change_day.data(),
                             st.change_class.data(), st.change_begin[r], st.change_begin[r + 1]);
    }
  };
  if (n >= kParallelRows) {
    std::thread t(bits_of, n / 2, n);
    bits_of(0, n / 2);
    t.join();
  } else {
    bits_of(0, n);
  }
  // Rows by (area, section, counting in no figure), stably (ids ascending within): a counting
  // sort. A run of (area, section) starts with the rows that count.
  const size_t n_section = sections_.size();
  auto key = [&](size_t r) {
    return (size_t{area[r]} * n_section + st.section[r]) * 2 + (split_counted && bits[r] == 0);
  };
  std::vector<uint32_t> start(sorted.size() * n_section * 2 + 1, 0);
  for (size_t r = 0; r < n; ++r) ++start[key(r) + 1];
  for (size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
  for (size_t k = 0; k + 2 < start.size(); k += 2) {
    if (start[k + 2] > start[k]) {
      run_begin_.push_back(start[k]);
      run_counted_end_.push_back(start[k + 1]);
    }
  }
  run_begin_.push_back(static_cast<uint32_t>(n));
  std::vector<uint32_t> old_row;
  base::ResizeColumn(old_row, n);
  base::ResizeColumn(rows_by_id_, n);
  for (size_t r = 0; r < n; ++r) {
    uint32_t to = start[key(r)]++;
    old_row[to] = static_cast<uint32_t>(r);
    rows_by_id_[r] = to;
  }
  // The columns in the new row order, and each row's changes after those of the row before.
  // The reads are scattered, so the time is memory latency: two threads for a large
  // population.
  ids_ = std::move(st.ids);
  base::ResizeColumn(change_begin_, n + 1);
  change_begin_[0] = 0;
  for (size_t r = 0; r < n; ++r) {
    const uint32_t old = old_row[r];
    change_begin_[r + 1] = change_begin_[r] + (st.change_begin[old + 1] - st.change_begin[old]);
  }
  base::ResizeColumn(change_day_, change_begin_[n]);
  base::ResizeColumn(change_class_, change_begin_[n]);
  auto copy_changes = [&](size_t from, size_t to) {
    for (size_t r = from; r < to; ++r) {
      const uint32_t old = old_row[r];
      uint32_t out = change_begin_[r];
      for (uint32_t c = st.change_begin[old]; c < st.change_begin[old + 1]; ++c, ++out) {
        change_day_[out] = st.change_day[c];
        change_class_[out] = st.change_class[c];
      }
    }
  };
  auto first_half = [&] {
    registered_ = Gather(st.registered, old_row);
    region_ = Gather(st.region, old_row);
    township_ = Gather(st.township, old_row);
    copy_changes(0, n / 2);
  };
  auto second_half = [&] {
    area_ = Gather(area, old_row);
    section_ = Gather(st.section, old_row);
    figure_bits_ = Gather(bits, old_row);
    division_ = Gather(st.division, old_row);
    sector_ = Gather(st.sector, old_row);
    online_ = Gather(st.online, old_row);
    copy_changes(n / 2, n);
  };
  if (n >= kParallelRows) {
    std::thread t(second_half);
    first_half();
    t.join();
  } else {
    first_half();
    second_half();
  }
}

PopulationColumns Population::Columns() const {
  PopulationColumns c;
  c.regions = regions_;
  c.townships = townships_;
  c.sections = sections_;
  c.area_region = area_region_;
  c.area_township = area_township_;
  c.ids = ids_;
  c.rows_by_id = rows_by_id_;
  c.registered = registered_;
  c.area = area_;
  c.section = section_;
  c.division = division_;
  c.sector = sector_;
  c.online = online_;
  c.change_begin = change_begin_;
  c.change_day = change_day_;
  static_assert(sizeof(StatusClass) == 1);
  c.change_class = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(change_class_.data()),
                                            change_class_.size());
  return c;
}

base::Result<Population> Population::Select(const PopulationColumns& w,
                                            const storage::RegionRange& range, base::Date as_of) {
  const base::Status damaged = base::DataLoss("统计镜像已损坏");
  const size_t n = w.ids.size(), n_area = w.area_region.size(), n_section = w.sections.size();
  if (w.rows_by_id.size() != n || w.registered.size() != n || w.area.size() != n ||
      w.section.size() != n || w.division.size() != n || w.sector.size() != n ||
      w.online.size() != n || w.change_begin.size() != n + 1 ||
      w.change_day.size() != w.change_class.size() || w.change_begin[0] != 0 ||
      w.change_begin[n] != w.change_day.size() || w.area_township.size() != n_area ||
      w.regions.empty() || w.townships.empty() || w.sections.empty() || !w.regions[0].empty() ||
      !w.townships[0].empty() || !w.sections[0].empty() ||
      n >= std::numeric_limits<uint32_t>::max()) {
    return damaged;
  }
  std::vector<uint8_t> area_in(n_area);
  for (size_t a = 0; a < n_area; ++a) {
    if (w.area_region[a] >= w.regions.size() || w.area_township[a] >= w.townships.size()) {
      return damaged;
    }
    const std::string& code = w.regions[w.area_region[a]];
    area_in[a] = code >= range.low && code <= range.high;
  }
  // What each household of the selection counts for (bit 15 marking the selection), and the
  // households of each (area, section, counting in no figure): the counting sort of Finish,
  // whose order the image already has within each of them.
  const FigureDates dates(as_of);
  const int32_t day = as_of.days_since_epoch();
  constexpr uint16_t kSelected = 0x8000;
  static constexpr uint32_t kUnused = std::numeric_limits<uint32_t>::max();
  std::vector<uint16_t> mark;
  base::ResizeColumn(mark, n);
  std::vector<uint32_t> new_row;  // the row of each household selected, kUnused for the others
  base::ResizeColumn(new_row, n);
  std::vector<uint32_t> next(n_area * n_section * 2 + 1, 0);
  auto key = [&](uint32_t a, uint8_t s, uint16_t bits) {
    return (size_t{a} * n_section + s) * 2 + (bits == 0);
  };
  size_t rows = 0, changes = 0;
  const auto* classes = reinterpret_cast<const StatusClass*>(w.change_class.data());
  for (size_t r = 0; r < n; ++r) {
    const uint32_t a = w.area[r];
    if (a >= n_area || w.section[r] >= n_section) return damaged;
    if (!area_in[a] || w.registered[r] > day) {
      mark[r] = 0;
      new_row[r] = kUnused;
      continue;
    }
    const uint32_t first = w.change_begin[r], last = w.change_begin[r + 1];
    if (first > last || last > w.change_day.size()) return damaged;
    uint32_t by_date = first;
    for (; by_date < last && w.change_day[by_date] <= day; ++by_date) {
      if (w.change_class[by_date] > static_cast<uint8_t>(StatusClass::kConverted)) return damaged;
    }
    changes += by_date - first;
    const uint16_t bits = FigureBitsOf(dates, w.registered[r], w.online[r] != 0,
                                       w.change_day.data(), classes, first, by_date);
    mark[r] = bits | kSelected;
    ++next[key(a, w.section[r], bits) + 1];
    ++rows;
  }
  if (changes >= std::numeric_limits<uint32_t>::max()) return damaged;
  // The codes of the selection keep the image's order, with "" first as ever.
  std::vector<uint8_t> region_used(w.regions.size()), township_used(w.townships.size());
  std::vector<uint8_t> area_used(n_area), section_used(n_section);
  region_used[0] = township_used[0] = section_used[0] = 1;
  for (size_t a = 0; a < n_area; ++a) {
    for (size_t s = 0; s < n_section; ++s) {
      const size_t k = (a * n_section + s) * 2;
      if (next[k + 1] + next[k + 2] == 0) continue;
      area_used[a] = section_used[s] = 1;
      region_used[w.area_region[a]] = township_used[w.area_township[a]] = 1;
    }
  }
  Population p;
  p.as_of_ = as_of;
  auto renumber = [](const std::vector<std::string>& codes, const std::vector<uint8_t>& used,
                     std::vector<std::string>& kept) {
    std::vector<uint32_t> id(codes.size(), kUnused);
    for (size_t i = 0; i < codes.size(); ++i) {
      if (!used[i]) continue;
      id[i] = static_cast<uint32_t>(kept.size());
      kept.push_back(codes[i]);
    }
    return id;
  };
  const std::vector<uint32_t> region_id = renumber(w.regions, region_used, p.regions_);
  const std::vector<uint32_t> township_id = renumber(w.townships, township_used, p.townships_);
  const std::vector<uint32_t> section_id = renumber(w.sections, section_used, p.sections_);
  std::vector<uint32_t> area_id(n_area, kUnused);
  for (size_t a = 0; a < n_area; ++a) {
    if (!area_used[a]) continue;
    area_id[a] = static_cast<uint32_t>(p.area_region_.size());
    p.area_region_.push_back(region_id[w.area_region[a]]);
    p.area_township_.push_back(township_id[w.area_township[a]]);
  }
  for (size_t k = 1; k < next.size(); ++k) next[k] += next[k - 1];
  for (size_t k = 0; k + 2 < next.size(); k += 2) {
    if (next[k + 2] > next[k]) {
      p.run_begin_.push_back(next[k]);
      p.run_counted_end_.push_back(next[k + 1]);
    }
  }
  p.run_begin_.push_back(static_cast<uint32_t>(rows));
  // The households into their rows: each (area, section, counting) in the image's order.
  base::ResizeColumn(p.registered_, rows);
  base::ResizeColumn(p.region_, rows);
  base::ResizeColumn(p.township_, rows);
  base::ResizeColumn(p.area_, rows);
  base::ResizeColumn(p.section_, rows);
  base::ResizeColumn(p.division_, rows);
  base::ResizeColumn(p.sector_, rows);
  base::ResizeColumn(p.online_, rows);
  base::ResizeColumn(p.figure_bits_, rows);
  base::ResizeColumn(p.change_begin_, rows + 1);
  p.change_begin_[0] = 0;
  for (size_t r = 0; r < n; ++r) {
    if (!(mark[r] & kSelected)) continue;
    const uint16_t bits = mark[r] & ~kSelected;
    const uint32_t a = w.area[r];
    const uint32_t to = next[key(a, w.section[r], bits)]++;
    new_row[r] = to;
    const uint32_t area = area_id[a];
    p.registered_[to] = w.registered[r];
    p.area_[to] = area;
    p.region_[to] = p.area_region_[area];
    p.township_[to] = p.area_township_[area];
    p.section_[to] = static_cast<uint8_t>(section_id[w.section[r]]);
    p.division_[to] = w.division[r];
    p.sector_[to] = w.sector[r];
    p.online_[to] = w.online[r];
    p.figure_bits_[to] = bits;
    uint32_t c = w.change_begin[r];
    while (c < w.change_begin[r + 1] && w.change_day[c] <= day) ++c;
    p.change_begin_[to + 1] = c - w.change_begin[r];
  }
  for (size_t r = 0; r < rows; ++r) p.change_begin_[r + 1] += p.change_begin_[r];
  base::ResizeColumn(p.change_day_, changes);
  base::ResizeColumn(p.change_class_, changes);
  for (size_t r = 0; r < n; ++r) {
    if (!(mark[r] & kSelected)) continue;
    const uint32_t to = new_row[r];
    const uint32_t from = w.change_begin[r], count = p.change_begin_[to + 1] - p.change_begin_[to];
    std::copy_n(w.change_day.data() + from, count, p.change_day_.data() + p.change_begin_[to]);
    std::copy_n(classes + from, count, p.change_class_.data() + p.change_begin_[to]);
  }
  // The households in id order.
  base::ReserveColumn(p.ids_, rows);
  base::ReserveColumn(p.rows_by_id_, rows);
  // The image's rows in id order are scattered over its row order: each lookup of new_row is a
  // cache miss, fetched ahead.
  constexpr size_t kAhead = 16;
  for (size_t j = 0; j < n; ++j) {
    if (j + kAhead < n && w.rows_by_id[j + kAhead] < n) {
      __builtin_prefetch(&new_row[w.rows_by_id[j + kAhead]]);
    }
    const uint32_t r = w.rows_by_id[j];
    if (r >= n || (j > 0 && w.ids[j] <= w.ids[j - 1])) return damaged;
    if (new_row[r] == kUnused) continue;
    p.ids_.push_back(w.ids[j]);
    p.rows_by_id_.push_back(new_row[r]);
  }
  if (p.ids_.size() != rows) return damaged;
  return p;
}

int64_t Population::RowOf(int64_t household_id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), household_id);
  if (it == ids_.end() || *it != household_id) return -1;
  return rows_by_id_[static_cast<size_t>(it - ids_.begin())];
}

size_t Population::bytes() const {
  size_t n =
      size() * (sizeof(int64_t) + 2 * sizeof(uint32_t) + sizeof(int32_t) + 3 * sizeof(uint32_t) +
                4 + sizeof(uint16_t)) +
      change_day_.size() * (sizeof(int32_t) + sizeof(StatusClass)) +
      (area_region_.size() * 2 + run_begin_.size() + run_counted_end_.size()) * sizeof(uint32_t);
  for (const auto* d : {&regions_, &townships_, &sections_}) {
    for (const std::string& s : *d) n += sizeof(std::string) + s.capacity();
  }
  return n;
}

}  // namespace getihu::analytics
