#include "analytics/population.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include "domain/industry.h"
#include "storage/batch_repository.h"
#include "storage/population_query.h"

namespace getihu::analytics {
namespace {

// Hashing for maps keyed by std::string looked up by std::string_view.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
template <typename V>
using TextMap = std::unordered_map<std::string, V, TextHash, std::equal_to<>>;

// Dictionary ids of codes in the order met, 0 for "".
class Dictionary {
 public:
  Dictionary() { IdOf(""); }
  uint32_t IdOf(std::string_view code) {
    // Codes repeat row after row (households of a township come together).
    if (last_ != nullptr && *last_ == code) return last_id_;
    auto it = ids_.find(code);
    if (it == ids_.end()) {
      it = ids_.emplace(std::string(code), static_cast<uint32_t>(codes_.size())).first;
      codes_.emplace_back(code);
    }
    last_ = &it->first;
    last_id_ = it->second;
    return it->second;
  }
  const std::vector<std::string>& codes() const { return codes_; }
  // Sorts the codes into `sorted` and returns each old id's new one.
  std::vector<uint32_t> Sort(std::vector<std::string>& sorted) const {
    std::vector<uint32_t> order(codes_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return codes_[a] < codes_[b]; });
    std::vector<uint32_t> new_id(codes_.size());
    sorted.clear();
    for (uint32_t i = 0; i < order.size(); ++i) {
      new_id[order[i]] = i;
      sorted.push_back(codes_[order[i]]);
    }
    return new_id;
  }

 private:
  std::vector<std::string> codes_;
  TextMap<uint32_t> ids_;
  const std::string* last_ = nullptr;  // the code of the last lookup (map nodes stay put)
  uint32_t last_id_ = 0;
};

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
  std::vector<T> out(old_row.size());
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

// The population as read, in household id order, with dictionary ids in the order met.
struct Population::Staging {
  Dictionary regions, townships, sections;
  std::vector<int64_t> ids;
  std::vector<int32_t> registered;
  std::vector<uint32_t> region, township, area;
  std::unordered_map<uint64_t, uint32_t> area_of;  // region id << 32 | township id → area
  std::vector<uint64_t> areas;                     // by area: region id << 32 | township id
  std::vector<uint8_t> section, sector, online;
  std::vector<uint32_t> change_begin{0};
  std::vector<int32_t> change_day;
  std::vector<StatusClass> change_class;
  uint64_t last_pair_ = 0;  // AreaOf's last lookup
  uint32_t last_area_ = 0;

  // The area of a (region id, township id) pair, a new one when first met.
  uint32_t AreaOf(uint32_t region_id, uint32_t township_id) {
    const uint64_t pair = uint64_t{region_id} << 32 | township_id;
    if (pair == last_pair_ && !areas.empty()) return last_area_;
    auto [it, added] = area_of.try_emplace(pair, static_cast<uint32_t>(areas.size()));
    if (added) areas.push_back(pair);
    last_pair_ = pair;
    last_area_ = it->second;
    return it->second;
  }

  // Appends the households of `other`, read from ids above this one's, remapping its
  // dictionary and area ids to this one's.
  void Append(const Staging& other) {
    auto remap = [](Dictionary& to, const Dictionary& from) {
      std::vector<uint32_t> id;
      for (const std::string& code : from.codes()) id.push_back(to.IdOf(code));
      return id;
    };
    const std::vector<uint32_t> region_id = remap(regions, other.regions);
    const std::vector<uint32_t> township_id = remap(townships, other.townships);
    const std::vector<uint32_t> section_id = remap(sections, other.sections);
    std::vector<uint32_t> area_id;
    for (uint64_t a : other.areas) {
      area_id.push_back(AreaOf(region_id[a >> 32], township_id[a & 0xffffffff]));
    }
    ids.insert(ids.end(), other.ids.begin(), other.ids.end());
    registered.insert(registered.end(), other.registered.begin(), other.registered.end());
    for (uint32_t r : other.region) region.push_back(region_id[r]);
    for (uint32_t t : other.township) township.push_back(township_id[t]);
    for (uint32_t a : other.area) area.push_back(area_id[a]);
    for (uint8_t s : other.section) section.push_back(static_cast<uint8_t>(section_id[s]));
    sector.insert(sector.end(), other.sector.begin(), other.sector.end());
    online.insert(online.end(), other.online.begin(), other.online.end());
    // change_begin holds one more offset than there are households, the last one where the
    // next household's changes start: `other`'s first.
    const uint32_t offset = static_cast<uint32_t>(change_day.size());
    for (size_t k = 1; k < other.change_begin.size(); ++k) {
      change_begin.push_back(offset + other.change_begin[k]);
    }
    change_day.insert(change_day.end(), other.change_day.begin(), other.change_day.end());
    change_class.insert(change_class.end(), other.change_class.begin(), other.change_class.end());
  }

