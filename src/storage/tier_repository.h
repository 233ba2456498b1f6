// Tier runs (分型批次) and their per-household results, and objections raised in the review
// round with the staff decisions on them (audit_repository.h logs those actions). A run is
// stored with the full text and SHA-256 of the rule set it used, so that it can be reproduced;
// results are compact (the outcome, the decision row that matched and bit masks of the clauses
// of the next higher row that failed or were unknown), the full explanation being recomputed
// on demand.
// Operates on a Database& that must outlive it; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_TIER_REPOSITORY_H_
#define GETIHU_STORAGE_TIER_REPOSITORY_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/date.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

// Outcome codes as stored: 0 untyped (未分型), 1 survival, 2 growth, 3 development.
inline constexpr int kOutcomeUntyped = 0;
inline constexpr int kOutcomeSurvival = 1;
inline constexpr int kOutcomeGrowth = 2;
inline constexpr int kOutcomeDevelopment = 3;

struct TierRunRecord {
  int64_t id = 0;  // set by InsertRun
  std::string rule_set_name;
  std::string rule_set_version;
  std::string rule_set_sha256;
  std::string rule_set_text;  // the whole TOML file as run
  std::string params_json;    // parameter values set on top of the file ("{}" when none)
  base::Date as_of;
  std::string region_prefix;            // "" for every region
  std::optional<int64_t> based_on_run;  // the run a re-run applied review decisions to
  std::string created_by;
  std::string created_at;  // set by InsertRun (China Standard Time, ISO 8601)
  std::string note;
  int64_t households = 0;
  int64_t untyped = 0, survival = 0, growth = 0, development = 0;
  double seconds = 0;  // evaluation + persistence time
};

// Households per (outcome, reason code) in one run.
struct TierReasonCount {
  int outcome = kOutcomeUntyped;
  std::string reason;
  int64_t households = 0;
};

struct TierResultRow {
  int64_t household_id = 0;
  int outcome = kOutcomeUntyped;
  int row = 0;                // index of the decision row that matched; -1 when none did
  uint32_t failed_mask = 0;   // clauses (bit i = clause i) of the next higher row that were false
  uint32_t unknown_mask = 0;  // ... that were unknown (missing data)
  bool overridden = false;    // set by an accepted override decision
};

// A household's tier in one run, for its history.
struct TierHistoryEntry {
  int64_t run_id = 0;
  base::Date as_of;
  std::string rule_set_version;
  int outcome = kOutcomeUntyped;
  int row = 0;
  bool overridden = false;
};

enum class ObjectionStatus { kOpen, kAccepted, kRejected };
enum class DecisionKind { kNone, kOverride, kDataCorrection, kReject };

// The stored codes: "open", "accepted", "rejected"; "none", "override", "data_correction",
// "reject".
std::string_view ObjectionStatusCode(ObjectionStatus status);
std::string_view DecisionKindCode(DecisionKind decision);

struct Objection {
  int64_t id = 0;  // set by FileObjection
  int64_t run_id = 0;
  int64_t household_id = 0;
  std::string filed_by;  // who raised it (owner name, or staff on the owner's behalf)
  std::string filed_at;  // set by FileObjection
  std::string claim;     // the owner's words
  std::optional<int> requested_outcome;
  ObjectionStatus status = ObjectionStatus::kOpen;
  DecisionKind decision = DecisionKind::kNone;
  std::optional<int> override_outcome;  // kOverride: the outcome the re-run must assign
  std::string decision_reason;          // required for every decision
  std::string reviewer;
  std::string decided_at;
  std::optional<int64_t> correction_batch_id;  // kDataCorrection: the batch that fixed the data
};

class TierRepository {
 public:
  explicit TierRepository(Database& db) : db_(db) {}
  // As above, with `clock` for the timestamps it sets (base::SystemClock() otherwise).
  // `clock` must outlive the repository.
  TierRepository(Database& db, const base::Clock& clock) : db_(db), clock_(&clock) {}

