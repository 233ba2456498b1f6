// The stored form of a tiering's results: per household the row of tier_results, with the
// review round's overrides applied, and per run the counts by outcome and by reason. Fed the
// evaluated frame whole or chunk by chunk (in household order), with the same outcome.
// Thread-compatible.
#ifndef GETIHU_WORKFLOWS_TIER_TALLY_H_
#define GETIHU_WORKFLOWS_TIER_TALLY_H_

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "engine/frame.h"
#include "engine/tiering.h"
#include "rules/rule_set.h"
#include "storage/tier_repository.h"

namespace getihu::workflows {

class TierTally {
 public:
  // `overrides`: the outcome an accepted override decision gives, by household. `set` must
  // outlive the tally.
  TierTally(const rules::RuleSet& set, std::map<int64_t, int> overrides);

  // Replaces `rows` with the stored rows of the households of `frame`, evaluated into
  // `results`, and counts them.
  void Add(const engine::Frame& frame, const engine::TierResults& results,
           std::vector<storage::TierResultRow>& rows);

  // Households counted so far, and those given an override's outcome.
  int64_t households() const { return households_; }
  int64_t overrides_applied() const { return overrides_applied_; }
  // Sets the households and the outcome counts of `run`.
  void FillCounts(storage::TierRunRecord& run) const;
  // The counts by (outcome, reason code), in that order.
  std::vector<storage::TierReasonCount> Reasons() const;

 private:
  const rules::RuleSet& set_;
  const std::map<int64_t, int> overrides_;
  // Households per (row, hit by unknown): reason codes are per row, not per household.
  std::vector<std::array<int64_t, 2>> by_row_;  // [row + 1][unknown != 0]
  std::map<int, int64_t> overridden_by_outcome_;
  int64_t counts_[4] = {0, 0, 0, 0};  // by stored outcome
  int64_t households_ = 0;
  int64_t overrides_applied_ = 0;
};

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_TIER_TALLY_H_
