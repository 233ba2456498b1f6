// The populations (analytics/population.h) that the statistics routes count from, kept between
// requests. Loading one reads every household of the region from the pool — about 4 s for a
// city of a million households in stock, ten times that for a province — while the figures
// themselves take milliseconds; the dashboard asks for three breakdowns of the same region and
// date at once.
//
// An entry serves while the pool's revision (BatchRepository::PoolRevision) is the one read
// before it was loaded: any import that commits, through this server or the command line,
// makes the next request load afresh. Requests for a population that is being loaded wait for
// that load instead of reading the pool again. Entries are dropped least recently used first
// to keep their total size within the budget; a population larger than the whole budget serves
// its own request and is not kept. Thread-safe.
#ifndef GETIHU_SERVER_POPULATION_CACHE_H_
#define GETIHU_SERVER_POPULATION_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analytics/population.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::server {

class PopulationCache {
 public:
  using Shared = std::shared_ptr<const analytics::Population>;

  // `budget_bytes` 0 keeps nothing: every request loads its own. With `open_reader` a large
  // pool is read in two halves at once, and with `images` a population is read from the pool's
  // image when there is one (Population::LoadOptions): a restarted server's first report of a
  // province then takes seconds, not half a minute.
  explicit PopulationCache(size_t budget_bytes,
                           analytics::Population::OpenReaderFn open_reader = nullptr,
                           analytics::PoolImageOptions images = {})
      : budget_(budget_bytes), open_reader_(std::move(open_reader)), images_(std::move(images)) {}
  PopulationCache(const PopulationCache&) = delete;
  PopulationCache& operator=(const PopulationCache&) = delete;

  // The population of `region_prefix` as of `as_of` (Population::Load's arguments and errors),
  // from the cache when the pool has not changed since it was loaded.
  base::Result<Shared> Get(storage::Database& db, std::string_view region_prefix, base::Date as_of);

  // What the statistics and the report read from the pool by row of `population` (one that
  // Get returned), kept with it while it is kept: the outcomes of tier run `run`
  // (analytics::LoadRunOutcomes; a stored run's results never change, and a new run has a new
  // id), the same as the tier breakdown counts them (analytics::LoadTierOutcomes), and the
  // signs of operating of `year` (analytics::LoadActivitySigns; the pool's revision, which an
  // import changes, is the population's).
  base::Result<std::vector<uint8_t>> RunOutcomes(storage::Database& db, const Shared& population,
                                                 int64_t run);
  base::Result<std::vector<uint8_t>> TierOutcomes(storage::Database& db, const Shared& population,
                                                  int64_t run);
  base::Result<std::vector<uint8_t>> ActivitySigns(storage::Database& db, const Shared& population,
                                                   int year);

  struct Counters {
    int64_t hits = 0;   // requests served by an entry, loaded or being loaded
    int64_t loads = 0;  // readings of the pool
    size_t entries = 0;
    size_t bytes = 0;  // held by the entries kept
  };
  Counters counters() const;

 private:
  struct Entry {
    uint64_t load_id = 0;  // which load filled it
    std::string revision;
    std::shared_future<base::Result<Shared>> value;
    size_t bytes = 0;  // 0 while loading; with the tier outcomes kept
    uint64_t last_used = 0;
    const analytics::Population* loaded = nullptr;       // once loaded and kept
    std::map<std::string, std::vector<uint8_t>> by_row;  // "run:ID", "signs:YEAR"
  };

  // The vector `key` kept with `population`, or load() kept with it when it is kept.
  base::Result<std::vector<uint8_t>> ByRow(
      const Shared& population, const std::string& key,
      const std::function<base::Result<std::vector<uint8_t>>()>& load);

  // Drops loaded entries, least recently used first, until the total fits the budget.
  void EvictLocked();

  const size_t budget_;
  const analytics::Population::OpenReaderFn open_reader_;
  const analytics::PoolImageOptions images_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;  // by "prefix@date"
  uint64_t clock_ = 0;                    // ticks on every use, for last_used and load_id
  size_t bytes_ = 0;
  int64_t hits_ = 0, loads_ = 0;
};

}  // namespace getihu::server

#endif  // GETIHU_SERVER_POPULATION_CACHE_H_
