// Transitions between two tierings of the same households (a what-if against its baseline,
// or two runs): the 4×4 matrix of outcomes, the households that move, and the movers counted
// by a grouping column of the frame (township, industry section …). Thread-compatible.
#ifndef GETIHU_ENGINE_TRANSITION_H_
#define GETIHU_ENGINE_TRANSITION_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/frame.h"

namespace getihu::engine {

struct Transitions {
  // matrix[from][to], indexed by rules::Outcome (0 development … 3 untyped).
  std::array<std::array<int64_t, 4>, 4> matrix{};
  int64_t moved = 0;
  std::vector<size_t> movers;  // frame rows whose outcome changed, ascending
};

// Compares `before` and `after` (outcomes per frame row, rules::Outcome values; same size).
Transitions CompareOutcomes(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after);

// Movers counted by the code in `column` (e.g. "township", "section", "region"): code →
// {moved up, moved down}. Up means a higher tier (untyped counts as lowest).
struct MoveCounts {
  int64_t up = 0;
  int64_t down = 0;
};
std::map<std::string, MoveCounts> MoversBy(const Frame& frame, std::string_view column,
                                           const Transitions& t, const std::vector<uint8_t>& before,
                                           const std::vector<uint8_t>& after);

// Rank of an outcome for "up"/"down": development 3, growth 2, survival 1, untyped 0.
int OutcomeRank(uint8_t outcome);

}  // namespace getihu::engine

#endif  // GETIHU_ENGINE_TRANSITION_H_
