// Rule sets: versioned TOML files (docs/rule-sets.md) holding a decision table — rows
// evaluated top down, the first whose condition is true wins — with named, dated parameters
// kept apart from the conditions and regional overrides of the national default. A loaded
// rule set is immutable and carries the SHA-256 of its file, so that any stored result can
// be reproduced. Thread-compatible; a const RuleSet is safe to share.
#ifndef GETIHU_RULES_RULE_SET_H_
#define GETIHU_RULES_RULE_SET_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "rules/catalog.h"
#include "rules/checker.h"

namespace getihu::rules {

// A parameter's value. kBool/kInt/kMoney (fen)/kDate (days since 1970-01-01) use
// `int_value`; kCodeSet uses `items`; kCode/kText use `text`.
struct ParamValue {
  ValueType type = ValueType::kInt;
  int64_t int_value = 0;
  std::string text;
  std::vector<std::string> items;

  bool operator==(const ParamValue&) const = default;
};

// Renders a value the way a user writes it: 36, ¥1,000,000, 2026-07-01, ["F", "H"], true.
std::string FormatParamValue(const ParamValue& value);
// Parses `text` as a value of `type` in the same syntax (for `--set NAME=VALUE`): integers,
// money as "¥1000000" / "1000000" yuan / "12.50", dates YYYY-MM-DD, true/false, sets as
// comma-separated items with or without brackets. InvalidArgument with a Chinese message.
base::Result<ParamValue> ParseParamValue(ValueType type, std::string_view text);

// A parameter: a step function of dates. The value in effect on day D is that of the last
// step whose `from` is on or before D.
struct ParamStep {
  base::Date from;
  ParamValue value;
};
struct ParamDef {
  std::string name;  // identifier, used in rules as params.NAME
  ValueType type = ValueType::kInt;
  std::string label;             // Chinese, e.g. "发展型营业额下限"
  std::string unit;              // e.g. "元", "月", "人"; may be empty
  std::vector<ParamStep> steps;  // sorted by `from`, at least one
};

// Parameter values that replace the national default for households whose region code
// starts with `region_prefix` (2, 4 or 6 digits). The longest matching prefix wins.
struct RegionOverride {
  std::string region_prefix;
  std::string label;  // e.g. "西藏自治区"
  std::map<std::string, std::vector<ParamStep>, std::less<>> params;
};

// The outcome a row assigns.
enum class Outcome { kDevelopment, kGrowth, kSurvival, kUntyped };
std::string_view OutcomeKey(Outcome o);   // "development", "growth", "survival", "untyped"
std::string_view OutcomeName(Outcome o);  // "发展型", "成长型", "生存型", "未分型"
std::optional<Outcome> OutcomeFromKey(std::string_view key);

// One top-level conjunct of a row's condition (`a && b && c` has three), so that a reason
// can name the clause that failed.
struct Clause {
  std::string text;  // the clause's source text, trimmed
  CheckedRule rule;  // the clause compiled on its own
};

struct DecisionRow {
  Outcome outcome = Outcome::kSurvival;
  std::string reason;  // reason code, e.g. "NO_ANNUAL_REPORT"; for typed rows e.g. "DEVELOPMENT"
  std::string label;   // Chinese, e.g. "未报送上年度年报"
  std::string when;    // the condition's text
  CheckedRule rule;    // the whole condition, compiled
  std::vector<Clause> clauses;  // its top-level conjuncts; one when it has no top-level &&
  int line = 0;                 // line of the row in the file, for messages
};

// A warning from the static checks: unreachable rows, gaps, unused parameters.
struct RuleSetWarning {
  int line = 0;
  std::string message;  // Chinese
};

struct RuleSet {
  std::string name;     // e.g. "default-tiering"
  std::string version;  // e.g. "2026.1"
  std::string title;    // Chinese
  base::Date effective_on;
  std::string sha256;  // lowercase hex of the file's bytes
  std::vector<ParamDef> params;
  std::vector<RegionOverride> overrides;
  std::vector<DecisionRow> rows;
  std::vector<RuleSetWarning> warnings;

  const ParamDef* FindParam(std::string_view name) const;
  // The parameter values in effect for `region` (a 6-digit code; "" for the national
  // default) on `as_of`. FailedPrecondition when a parameter has no step on or before
  // `as_of`.
  base::Result<std::map<std::string, ParamValue, std::less<>>> ParamsFor(std::string_view region,
                                                                         base::Date as_of) const;
};

// Parses and checks a rule-set file's text against `fields` (the profile catalogue; the
// file's own parameters are added to it). `source` names the file in messages. Errors are
// InvalidArgument with a Chinese message naming the line and, for a condition, the line and
// column inside the file: "default-tiering.toml 第 41 行第 18 列：未知字段“revenu”…".
base::Result<RuleSet> ParseRuleSet(std::string_view text, std::string_view source,
                                   const FieldCatalog& fields);
// Reads and parses a file. NotFound when it does not exist.
base::Result<RuleSet> LoadRuleSetFile(const std::string& path, const FieldCatalog& fields);

}  // namespace getihu::rules

#endif  // GETIHU_RULES_RULE_SET_H_
