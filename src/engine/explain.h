// Explanations for one household: every decision row down to the one that hit (and the next
// higher typed row), every clause with its result, every comparison with the household's
// value, the threshold and how far it is from passing ("上年度营业额 ¥85,000，差 ¥15,000 达到
// 成长型营业额下限 ¥100,000"), and one Chinese summary sentence. Rebuilt on demand with the
// scalar evaluator, so it always agrees with the tiering's rules and parameters.
#ifndef GETIHU_ENGINE_EXPLAIN_H_
#define GETIHU_ENGINE_EXPLAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "engine/scalar_eval.h"
#include "engine/tiering.h"
#include "rules/rule_set.h"

namespace getihu::engine {

struct ComparisonTrace {
  std::string text;       // with labels: "上年度营业额 ≥ 成长型营业额下限"
  std::string subject;    // the household's side: "上年度营业额"
  std::string target;     // the other side: "成长型营业额下限"
  std::string value;      // the household's side, formatted: "¥85,000.00"
  std::string threshold;  // the other side: "¥100,000.00"
  Truth result = Truth::kUnknown;
  std::string gap;  // "差 ¥15,000.00" when false and measurable; "缺少数据" when unknown
};

struct ClauseTrace {
  std::string text;  // the clause as written
  Truth result = Truth::kUnknown;
  std::vector<ComparisonTrace> comparisons;
};

struct RowTrace {
  int row = 0;
  rules::Outcome outcome = rules::Outcome::kUntyped;
  std::string reason;
  std::string label;
  Truth result = Truth::kUnknown;
  bool hit = false;
  std::vector<ClauseTrace> clauses;
};

struct Explanation {
  int64_t household_id = 0;
  rules::Outcome outcome = rules::Outcome::kUntyped;
  int row = -1;
  std::string reason;  // e.g. "GROWTH", "NO_ANNUAL_REPORT", "INSUFFICIENT_DATA", "NO_MATCH"
  std::string label;
  std::vector<RowTrace> rows;        // evaluated rows, top down, to the hit (and the higher row)
  std::vector<std::string> missing;  // labels of fields whose values were missing
  std::string summary;               // one Chinese paragraph
};

// Explains the household at `row` of the tiering's frame.
Explanation Explain(const Tiering& tiering, size_t row);

// The reason code of a stored result: the row's reason, INSUFFICIENT_DATA for an exclusion
// row hit by unknown, NO_MATCH for row −1.
std::string ReasonCode(const rules::RuleSet& set, int row, uint32_t unknown_mask);

// Renders a checked node with Chinese labels for fields and parameters and ≥ ≤ ≠ for
// operators, e.g. "上年度营业额 ≥ 成长型营业额下限".
std::string Render(const rules::Node& node, const rules::RuleSet& set);

}  // namespace getihu::engine

#endif  // GETIHU_ENGINE_EXPLAIN_H_
