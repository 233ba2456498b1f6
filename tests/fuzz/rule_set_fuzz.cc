// libFuzzer harness for rule-set files (docs/rule-sets.md): any bytes, parsed as a rule set
// against the profile catalogue, must give a RuleSet that keeps the documented invariants or an
// InvalidArgument error whose Chinese message starts with the file name — never a crash, an
// uncaught exception, a hang, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "base/status.h"
#include "rules/profile_fields.h"
#include "rules/rule_set.h"

namespace {

namespace rules = getihu::rules;
using getihu::base::StatusCode;

constexpr std::string_view kSource = "fuzz.toml";
constexpr int64_t kMaxFen = 100'000'000'000'000'000;  // ¥10^15, base::Money::ParseYuan's limit

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "rule_set_fuzz: %s\n", what);
  __builtin_trap();
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsRegionPrefix(std::string_view s) {
  if (s.size() != 2 && s.size() != 4 && s.size() != 6) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Steps are non-empty, strictly increasing by `from` and of the parameter's type.
void CheckSteps(const std::vector<rules::ParamStep>& steps, rules::ValueType type) {
  if (steps.empty()) Fail("a parameter without steps");
  for (size_t k = 0; k < steps.size(); ++k) {
    if (steps[k].value.type != type) Fail("a step of the wrong type");
    if (k > 0 && !(steps[k - 1].from < steps[k].from)) Fail("steps not strictly increasing");
    // Renders every value; for the numeric types, what FormatParamValue writes must parse back
    // (ParseParamValue takes "the same syntax") to the same value.
    // Money only within what ParseParamValue accepts (¥10^15; a file's "¥…" string may say more).
    std::string shown = rules::FormatParamValue(steps[k].value);
    const int64_t v = steps[k].value.int_value;
    const bool money_in_range = v >= -kMaxFen && v <= kMaxFen;
    if (type == rules::ValueType::kInt || type == rules::ValueType::kBool ||
        type == rules::ValueType::kDate || (type == rules::ValueType::kMoney && money_in_range)) {
      auto back = rules::ParseParamValue(type, shown);
      if (!back.ok() || !(*back == steps[k].value)) {
        std::fprintf(stderr, "value shown as \"%s\"\n", shown.c_str());
        Fail("FormatParamValue does not parse back with ParseParamValue");
      }
    }
  }
}

void CheckRuleSet(const rules::RuleSet& set) {
  if (set.name.empty() || set.version.empty()) Fail("empty name or version");
  if (set.sha256.size() != 64 || !IsLowerHex(set.sha256)) Fail("sha256 is not 64 hex digits");
  if (set.rows.empty() || set.rows.size() > 64) Fail("rows empty or over 64");
  bool typed = false;
  for (const rules::DecisionRow& row : set.rows) {
    if (row.rule.root == nullptr || row.rule.type != rules::ValueType::kBool) {
      Fail("a row without a boolean rule");
    }
    if (row.clauses.empty() || row.clauses.size() > 32) Fail("clauses empty or over 32");
    for (const rules::Clause& c : row.clauses) {
      if (c.rule.root == nullptr || c.rule.type != rules::ValueType::kBool) {
        Fail("a clause without a boolean rule");
      }
    }
    if (row.line < 1 || row.when.empty() || row.reason.empty()) Fail("row line, when or reason");
    if (row.outcome != rules::Outcome::kUntyped) typed = true;
    if (rules::OutcomeKey(row.outcome) == "?") Fail("an invalid outcome");
  }
  if (!typed) Fail("no typed row");
  for (const rules::ParamDef& p : set.params) {
    if (p.name.empty()) Fail("a parameter without a name");
    if (set.FindParam(p.name) != &p) Fail("FindParam does not find a parameter");
    CheckSteps(p.steps, p.type);
  }
  for (const rules::RegionOverride& o : set.overrides) {
    if (!IsRegionPrefix(o.region_prefix)) Fail("an invalid override prefix");
    for (const auto& [name, steps] : o.params) {
      const rules::ParamDef* def = set.FindParam(name);
      if (def == nullptr) Fail("an override of an undefined parameter");
      CheckSteps(steps, def->type);
    }
  }
  for (const rules::RuleSetWarning& w : set.warnings) {
    if (w.message.empty()) Fail("an empty warning");
  }
  // The values in effect: every parameter, or FailedPrecondition before a first step.
  for (std::string_view region : {"", "540102", "500113"}) {
    auto values = set.ParamsFor(region, set.effective_on);
    if (values.ok()) {
      if (values->size() != set.params.size()) Fail("ParamsFor misses a parameter");
    } else if (values.error().code() != StatusCode::kFailedPrecondition ||
               values.error().message().empty()) {
      Fail("ParamsFor failed other than FailedPrecondition");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto set = rules::ParseRuleSet(text, kSource, rules::ProfileFields());
  if (set.ok()) {
    CheckRuleSet(*set);
    return 0;
  }
  const auto& e = set.error();
  if (e.code() != StatusCode::kInvalidArgument && e.code() != StatusCode::kNotFound) {
    Fail("an error other than InvalidArgument or NotFound");
  }
  // "fuzz.toml 第 N 行…：…" — names the file and is written in Chinese (non-ASCII).
  const std::string& m = e.message();
  if (!m.starts_with(kSource) || m.size() <= kSource.size()) Fail("message without the file name");
  bool non_ascii = false;
  for (char c : m) non_ascii = non_ascii || static_cast<unsigned char>(c) >= 0x80;
  if (!non_ascii) Fail("a message that is not Chinese");
  return 0;
}
