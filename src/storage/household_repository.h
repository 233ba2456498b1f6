// Households of the data pool: upsert by USCC (统一社会信用代码), lookups, status history and
// the operators' attributes. The operator's ID number and phone go through the Database's
// field cipher when it has one (field_cipher.h): sealed on write, opened on read. Bulk calls
// prepare their statement once and run it per row; call them inside a Transaction, for
// atomicity and speed. Operates on a Database& that must outlive it; thread-compatible like
// the Database.
#ifndef GETIHU_STORAGE_HOUSEHOLD_REPOSITORY_H_
#define GETIHU_STORAGE_HOUSEHOLD_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "domain/household.h"
#include "storage/database.h"
#include "storage/write_counts.h"

namespace getihu::storage {

// The registered items a 变更 (change) record may carry; absent ones stay as stored.
struct RegisteredItemsChange {
  std::optional<std::string> name = std::nullopt;
  std::optional<std::string> operator_name = std::nullopt;
  std::optional<std::string> operator_id_number = std::nullopt;
  std::optional<std::string> phone = std::nullopt;
  std::optional<std::string> township_code = std::nullopt;
  std::optional<std::string> premises = std::nullopt;
  std::optional<std::string> industry_code = std::nullopt;
  std::optional<bool> online = std::nullopt;
};

class HouseholdRepository {
 public:
  explicit HouseholdRepository(Database& db) : db_(db) {}

  // Inserts each household, or updates the one with the same USCC, and returns the ids in
  // the order given (`Household::id` is ignored). A new row records `batch_id` as its first
  // batch; every write records it as updated_batch_id. On update, an absent optional field
  // keeps the stored value, and a record whose status_since is earlier than the stored one
  // (an older snapshot) changes nothing: the current state never goes back in time.
  // Errors: InvalidArgument for a field the schema refuses or an unknown batch.
  base::Result<std::vector<int64_t>> UpsertHouseholds(std::span<const domain::Household> rows,
                                                      int64_t batch_id);
  base::Result<int64_t> UpsertHousehold(const domain::Household& household, int64_t batch_id);

  // Inserts households whose USCCs are not stored yet, in multi-row statements, and returns
  // their ids in the order given. AlreadyExists when one is stored after all (the caller
  // must know; use UpsertHouseholds otherwise), InvalidArgument as UpsertHouseholds.
  base::Result<std::vector<int64_t>> InsertNewHouseholds(std::span<const domain::Household> rows,
                                                         int64_t batch_id);
  // Sets household `id`'s status to `status` from `since` (and its company USCC after 个转企),
  // unless the stored status is more recent. Returns whether the row changed.
  base::Result<bool> ApplyStatusChange(int64_t id, domain::HouseholdStatus status, base::Date since,
                                       std::optional<std::string> converted_uscc, int64_t batch_id);
  // Applies a 变更: every present item replaces the stored one. Returns whether a row changed.
  base::Result<bool> UpdateRegisteredItems(int64_t id, const RegisteredItemsChange& change,
                                           int64_t batch_id);
  // Returns the id of the household with this USCC, or nullopt.
  base::Result<std::optional<int64_t>> FindHouseholdId(std::string_view uscc);

  // Returns the household with this USCC, or nullopt. DataLoss for an unreadable row;
  // FailedPrecondition when its ID number or phone is sealed and the Database has no field
  // cipher (a data key is needed to read it).
  base::Result<std::optional<domain::Household>> FindHousehold(std::string_view uscc);

  // Returns the households whose operator has this citizen ID number (one person may run
  // several), in id order. With a field cipher the lookup goes through the indexed keyed hash
  // (operator_id_hash) and never decrypts the table; rows still holding plaintext (written
  // before the key was configured, see SealPlaintextFields) are not found. Without one it
  // compares the stored plaintext. `id_number` is normalised (NormalizeForLookup). Errors as
  // FindHousehold.
  base::Result<std::vector<domain::Household>> FindByOperatorIdNumber(std::string_view id_number);

  // Seals every operator ID number and phone still stored as plaintext, filling their lookup
  // hashes (for a pool written before its data key was configured). Idempotent: sealed values
  // are left alone. Returns the rows changed. FailedPrecondition without a field cipher. Call
  // inside a Transaction, so that a failure leaves nothing half-sealed.
  base::Result<int64_t> SealPlaintextFields();

  // Returns USCC → id for every household whose region_code starts with `region_prefix`
  // (0 to 6 digits; "" means all), for matching a department's file in one pass.
  // InvalidArgument for a prefix that is not 0–6 digits.
  base::Result<std::unordered_map<std::string, int64_t>> LoadHouseholdIds(
      std::string_view region_prefix);

  // Calls `fn` for every household with its USCC, id and registration date (a full scan; for
  // building an in-memory index before a bulk import). DataLoss for an unreadable date.
  base::Status ScanHouseholdKeys(
      const std::function<void(std::string_view uscc, int64_t id, base::Date registered_on)>& fn);
  // Appends status changes. A change already stored (same household, date and kind) is
  // ignored, so re-importing a registration file adds nothing.
  base::Result<WriteCounts> InsertStatusChanges(std::span<const domain::StatusChange> rows,
                                                int64_t batch_id);

  // Stores each present attribute of each record (absent ones are left alone). A new
  // attribute is inserted; a different value replaces the stored one with this batch as
  // its source (updated); an equal value is ignored and keeps its original batch.
  base::Result<WriteCounts> UpsertOwnerAttributes(std::span<const domain::OwnerAttributes> rows,
                                                  int64_t batch_id);

 private:
  // Before a write of ID numbers or phones: the pool's values are all sealed under one key.
  // Records the key's fingerprint (migration 0012) at its first sealed write; refuses a
  // keyless write into a pool that holds sealed values, and a write under another key, with
  // FailedPrecondition in Chinese. Checked once per repository and cipher.
  base::Status CheckDataKey();

  Database& db_;
  bool key_checked_ = false;
  const FieldCipher* key_checked_for_ = nullptr;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_HOUSEHOLD_REPOSITORY_H_
