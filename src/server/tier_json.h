// JSON views of tier runs: a run with its counts, an explanation clause by clause, a
// transition matrix with movers by area and industry, simulations, diffs and objections.
#ifndef GETIHU_SERVER_TIER_JSON_H_
#define GETIHU_SERVER_TIER_JSON_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "engine/transition.h"
#include "rules/rule_set.h"
#include "server/api_internal.h"
#include "storage/tier_repository.h"
#include "workflows/tier_run.h"

namespace getihu::server {

Json RunJson(const storage::TierRunRecord& r);
// Counts by tier and reason, each reason with its Chinese label from the run's rule set
// (nullptr: codes only).
Json ReasonCountsJson(const std::vector<storage::TierReasonCount>& counts,
                      const rules::RuleSet* set);
Json ExplanationJson(const workflows::HouseholdExplanation& h);
// A matrix by stored outcome code as a list of non-zero cells.
Json MatrixJson(const std::array<std::array<int64_t, 4>, 4>& m);
// A matrix indexed by rules::Outcome, re-indexed by stored outcome code.
std::array<std::array<int64_t, 4>, 4> ByStored(const std::array<std::array<int64_t, 4>, 4>& m);
// Movers by region, township or section code, with the Chinese name, most moves first.
Json MovesJson(const std::map<std::string, engine::MoveCounts>& m);
Json SimulationJson(const workflows::SimulationReport& r, bool with_movers);
Json DiffJson(const workflows::RunDiff& d);
Json ObjectionJson(const storage::Objection& o, const std::string& uscc);
Json ParamsJson(const rules::RuleSet& set);

// Parameter overrides from a JSON object {"name": "value text" or number}, typed by `set`.
// InvalidArgument (Chinese) naming the parameter for an unknown name or a bad value.
base::Result<engine::Params> ParseWhatIf(const rules::RuleSet& set, const Json& values);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_TIER_JSON_H_
