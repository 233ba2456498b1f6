// A census of the data pool for `getihu` and the console: rows per table and households
// per status. Read-only; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_POOL_SUMMARY_H_
#define GETIHU_STORAGE_POOL_SUMMARY_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "domain/household.h"
#include "storage/database.h"

namespace getihu::storage {

struct TableCount {
  std::string_view table;  // one of PoolTables()
  int64_t rows = 0;
};

struct PoolSummary {
  std::vector<TableCount> tables;  // every table of PoolTables(), in that order
  // Every HouseholdStatus in enum order, with 0 for a status no household has.
  std::vector<std::pair<domain::HouseholdStatus, int64_t>> households_by_status;

  // Rows in `table`; 0 for a name not in PoolTables().
  int64_t Rows(std::string_view table) const;
  int64_t Households(domain::HouseholdStatus status) const;
};

// The data-pool tables in schema order: batches, rejects, households, their history and
// owner attributes, then the fact and the event tables.
std::span<const std::string_view> PoolTables();

// Counts the rows of every data-pool table and the households by status.
// REQUIRES: the database is migrated.
base::Result<PoolSummary> Summarize(Database& db);

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_POOL_SUMMARY_H_
