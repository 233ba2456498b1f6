// A tiering (分型): a rule set's decision table compiled for one frame and as-of date, and
// evaluated over every household on all cores. Hit policy, per household, top down:
//   - an untyped (exclusion) row hits when its condition is true — or unknown: a household
//     we cannot show to be eligible is not typed (reason INSUFFICIENT_DATA, the row and its
//     unknown clauses recorded);
//   - a typed row hits only when its condition is true, so missing data gives the lower
//     type (../shared/domain §2.8);
//   - a household no row hits is untyped with reason NO_MATCH (row −1).
// For a household typed by row r, the result also records which clauses of the next higher
// typed row failed and which were unknown — the compact reason from which an explanation is
// rebuilt. Regional overrides: each household is evaluated with the parameters of the
// longest override prefix of its region. Immutable and thread-safe once compiled.
#ifndef GETIHU_ENGINE_TIERING_H_
#define GETIHU_ENGINE_TIERING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "engine/frame.h"
#include "engine/program.h"
#include "engine/scalar_eval.h"
#include "rules/rule_set.h"

namespace getihu::engine {

struct TierResults {
  std::vector<uint8_t> outcome;     // rules::Outcome per household, in frame order
  std::vector<int8_t> row;          // the decision row that hit; -1 for none
  std::vector<uint32_t> failed;     // clauses of the next higher typed row that were false
  std::vector<uint32_t> unknown;    // ... that were unknown (for an exclusion hit: its own clauses)
  std::vector<int64_t> row_counts;  // households per decision row
  int64_t no_match = 0;
  int64_t outcome_counts[4] = {0, 0, 0, 0};  // by rules::Outcome

  size_t size() const { return outcome.size(); }
  rules::Outcome OutcomeAt(size_t i) const { return static_cast<rules::Outcome>(outcome[i]); }
};

class Tiering {
 public:
  // Compiles every row and clause of `set` against `frame` with the parameters in effect on
  // `as_of` (per region group), then applies `what_if` on top for every region.
  static base::Result<Tiering> Compile(const rules::RuleSet& set, const Frame& frame,
                                       base::Date as_of, const Params& what_if = {});

  // Evaluates every household into `out` (resized; reusing `out` avoids reallocating).
  // `threads` 0 means std::thread::hardware_concurrency().
  void Evaluate(TierResults& out, int threads = 0) const;

  const rules::RuleSet& rule_set() const { return *set_; }
  const Frame& frame() const { return *frame_; }
  base::Date as_of() const { return as_of_; }
  // The parameters used for a household of `region` (6-digit code).
  const Params& ParamsForRegion(std::string_view region) const;
  // The next higher typed row of row r (whose failed clauses explain r), or -1.
  int HigherRow(int r) const { return higher_[static_cast<size_t>(r)]; }

 private:
  struct Group {
    Params params;
    std::string prefix;                         // "" for the national default
    std::vector<std::vector<Program>> clauses;  // [row][clause]
  };
  void EvaluateRange(size_t begin_chunk, size_t end_chunk, TierResults& out,
                     std::vector<int64_t>& row_counts) const;
  void WideMasks(size_t w, size_t begin, size_t count, const std::vector<uint64_t>& hits,
                 const std::vector<uint64_t>& unknown_hits,
                 const std::vector<std::vector<TruthChunk>>& truths, TierResults& out) const;

  const rules::RuleSet* set_ = nullptr;
  const Frame* frame_ = nullptr;
  base::Date as_of_;
  std::vector<Group> groups_;
  std::vector<uint8_t> region_group_;  // region dictionary id → group index
  const Column* region_ = nullptr;
  std::vector<int> higher_;
};

}  // namespace getihu::engine

#endif  // GETIHU_ENGINE_TIERING_H_