  // For n households and, as generated and registered pools have it, fewer than two status
  // changes each.
  void Reserve(size_t n) {
    ids.reserve(n);
    registered.reserve(n);
    region.reserve(n);
    township.reserve(n);
    area.reserve(n);
    section.reserve(n);
    sector.reserve(n);
    online.reserve(n);
    change_begin.reserve(n + 1);
    change_day.reserve(2 * n);
    change_class.reserve(2 * n);
  }
};

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
// section id and sector of each industry code met cached in `industries`.
base::Status Population::ScanInto(Staging& st, storage::Database& db,
                                  std::string_view region_prefix, base::Date as_of,
                                  std::optional<std::pair<int64_t, int64_t>> ids) {
  // The section id and sector of each industry code met (a few hundred codes).
  TextMap<std::pair<uint8_t, uint8_t>> industries;
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
      it =
          industries.emplace(std::string(h.industry_code), std::pair<uint8_t, uint8_t>{0, 0}).first;
      if (auto info = domain::AnalyzeIndustry(h.industry_code); info.ok()) {
        it->second = {static_cast<uint8_t>(st.sections.IdOf(std::string(1, info->section->letter))),
                      static_cast<uint8_t>(info->sector)};
      }
    }
    st.section.push_back(it->second.first);
    st.sector.push_back(it->second.second);
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

base::Result<Population> Population::Load(storage::Database& db, std::string_view region_prefix,
                                          base::Date as_of, const LoadOptions& options) {
  Staging st;
  // Room for every household up front when the pool tells how many there can be: growing the
  // columns a doubling at a time copied each of them about twice over.
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> hint,
                          storage::PopulationSizeHint(db, region_prefix));
  bool done = false;
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
        const int64_t mid = bounds->first + (bounds->second - bounds->first) / 2;
        Staging upper;
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
        done = true;
      }
    }
  }
  if (!done) {
    if (hint && *hint > 0) st.Reserve(static_cast<size_t>(*hint));
    GETIHU_RETURN_IF_ERROR(ScanInto(st, db, region_prefix, as_of, std::nullopt));
  }
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

void Population::Finish(Staging& st) {
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
  std::vector<uint16_t> bits(n);
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
    return (size_t{area[r]} * n_section + st.section[r]) * 2 + (bits[r] == 0);
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
  std::vector<uint32_t> old_row(n);
  rows_by_id_.resize(n);
  for (size_t r = 0; r < n; ++r) {
    uint32_t to = start[key(r)]++;
    old_row[to] = static_cast<uint32_t>(r);
    rows_by_id_[r] = to;
  }
  // The columns in the new row order, and each row's changes after those of the row before.
  // The reads are scattered, so the time is memory latency: two threads for a large
  // population.
  ids_ = std::move(st.ids);
  change_begin_.resize(n + 1);
  change_begin_[0] = 0;
  for (size_t r = 0; r < n; ++r) {
    const uint32_t old = old_row[r];
    change_begin_[r + 1] = change_begin_[r] + (st.change_begin[old + 1] - st.change_begin[old]);
  }
  change_day_.resize(change_begin_[n]);
  change_class_.resize(change_begin_[n]);
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

int64_t Population::RowOf(int64_t household_id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), household_id);
  if (it == ids_.end() || *it != household_id) return -1;
  return rows_by_id_[static_cast<size_t>(it - ids_.begin())];
}

size_t Population::bytes() const {
  size_t n =
      size() * (sizeof(int64_t) + 2 * sizeof(uint32_t) + sizeof(int32_t) + 3 * sizeof(uint32_t) +
                3 + sizeof(uint16_t)) +
      change_day_.size() * (sizeof(int32_t) + sizeof(StatusClass)) +
      (area_region_.size() * 2 + run_begin_.size() + run_counted_end_.size()) * sizeof(uint32_t);
  for (const auto* d : {&regions_, &townships_, &sections_}) {
    for (const std::string& s : *d) n += sizeof(std::string) + s.capacity();
  }
  return n;
}

}  // namespace getihu::analytics
