// Reads the population of a region in bulk for the statistics: each household's registration
// (date, area, industry, online) and its status history, both in household id order and in
// keyset pages, so that analytics/population.h can hold them column by column and count the
// figures of any date without reading the pool again. Read-only; thread-compatible like the
// Database.
#ifndef GETIHU_STORAGE_POPULATION_QUERY_H_
#define GETIHU_STORAGE_POPULATION_QUERY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

// The texts are valid during the callback that receives the struct only.
struct PopulationHousehold {
  int64_t id = 0;
  base::Date registered_on;
  std::string_view region_code;    // 6 digits
  std::string_view township_code;  // 9 digits, "" when unknown
  std::string_view industry_code;  // as stored (GB/T 4754 class, possibly malformed)
  bool online = false;
};

// One change of a household's status (household_status_history).
struct PopulationStatusChange {
  base::Date effective_on;
  // active, suspended, deregistered, revoked, converted; "" for any other stored text.
  std::string_view status;
};

// Calls `household` once per household registered on or before `as_of` whose region code
// starts with `region_prefix` (0–6 digits), in id order, and after each household
// `change` once per status change of it effective on or before `as_of`, by date and, on one
// day, in lifecycle order (established, changed, resumed, suspended, then exits) — the order
// in which profile_query.h applies them, so the last change by a date is the status on it.
// Stops at the first error a callback returns. InvalidArgument for a malformed prefix;
// DataLoss for an unreadable stored date. With `ids` only the households whose ids lie in
// that closed range, so that two connections can read the halves of a pool at once.
// Reads in one snapshot: in the caller's transaction, or in one of its own.
base::Status ScanPopulation(
    Database& db, std::string_view region_prefix, base::Date as_of,
    const std::function<base::Status(const PopulationHousehold&)>& household,
    const std::function<base::Status(const PopulationStatusChange&)>& change,
    std::optional<std::pair<int64_t, int64_t>> ids = std::nullopt);

// The smallest and largest household id of the pool; nullopt when it holds none.
base::Result<std::optional<std::pair<int64_t, int64_t>>> HouseholdIdBounds(Database& db);

// An upper bound of the households ScanPopulation(db, region_prefix, …) hands out, found
// without a scan: on SQLite the largest household id when the region holds every household of
// the pool (ids there have no gaps); nullopt otherwise, for an empty pool and on PostgreSQL,
// where a rolled-back import still uses up its ids. For reserving memory; InvalidArgument as
// above.
base::Result<std::optional<int64_t>> PopulationSizeHint(Database& db,
                                                        std::string_view region_prefix);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_POPULATION_QUERY_H_
