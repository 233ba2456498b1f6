// Loads the validated rows of one file into the pool as batch `batch_id`: resolves each row's
// household, writes it through the repositories and collects the rows it must refuse.
// Internal to workflows/import. Not thread-safe; lives inside the import's transaction.
#ifndef GETIHU_WORKFLOWS_BATCH_LOADER_H_
#define GETIHU_WORKFLOWS_BATCH_LOADER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/household.h"
#include "ingest/feed_layout.h"
#include "ingest/row_validator.h"
#include "storage/database.h"
#include "storage/event_repository.h"
#include "storage/fact_repository.h"
#include "storage/household_repository.h"
#include "workflows/household_index.h"

namespace getihu::workflows {

class BatchLoader {
 public:
  // Called for each row the loader refuses after validation (unknown household, a status
  // change before the registration …).
  using RejectFn = std::function<void(const ingest::RowIssue&)>;

  BatchLoader(storage::Database& db, const ingest::FeedLayout& feed, int64_t batch_id,
              RejectFn reject);

  // Writes one valid row (or refuses it through RejectFn). Errors are database failures.
  base::Status Add(const ingest::ValidRow& row);
  // Writes what is buffered. Call once after the last row.
  base::Status Finish();

  uint64_t accepted() const { return accepted_; }
  uint64_t unchanged() const { return unchanged_; }
  // Facts that corrected a value of an earlier batch (the old value kept in history).
  uint64_t superseded() const { return superseded_; }

 private:
  struct Known {
    int64_t id;
    base::Date registered_on;
  };
  // A registration row waiting for the next flush, in file order.
  struct RegOp {
    domain::StatusChangeKind kind = domain::StatusChangeKind::kEstablished;
    base::Date on;
    std::string uscc;
    int64_t id = 0;                              // negative: provisional (new_households_)
    std::optional<domain::Household> household;  // 设立 of a stored household
    storage::RegisteredItemsChange items;        // 变更
    std::optional<std::string> converted_uscc;   // 个转企
    // Already applied to its household in new_households_ (which this flush inserts): only
    // its history row, with `status`, remains to be written.
    bool folded = false;
    domain::HouseholdStatus status = domain::HouseholdStatus::kActive;
  };

  base::Status AddRegistration(const ingest::ValidRow& row);
  base::Status FlushRegistrations();
  // Applies a status change or 变更 row to a household this flush is about to insert,
  // exactly as the UPDATE statements would after its insert. False when it cannot be folded.
  bool Fold(RegOp& op);
  size_t PendingRegistrations() const { return new_households_.size() + ops_.size(); }
  base::Result<std::optional<Known>> Lookup(const std::string& uscc);
  base::Status Remember(const std::string& uscc, Known known);
  base::Status EnsureIndex();
  base::Status Flush();
  void Refuse(const ingest::ValidRow& row, std::string_view reason, std::string message);

  storage::Database& db_;
  const ingest::FeedLayout& feed_;
  int64_t batch_id_;
  RejectFn reject_;
  storage::HouseholdRepository households_;
  storage::FactRepository facts_;
  storage::EventRepository events_;
  // Every household of the pool and those this batch added, loaded on first use: rows are
  // resolved without database look-ups (about 48 bytes per household of memory).
  std::optional<HouseholdIndex> index_;
  // Buffered records of the current feed, flushed in bulk.
  std::vector<domain::AnnualReport> annual_reports_;
  std::vector<domain::TaxRecord> tax_;
  std::vector<domain::SocialInsuranceRecord> social_;
  std::vector<domain::HousingFundRecord> fund_;
  std::vector<domain::Loan> loans_;
  std::vector<domain::IntellectualProperty> ip_;
  std::vector<domain::Penalty> penalties_;
  std::vector<domain::AbnormalMark> abnormal_;
  std::vector<domain::DishonestDebtorListing> dishonest_;
  std::vector<domain::SafetyAccident> accidents_;
  std::vector<domain::Honour> honours_;
  std::vector<domain::OwnerAttributes> owners_;
  std::vector<domain::StatusChange> history_;
  std::vector<domain::Household> new_households_;
  // Per entry of new_households_: true once a later row of it must be written by statement
  // (a repeated 设立), after which its rows are no longer folded in memory.
  std::vector<bool> unfoldable_;
  // Per entry of new_households_: the date of its 设立 (its status_since until rows are folded).
  std::vector<base::Date> established_on_;
  std::vector<RegOp> ops_;
  size_t buffered_ = 0;
  uint64_t accepted_ = 0;
  uint64_t unchanged_ = 0;
  uint64_t superseded_ = 0;
};

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_BATCH_LOADER_H_
