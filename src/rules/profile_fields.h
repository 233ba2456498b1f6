// The field catalogue of household profiles for the rule checker, and a catalogue that adds
// parameters (a rule set's own) to another. Thread-safe for concurrent const calls.
#ifndef GETIHU_RULES_PROFILE_FIELDS_H_
#define GETIHU_RULES_PROFILE_FIELDS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/catalog.h"

namespace getihu::rules {

// The fields of domain::ProfileCatalog() with their rule types (bool, int, money, code,
// codeset), except the keys `uscc` and `household_id` (a rule is about every household; the
// engine's frames do not hold the keys as values); no parameters. Built once; thread-safe.
const FieldCatalog& ProfileFields();

// `base` plus parameters added here; an added parameter hides one of `base` with the same
// name. Not thread-safe while parameters are being added; safe for concurrent const calls
// afterwards. `base` must outlive it.
class ExtendedCatalog : public FieldCatalog {
 public:
  explicit ExtendedCatalog(const FieldCatalog& base) : base_(base) {}

  void AddParam(std::string name, ValueType type) { params_[std::move(name)] = type; }

  std::optional<ValueType> FieldType(std::string_view name) const override;
  std::optional<ValueType> ParamType(std::string_view name) const override;
  std::vector<std::string> FieldNames() const override { return base_.FieldNames(); }
  std::vector<std::string> ParamNames() const override;

 private:
  const FieldCatalog& base_;
  std::map<std::string, ValueType, std::less<>> params_;
};

}  // namespace getihu::rules

#endif  // GETIHU_RULES_PROFILE_FIELDS_H_
