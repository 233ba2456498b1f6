// The population of a region as the statistics count it: every household registered by a
// date with its area, industry section and sector, online flag, registration date and status
// changes up to that date, held column by column (about 37 bytes a household and 5 a status
// change), so that the figures of any date up to it — the four dates a Stats compares, the
// year ends of the yearly flows, the month ends of the monthly ones, the stock behind the
// activity rate — are counted in memory from one reading of the pool. What each household
// counts for on the population's own date is worked out once, as it is loaded. Immutable once
// loaded; safe to read from many threads.
#ifndef GETIHU_ANALYTICS_POPULATION_H_
#define GETIHU_ANALYTICS_POPULATION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/pool_image.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"
#include "storage/region_range.h"

namespace getihu::analytics {

struct PopulationStaging;  // population_staging.h
struct PopulationColumns;  // population_staging.h

// What a household's status on a date means for the counts (docs/statistics.md).
enum class StatusClass : uint8_t {
  kNone,       // not registered yet, no status yet, or a status the counts do not know
  kActive,     // 存续
  kSuspended,  // 歇业 (part of the stock)
  kExit,       // 注销, 吊销
  kConverted,  // 个转企
};

inline bool InStock(StatusClass s) {
  return s == StatusClass::kActive || s == StatusClass::kSuspended;
}

// What a household counts for in the figures of the population's own date (indicators.h
// Figures, in the same order): one bit each of Population::figure_bits().
enum FigureBit : uint16_t {
  kBitStock = 1 << 0,          // 登记在册 on the date
  kBitSuspended = 1 << 1,      // 歇业 on the date
  kBitOnline = 1 << 2,         // in stock and operating online
  kBitStockYearEnd = 1 << 3,   // in stock at the end of the previous year
  kBitStockLastYear = 1 << 4,  // in stock on the same date a year earlier
  kBitNew = 1 << 5,            // registered from 1 January to the date
  kBitNewLastYear = 1 << 6,    // the same period a year earlier
  kBitExit = 1 << 7,           // exited in the period
  kBitExitLastYear = 1 << 8,   // exited in the same period a year earlier
  kBitConversion = 1 << 9,     // converted in the period
};
inline constexpr int kFigureBits = 10;

class Population {
 public:
  // Reads the households of `region_prefix` (0–6 digits) registered on or before `as_of` and
  // their status changes up to it. InvalidArgument for a malformed prefix; the storage's
  // errors otherwise.
  using OpenReaderFn = std::function<base::Result<std::unique_ptr<storage::Database>>()>;
  struct LoadOptions {
    // A second connection to the same store: with it a large pool is read in two halves of
    // its household ids at once (on SQLite about 1.6 times as fast on 2 cores; on PostgreSQL
    // each half has a server process of its own, which pays where the server has cores to
    // spare: on one 2-core machine with getihu beside it, 7.0 s → 6.5–6.8 s at 1M).
    OpenReaderFn open_reader;
    // Households (by the span of their ids) below which one connection reads the pool, the
    // second costing more to start than it saves.
    int64_t split_households = 200'000;
    // Images of the pool (pool_image.h): with a directory, the population is selected from the
    // image of the pool's state when there is one, and a read of a region holding a quarter of
    // the pool or more leaves one.
    PoolImageOptions image;
  };
  static base::Result<Population> Load(storage::Database& db, std::string_view region_prefix,
                                       base::Date as_of, const LoadOptions& options);
  static base::Result<Population> Load(storage::Database& db, std::string_view region_prefix,
                                       base::Date as_of) {
    return Load(db, region_prefix, as_of, LoadOptions{});
  }

  const std::string& region_prefix() const { return region_prefix_; }
  // The images the figures of this population read from (LoadActivitySigns, LoadRunOutcomes):
  // those it was loaded with when it is a quarter of the pool or more; no directory otherwise,
  // the pool's own reads of a small region being faster.
  const PoolImageOptions& image() const { return image_; }
  base::Date as_of() const { return as_of_; }
  size_t size() const { return ids_.size(); }

