// Builds household profiles (domain/profile.h) from the pool in bulk: one ordered scan of the
// households of a region and one of each fact and event table, merged by household id, so that
// the work is set-based and the memory holds one household at a time. Read-only;
// thread-compatible like the Database.
#ifndef GETIHU_STORAGE_PROFILE_QUERY_H_
#define GETIHU_STORAGE_PROFILE_QUERY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/date.h"
#include "base/status.h"
#include "domain/profile.h"
#include "storage/database.h"

namespace getihu::storage {

// Calls `fn` once per household registered on or before `as_of` whose region code starts with
// `region_prefix` (0–6 digits), in household id order, with its profile as of `as_of`
// (docs/profile.md gives each field's derivation). Stops at the first error `fn` returns.
// InvalidArgument for a malformed prefix; DataLoss for unreadable stored values.
// `fields` (profile field names) limits the work to the fact tables those fields come from —
// a tier run reads only what its rule set uses; the other fields keep their defaults and must
// not be read. Empty: every field.
base::Status ScanProfiles(Database& db, std::string_view region_prefix, base::Date as_of,
                          const std::function<base::Status(const domain::HouseholdProfile&)>& fn,
                          std::span<const std::string> fields = {});

// The profile of one household as of `as_of` (the same derivation as ScanProfiles, through the
// primary keys); nullopt when there is no such household or it was registered after `as_of`.
base::Result<std::optional<domain::HouseholdProfile>> LoadProfile(Database& db,
                                                                  int64_t household_id,
                                                                  base::Date as_of);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_PROFILE_QUERY_H_
