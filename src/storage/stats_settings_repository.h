// Statistics settings (migration 0011): the targets a region sets for a year, whose progress
// the indicators show (analytics/targets.h), and the township groups a county reports by
// (analytics/indicators.h Dimension::kTownshipGroup). Values are checked by the callers
// (the indicator names and ranges live in analytics); the schema refuses the rest. Operates on
// a Database& that must outlive it; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_STATS_SETTINGS_REPOSITORY_H_
#define GETIHU_STORAGE_STATS_SETTINGS_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct StatsTarget {
  std::string region_prefix;  // 0, 2, 4 or 6 digits
  int year = 0;
  std::string indicator;  // e.g. "activity"
  double value = 0;       // a count or a percentage
  std::string updated_by;
  std::string updated_at;  // CST text
};

struct TownshipGroup {
  std::string township;  // 9 digits
  std::string region;    // its first 6 digits
  std::string group_name;
  std::string updated_by;
  std::string updated_at;
};

class StatsSettingsRepository {
 public:
  explicit StatsSettingsRepository(Database& db) : db_(db) {}

  // Sets (inserts or replaces) the target of its region, year and indicator.
  // InvalidArgument for a value the schema refuses.
  base::Status SetTarget(const StatsTarget& target);
  // Removes one target; false when there was none.
  base::Result<bool> DeleteTarget(std::string_view region_prefix, int year,
                                  std::string_view indicator);
  // The targets of exactly `region_prefix` (nullopt: every region) for `year` (0: every
  // year), by region, year and indicator.
  base::Result<std::vector<StatsTarget>> ListTargets(std::optional<std::string_view> region_prefix,
                                                     int year);

  // Puts a township in a group (replacing its former group). The region is derived from the
  // code. InvalidArgument for a code that is not 9 digits or an empty name.
  base::Status SetTownshipGroup(std::string_view township, std::string_view group_name,
                                std::string_view updated_by, std::string_view updated_at);
  // Takes a township out of its group; false when it had none.
  base::Result<bool> DeleteTownshipGroup(std::string_view township);
  // The townships whose code starts with `region_prefix` ("" for all), by region, group
  // and township.
  base::Result<std::vector<TownshipGroup>> ListTownshipGroups(std::string_view region_prefix);
  // township code → group name for the townships under `region_prefix`.
  base::Result<std::map<std::string, std::string>> TownshipGroupMap(std::string_view region_prefix);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_STATS_SETTINGS_REPOSITORY_H_
