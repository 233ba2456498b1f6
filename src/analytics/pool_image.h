// Images of the pool for the statistics: what the statistics read from the pool for every
// household (the population's households and status changes, a year's signs of operating, a
// tier run's outcomes), kept in files (base/column_file.h) so that a later report, in any
// process, reads them back in about a second instead of reading the pool for half a minute
// (a province of ten million households). docs/statistics.md "Images of the pool".
//
// An image belongs to one state of the pool: its key is the SM3 of the committed batches (id,
// feed, content, as-of, time) and the range of household ids, read in the same snapshot as the
// data. Every change to the households, their status history and the feeds the statistics read
// is a committed batch (imports and the review's data corrections alike), so an import makes
// the next request read the pool again and write a new image. The files of a key live in the
// directory DIR/KEY; the three most recently used keys are kept. A tier run's outcomes, which
// no import changes, are kept apart in DIR/runs. An image that cannot be read
// whole (a foreign or damaged file) is ignored and written again; one that cannot be written
// is skipped. Images are made only for a region holding a quarter of the pool or more, of at
// least `min_households` (a district's pool reads faster than its image is written).
//
// The image of a population holds every household and every status change, whatever its date,
// in the order of the statistics (area, industry section, household id); a population of any
// region prefix and date is selected from it in one pass (Population::Select). Thread-safe:
// concurrent writers of one file each write a whole file and rename it.
#ifndef GETIHU_ANALYTICS_POOL_IMAGE_H_
#define GETIHU_ANALYTICS_POOL_IMAGE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"
#include "storage/region_range.h"
#include "storage/vitality_query.h"

namespace getihu::analytics {

class Population;  // population.h

struct PoolImageOptions {
  std::string dir;  // "" for no images
  int64_t min_households = 200'000;
};

// Bump when what an image holds or how it is derived from the pool changes (e.g. the status
// classes, the industry sections): older files are then refused.
inline constexpr int kPoolImageVersion = 2;  // 2: the industry division

// The key of the pool's state seen by `db`'s current transaction (or by a statement of its
// own); "" for a pool without households.
base::Result<std::string> PoolImageKey(storage::Database& db);

// PoolImageKey in a read transaction of `db`, begun into `read` unless `db` is in one already:
// what is read from the pool until `read` ends is of the state the key names.
base::Result<std::string> BeginImageSnapshot(storage::Database& db,
                                             std::optional<storage::Transaction>& read);

// The directory of `key` under `options.dir`, created if missing, marked as just used, and the
// keys used least recently beyond the three newest removed. Unavailable when it cannot be made.
base::Result<std::string> PoolImageDir(const PoolImageOptions& options, const std::string& key);

// `whole`, a population of every household as of the latest date (Population::Select), as
// the image of `key`.
base::Status WritePopulationImage(const PoolImageOptions& options, const std::string& key,
                                  const Population& whole);

// The population of `range` as of `as_of` selected from the image of `key`, and the image's
// households in `image_rows`: NotFound when there is none, DataLoss when it is damaged,
// FailedPrecondition when the region holds less than an eighth of the image (the pool's region
// index reads it faster).
base::Result<Population> SelectFromPopulationImage(const PoolImageOptions& options,
                                                   const std::string& key,
                                                   const storage::RegionRange& range,
                                                   base::Date as_of, size_t* image_rows);

// The year's signs of operating of every household (storage::QueryYearSignals with prefix
// ""), from the image of `key`, made from the pool when there is none.
base::Result<storage::YearSignals> ImagedYearSignals(storage::Database& db,
                                                     const PoolImageOptions& options,
                                                     const std::string& key, int year);

// The employees of every household with the data as of `as_of` (storage::QueryEmployees with
// prefix ""), from the image of `key`, made from the pool when there is none.
base::Result<std::vector<storage::HouseholdEmployees>> ImagedEmployees(
    storage::Database& db, const PoolImageOptions& options, const std::string& key,
    base::Date as_of);

// The outcomes of tier run `run` (TierRepository::ScanOutcomes) as ascending household ids
// and their outcomes, from its image, made from the pool when there is none. A stored run's
// results never change, so its image outlives the pool's states (imports leave it valid); the
// images of the eight runs used most recently are kept, in DIR/runs.
struct RunOutcomeImage {
  std::vector<int64_t> ids;
  std::vector<uint8_t> outcomes;
};
base::Result<RunOutcomeImage> ImagedRunOutcomes(storage::Database& db,
                                                const PoolImageOptions& options, int64_t run);

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_POOL_IMAGE_H_
