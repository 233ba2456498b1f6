// Tier runs (分型) end to end: build the frame of a region as of a date from the pool,
// evaluate a rule set's decision table over it (engine/tiering.h), and store the run with
// its rule-set text and hash, counts by outcome and reason, and per household the outcome and
// compact reason (storage/tier_repository.h) — all in one transaction. Also what the `tier`
// commands need on top: explanations of stored results, what-if simulations against a stored
// run, the difference of two runs, and re-runs that apply the review round's decisions.
// Thread-compatible like the Database.
#ifndef GETIHU_WORKFLOWS_TIER_RUN_H_
#define GETIHU_WORKFLOWS_TIER_RUN_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "engine/explain.h"
#include "engine/frame.h"
#include "engine/tiering.h"
#include "engine/transition.h"
#include "rules/rule_set.h"
#include "storage/database.h"
#include "storage/tier_repository.h"

namespace getihu::workflows {

// The frame of every household of `region_prefix` (0–6 digits) registered by `as_of`, with
// the profile fields `fields` (empty: all; others keep their defaults and must not be read).
base::Result<engine::Frame> BuildFrame(storage::Database& db, std::string_view region_prefix,
                                       base::Date as_of, std::span<const std::string> fields = {});

// The profile fields a rule set's conditions read (so a run reads only those from the pool).
std::vector<std::string> FieldsUsed(const rules::RuleSet& set);

// Stored outcome codes (storage::kOutcome*) from and to the engine's rules::Outcome.
int StoredOutcome(rules::Outcome o);
rules::Outcome OutcomeFromStored(int stored);

struct TierRunOptions {
  base::Date as_of;
  std::string region_prefix;
  std::string created_by = "system";
  std::string note;
  // A re-run after the review round: the accepted override decisions on objections to this
  // run are applied (their households get the decided outcome, marked overridden); accepted
  // data corrections take effect because the corrected data is in the pool.
  std::optional<int64_t> review_of;
  int threads = 0;  // 0: every core
  // Opens a second connection to the same database. When given (and it opens), the pool is
  // read on it by a second thread while this one evaluates and stores, on the run's
  // connection, the chunks of chunk_households households read so far: the phases overlap,
  // and the run still stores all its results in one transaction or none. Otherwise the frame
  // is read whole first. Must not be given for a private in-memory database.
  std::function<base::Result<std::unique_ptr<storage::Database>>()> open_reader;
  size_t chunk_households = 16384;
  // Pipelined runs only: called on the reading thread after each chunk with the households
  // read so far; an error stops the run, which then stores nothing.
  std::function<base::Status(int64_t households)> on_chunk_read;
};

struct TierRunReport {
  storage::TierRunRecord run;
  std::vector<storage::TierReasonCount> reasons;
  int64_t overrides_applied = 0;
  size_t frame_bytes = 0;
  // The time each phase took. In a pipelined run they overlap: frame_seconds runs until the
  // last household is read, and the others add up the work on each chunk.
  double frame_seconds = 0, evaluate_seconds = 0, persist_seconds = 0;
};

// Runs and stores a tiering. `rule_text` is the file `set` was parsed from (stored with the
// run). InvalidArgument when the rule set does not compile for the frame.
base::Result<TierRunReport> RunTiering(storage::Database& db, const rules::RuleSet& set,
                                       std::string_view rule_text, const TierRunOptions& options);

// Re-parses the rule set a run stored (so that explanations use exactly its rules).
base::Result<rules::RuleSet> RuleSetOfRun(const storage::TierRunRecord& run);

struct HouseholdExplanation {
  std::string uscc;
  storage::TierRunRecord run;
  storage::TierResultRow stored;
  engine::Explanation explanation;  // recomputed from the pool as of the run's date
  bool agrees = true;  // the recomputation gives the stored outcome (false after data changes)
};

// Explains `uscc`'s result in `run_id` (the latest run when nullopt). NotFound for an unknown
// USCC, a missing run, or a household the run did not cover.
base::Result<HouseholdExplanation> ExplainHousehold(storage::Database& db, std::string_view uscc,
                                                    std::optional<int64_t> run_id);

struct Mover {
  int64_t household_id = 0;
  std::string uscc;
  int from = 0, to = 0;  // stored outcome codes
  std::string township, industry;
};

struct SimulationReport {
  storage::TierRunRecord baseline;
  engine::Params what_if;
  engine::Transitions transitions;  // indexed by rules::Outcome
  std::map<std::string, engine::MoveCounts> by_township, by_section;
  std::vector<Mover> movers;  // filled when asked for
  double evaluate_seconds = 0;
};

// Evaluates `set` (the baseline run's own rule set when nullptr) with `what_if` over the
// baseline run's region and date, and compares with the run's stored outcomes.
base::Result<SimulationReport> Simulate(storage::Database& db, int64_t baseline_run,
                                        const rules::RuleSet* set, const engine::Params& what_if,
                                        bool list_movers);

struct RunDiff {
  storage::TierRunRecord a, b;
  std::array<std::array<int64_t, 4>, 4> matrix{};  // [from][to] by stored outcome code
  int64_t only_in_a = 0, only_in_b = 0;
  std::map<std::string, engine::MoveCounts> by_region, by_section;
};

// The transition matrix from run `a` to run `b`, movers counted by region and industry
// section (taken from the pool as of b's date).
base::Result<RunDiff> DiffRuns(storage::Database& db, int64_t a, int64_t b);

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_TIER_RUN_H_