  // Stores the run and its reason counts; sets id and created_at, returns the id. Runs in the
  // open transaction or its own. InvalidArgument when a field breaks the schema (a hash that
  // is not 64 characters, outcome counts that do not add up to households, an unknown
  // based_on_run); AlreadyExists for a reason listed twice.
  base::Result<int64_t> InsertRun(TierRunRecord& run, std::span<const TierReasonCount> reasons);
  // Appends results of a run (any order, each household once per run), set-based: multi-row
  // INSERT statements of a few hundred rows each, prepared once. In the open transaction or
  // its own. Rows are written in household id order (sorted here when they are not).
  // InvalidArgument when a household is not in the pool, the run does not exist or a value
  // breaks the schema; AlreadyExists when a household already has a result in the run.
  base::Status InsertResults(int64_t run_id, std::span<const TierResultRow> rows);
  // Records the outcome counts, households, time and reason counts of a run stored ahead of
  // its results (InsertRun with zero counts and no reasons), once they are all stored. In the
  // open transaction or its own. NotFound when there is no such run; InvalidArgument when the
  // counts do not add up to households; AlreadyExists for a reason listed twice or already
  // stored.
  base::Status FinishRun(const TierRunRecord& run, std::span<const TierReasonCount> reasons);
  // Records the run's total time once its results are stored. NotFound when there is no such
  // run.
  base::Status SetRunSeconds(int64_t run_id, double seconds);
  // Every run, newest first (rule_set_text left empty).
  base::Result<std::vector<TierRunRecord>> ListRuns();
  // One run with its text; nullopt when there is no such run.
  base::Result<std::optional<TierRunRecord>> GetRun(int64_t run_id);
  // The run's reason counts by outcome, then most households first.
  base::Result<std::vector<TierReasonCount>> ReasonCounts(int64_t run_id);
  // Calls fn for each result of the run in household id order; stops at fn's first error.
  // Reads a page of rows at a time, so memory stays bounded on every backend.
  base::Status ScanResults(int64_t run_id,
                           const std::function<base::Status(const TierResultRow&)>& fn);
  // As ScanResults, reading only each household's outcome (the statistics' need: a third of
  // the columns).
  base::Status ScanOutcomes(
      int64_t run_id, const std::function<base::Status(int64_t household_id, int outcome)>& fn);
  // As ScanOutcomes for the households of `household_ids` only (ascending), each looked up by
  // key: for a district's statistics in a province's pool, where reading the whole run would
  // cost the province. One query per household: for SQLite, in the same process.
  base::Status FindOutcomes(
      int64_t run_id, std::span<const int64_t> household_ids,
      const std::function<base::Status(int64_t household_id, int outcome)>& fn);
  base::Result<std::optional<TierResultRow>> GetResult(int64_t run_id, int64_t household_id);
  // The household's result in every run, by as_of then run id.
  base::Result<std::vector<TierHistoryEntry>> History(int64_t household_id);

  // Review round.
  // Stores a new open objection; sets id, filed_at and the open state, returns the id.
  // InvalidArgument when the claim or filed_by is empty or the household has no result in the
  // run; AlreadyExists when it already has an open objection in that run.
  base::Result<int64_t> FileObjection(Objection& objection);
  // Records a decision on an open objection. FailedPrecondition when it is not open;
  // InvalidArgument when the reason or reviewer is empty or an override has no outcome.
  // Also InvalidArgument for kNone, an outcome given to anything but an override, or a
  // correction batch given to anything but a data correction; NotFound when there is no
  // such objection. Override and data correction accept the objection, reject rejects it.
  base::Status DecideObjection(int64_t objection_id, DecisionKind decision,
                               std::optional<int> override_outcome, std::string reason,
                               std::string reviewer, std::optional<int64_t> correction_batch_id);
  base::Result<std::optional<Objection>> GetObjection(int64_t objection_id);
  // Objections of a run (all runs when run_id is 0), optionally only those with `status`,
  // in filing order.
  base::Result<std::vector<Objection>> ListObjections(int64_t run_id,
                                                      std::optional<ObjectionStatus> status);

 private:
  Database& db_;
  const base::Clock* clock_ = &base::SystemClock();
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_TIER_REPOSITORY_H_
