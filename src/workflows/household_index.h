// An in-memory index USCC → (household id, registration date) for the households of the
// pool, so that a bulk import resolves each row without a database look-up. Compact: a flat
// open-addressing table of 24 bytes per slot, keyed by a 64-bit hash of the USCC and checked
// by a second, independent 32-bit hash. Not thread-safe.
#ifndef GETIHU_WORKFLOWS_HOUSEHOLD_INDEX_H_
#define GETIHU_WORKFLOWS_HOUSEHOLD_INDEX_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::workflows {

class HouseholdIndex {
 public:
  struct Entry {
    int64_t id;
    base::Date registered_on;
  };

  // Loads every household of the pool (one scan).
  static base::Result<HouseholdIndex> Load(storage::Database& db);

  std::optional<Entry> Find(std::string_view uscc) const;
  // Adds or replaces the entry of `uscc`.
  void Put(std::string_view uscc, Entry entry);
  size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t hash = 0;  // 0: empty
    int64_t id = 0;
    int32_t registered_days = 0;
    uint32_t check = 0;
  };
  void Grow();
  size_t Probe(uint64_t hash, uint32_t check) const;

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_HOUSEHOLD_INDEX_H_
