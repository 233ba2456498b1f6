// Events of the data pool: penalties and credit repair, abnormal marks and recovery,
// dishonest-debtor listings and removal, safety accidents, honours and certifications,
// trademarks and patents. Each family has a natural key (below). An event whose key is
// already stored is IGNORED, except that a row carrying a closing date (repaired_on,
// recovered_on, removed_on) closes a stored event that is still open: the date and this
// batch are recorded (counted as updated). A closed event is never reopened or re-dated.
// A household_id not in the pool is refused with InvalidArgument (foreign key).
// Bulk calls prepare once and run per row; call them inside a Transaction. Operates on a
// Database& that must outlive it; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_EVENT_REPOSITORY_H_
#define GETIHU_STORAGE_EVENT_REPOSITORY_H_

#include <cstdint>
#include <span>

#include "base/status.h"
#include "domain/household.h"
#include "storage/database.h"
#include "storage/write_counts.h"

namespace getihu::storage {

class EventRepository {
 public:
  explicit EventRepository(Database& db) : db_(db) {}

  // Key: (household, document_no). Closes with repaired_on (信用修复).
  base::Result<WriteCounts> InsertPenalties(std::span<const domain::Penalty> rows,
                                            int64_t batch_id);
  // Key: (household, marked_on). Closes with recovered_on.
  base::Result<WriteCounts> InsertAbnormalMarks(std::span<const domain::AbnormalMark> rows,
                                                int64_t batch_id);
  // Key: (household, case_no). Closes with removed_on.
  base::Result<WriteCounts> InsertDishonestDebtors(
      std::span<const domain::DishonestDebtorListing> rows, int64_t batch_id);
  // Key: (household, occurred_on).
  base::Result<WriteCounts> InsertSafetyAccidents(std::span<const domain::SafetyAccident> rows,
                                                  int64_t batch_id);
  // Key: (household, kind, level, granted_on).
  base::Result<WriteCounts> InsertHonours(std::span<const domain::Honour> rows, int64_t batch_id);
  // Key: (household, kind, registration_no).
  base::Result<WriteCounts> InsertIntellectualProperty(
      std::span<const domain::IntellectualProperty> rows, int64_t batch_id);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_EVENT_REPOSITORY_H_
