#include "workflows/tier_tally.h"

#include <string>
#include <utility>

#include "engine/explain.h"
#include "workflows/tier_run.h"

namespace getihu::workflows {

TierTally::TierTally(const rules::RuleSet& set, std::map<int64_t, int> overrides)
    : set_(set), overrides_(std::move(overrides)), by_row_(set.rows.size() + 1, {0, 0}) {}

void TierTally::Add(const engine::Frame& frame, const engine::TierResults& results,
                    std::vector<storage::TierResultRow>& rows) {
  rows.resize(frame.size());
  const std::vector<int64_t>& ids = frame.household_ids();
  for (size_t i = 0; i < frame.size(); ++i) {
    storage::TierResultRow& r = rows[i];
    r.household_id = ids[i];
    r.outcome = StoredOutcome(results.OutcomeAt(i));
    r.row = results.row[i];
    r.failed_mask = results.failed[i];
    r.unknown_mask = results.unknown[i];
    r.overridden = false;
    if (!overrides_.empty()) {
      if (auto it = overrides_.find(r.household_id); it != overrides_.end()) {
        r.outcome = it->second;
        r.overridden = true;
        ++overridden_by_outcome_[r.outcome];
        ++overrides_applied_;
        ++counts_[r.outcome];
        continue;
      }
    }
    ++by_row_[static_cast<size_t>(r.row + 1)][r.unknown_mask != 0 ? 1 : 0];
    ++counts_[r.outcome];
  }
  households_ += static_cast<int64_t>(frame.size());
}

void TierTally::FillCounts(storage::TierRunRecord& run) const {
  run.households = households_;
  run.untyped = counts_[storage::kOutcomeUntyped];
  run.survival = counts_[storage::kOutcomeSurvival];
  run.growth = counts_[storage::kOutcomeGrowth];
  run.development = counts_[storage::kOutcomeDevelopment];
}

std::vector<storage::TierReasonCount> TierTally::Reasons() const {
  std::map<std::pair<int, std::string>, int64_t> reasons;
  for (size_t k = 0; k < by_row_.size(); ++k) {
    int row = static_cast<int>(k) - 1;
    int outcome = row < 0 ? storage::kOutcomeUntyped
                          : StoredOutcome(set_.rows[static_cast<size_t>(row)].outcome);
    for (int unknown = 0; unknown < 2; ++unknown) {
      int64_t n = by_row_[k][static_cast<size_t>(unknown)];
      if (n) reasons[{outcome, engine::ReasonCode(set_, row, unknown ? 1u : 0u)}] += n;
    }
  }
  for (const auto& [outcome, n] : overridden_by_outcome_) {
    reasons[{outcome, "REVIEW_OVERRIDE"}] += n;
  }
  std::vector<storage::TierReasonCount> out;
  for (const auto& [key, n] : reasons) out.push_back({key.first, key.second, n});
  return out;
}

}  // namespace getihu::workflows