  // Rows are ordered by area, then industry section, then whether the household counts in any
  // figure (run_counted_end), then household id, so that a breakdown reads each cell's
  // households in sequence. The households in ascending id order, for
  // merging with id-ordered reads of the pool: ids()[j] is the household of row rows_by_id()[j].
  const std::vector<int64_t>& ids() const { return ids_; }
  const std::vector<uint32_t>& rows_by_id() const { return rows_by_id_; }
  // The row of `household_id`, or -1.
  int64_t RowOf(int64_t household_id) const;

  base::Date registered_on(size_t row) const { return base::Date::FromDays(registered_[row]); }
  bool online(size_t row) const { return online_[row] != 0; }
  // Ids into the dictionaries below, which are sorted by code; 0 is "" (unknown) in each.
  uint32_t region(size_t row) const { return region_[row]; }
  uint32_t township(size_t row) const { return township_[row]; }
  uint32_t section(size_t row) const { return section_[row]; }
  // The industry division (行业大类) 1–97 of GB/T 4754; 0 when the code is not one of it or
  // names a section alone.
  uint8_t division(size_t row) const { return division_[row]; }
  const std::vector<uint8_t>& divisions_by_row() const { return division_; }
  // 1, 2, 3; 0 when the industry code is not one of GB/T 4754.
  uint8_t sector(size_t row) const { return sector_[row]; }
  const std::vector<uint8_t>& sectors_by_row() const { return sector_; }
  const std::vector<std::string>& regions() const { return regions_; }      // 6-digit codes
  const std::vector<std::string>& townships() const { return townships_; }  // 9-digit codes
  const std::vector<std::string>& sections() const { return sections_; }    // section letters
  // An area: a (region, township) pair met, township "" when unknown; ids 0 … areas() − 1 in
  // the order of the codes.
  uint32_t area(size_t row) const { return area_[row]; }
  size_t areas() const { return area_region_.size(); }
  uint32_t area_region(uint32_t area) const { return area_region_[area]; }
  uint32_t area_township(uint32_t area) const { return area_township_[area]; }
  // The runs of rows of one area and section, in row order: run i is rows run_begin()[i] …
  // run_begin()[i + 1] − 1 (the last element is size()). Its households that count in any
  // figure (figure_bits() not 0) come first, up to run_counted_end()[i]: the figures of a run
  // are counted from those alone. A province's pool holds more households that exited years
  // ago than households in stock.
  const std::vector<uint32_t>& run_begin() const { return run_begin_; }
  const std::vector<uint32_t>& run_counted_end() const { return run_counted_end_; }

  // The class of the household's status on `date`: that of the last change effective by then,
  // kNone when it was registered after `date`. REQUIRES: date <= as_of().
  StatusClass StatusOn(size_t row, base::Date date) const {
    const int32_t day = date.days_since_epoch();
    if (registered_[row] > day) return StatusClass::kNone;
    StatusClass s = StatusClass::kNone;
    for (uint32_t c = change_begin_[row]; c < change_begin_[row + 1]; ++c) {
      if (change_day_[c] > day) break;
      s = change_class_[c];
    }
    return s;
  }
  // StatusOn for each of `n` dates (in days since the epoch) into out[0 … n − 1], in one pass
  // over the household's changes.
  void StatusesOn(size_t row, const int32_t* days, size_t n, StatusClass* out) const {
    for (size_t k = 0; k < n; ++k) out[k] = StatusClass::kNone;
    for (uint32_t c = change_begin_[row]; c < change_begin_[row + 1]; ++c) {
      for (size_t k = 0; k < n; ++k) {
        if (change_day_[c] <= days[k]) out[k] = change_class_[c];
      }
    }
    for (size_t k = 0; k < n; ++k) {
      if (registered_[row] > days[k]) out[k] = StatusClass::kNone;
    }
  }

