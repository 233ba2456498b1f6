#include "engine/transition.h"

#include "rules/rule_set.h"

namespace getihu::engine {

int OutcomeRank(uint8_t outcome) {
  switch (static_cast<rules::Outcome>(outcome)) {
    case rules::Outcome::kDevelopment:
      return 3;
    case rules::Outcome::kGrowth:
      return 2;
    case rules::Outcome::kSurvival:
      return 1;
    default:
      return 0;
  }
}

Transitions CompareOutcomes(const std::vector<uint8_t>& before, const std::vector<uint8_t>& after) {
  Transitions t;
  size_t n = std::min(before.size(), after.size());
  for (size_t i = 0; i < n; ++i) {
    uint8_t a = before[i] & 3, b = after[i] & 3;
    ++t.matrix[a][b];
    if (a != b) t.movers.push_back(i);
  }
  t.moved = static_cast<int64_t>(t.movers.size());
  return t;
}

std::map<std::string, MoveCounts> MoversBy(const Frame& frame, std::string_view column,
                                           const Transitions& t, const std::vector<uint8_t>& before,
                                           const std::vector<uint8_t>& after) {
  std::map<std::string, MoveCounts> out;
  const Column* c = frame.Find(column);
  for (size_t row : t.movers) {
    std::string key = "（未知）";
    if (c && c->field->type == domain::ProfileType::kCode && c->IsKnown(row)) {
      key = c->dictionary[static_cast<size_t>(c->ints.Get(row))];
    }
    MoveCounts& m = out[key];
    if (OutcomeRank(after[row]) > OutcomeRank(before[row])) {
      ++m.up;
    } else {
      ++m.down;
    }
  }
  return out;
}

}  // namespace getihu::engine