  // The household's status changes by the population's date, in the order they apply: the
  // days (since the epoch, ascending) and what each status means.
  std::span<const int32_t> change_days(size_t row) const {
    return {change_day_.data() + change_begin_[row], change_begin_[row + 1] - change_begin_[row]};
  }
  std::span<const StatusClass> change_classes(size_t row) const {
    return {change_class_.data() + change_begin_[row], change_begin_[row + 1] - change_begin_[row]};
  }

  // The date of the household's first change to an exit status (注销, 吊销) by the
  // population's date, if any.
  std::optional<base::Date> FirstExit(size_t row) const {
    for (uint32_t c = change_begin_[row]; c < change_begin_[row + 1]; ++c) {
      if (change_class_[c] == StatusClass::kExit) return base::Date::FromDays(change_day_[c]);
    }
    return std::nullopt;
  }

  // The FigureBits of each row as of the population's date, compared with the end of the
  // previous year, the same date a year earlier and the end of the year before that.
  const std::vector<uint16_t>& figure_bits() const { return figure_bits_; }

  // Bytes held, for the benchmarks.
  size_t bytes() const;

 private:
  static base::Status ScanInto(PopulationStaging& st, storage::Database& db,
                               std::string_view region_prefix, base::Date as_of,
                               std::optional<std::pair<int64_t, int64_t>> ids);
  friend base::Status WritePopulationImage(const PoolImageOptions& options, const std::string& key,
                                           const Population& whole);
  friend base::Result<Population> SelectFromPopulationImage(const PoolImageOptions& options,
                                                            const std::string& key,
                                                            const storage::RegionRange& range,
                                                            base::Date as_of, size_t* image_rows);

  // Reads the population into `st`, and the image key of the snapshot read when `image_key`.
  static base::Status ReadStaging(PopulationStaging& st, storage::Database& db,
                                  std::string_view region_prefix, base::Date as_of,
                                  const LoadOptions& options, std::string* image_key);
  // The population from the pool's image, made first when worthwhile (pool_image.h); nullopt
  // when the pool is to be read instead.
  static base::Result<std::optional<Population>> ReadThroughImage(storage::Database& db,
                                                                  std::string_view region_prefix,
                                                                  base::Date as_of,
                                                                  const LoadOptions& options);
  // This population's columns, for its image.
  PopulationColumns Columns() const;
  // The households of `range` registered by `as_of`, with their changes by then, from `whole`:
  // a population of every household as of the latest date, ordered without splitting off the
  // households that count (Finish with split_counted false). What Load would read from the
  // pool, in the same order. DataLoss when `whole` does not hold together (a damaged image).
  static base::Result<Population> Select(const PopulationColumns& whole,
                                         const storage::RegionRange& range, base::Date as_of);
  // Orders the population read into `staging` (see row order above); with `split_counted`
  // false, a run's households are in id order whether they count or not.
  void Finish(PopulationStaging& staging, bool split_counted = true);

  std::string region_prefix_;
  base::Date as_of_;
  PoolImageOptions image_;
  std::vector<int64_t> ids_;          // ascending
  std::vector<uint32_t> rows_by_id_;  // the row of ids_[j]
  std::vector<int32_t> registered_;   // days since the epoch
  std::vector<uint32_t> region_, township_, area_;
  std::vector<uint8_t> section_, division_, sector_, online_;
  std::vector<std::string> regions_, townships_, sections_;
  std::vector<uint32_t> area_region_, area_township_;
  std::vector<uint32_t> run_begin_, run_counted_end_;
  // Row r's changes are change_begin_[r] … change_begin_[r + 1] − 1, in the order they apply.
  std::vector<uint32_t> change_begin_;
  std::vector<int32_t> change_day_;
  std::vector<StatusClass> change_class_;
  std::vector<uint16_t> figure_bits_;
};

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_POPULATION_H_
