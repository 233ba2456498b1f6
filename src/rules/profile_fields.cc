#include "rules/profile_fields.h"

#include <algorithm>

#include "domain/profile.h"

namespace getihu::rules {
namespace {

ValueType ToValueType(domain::ProfileType t) {
  switch (t) {
    case domain::ProfileType::kBool:
      return ValueType::kBool;
    case domain::ProfileType::kInt:
      return ValueType::kInt;
    case domain::ProfileType::kMoney:
      return ValueType::kMoney;
    case domain::ProfileType::kCode:
      return ValueType::kCode;
    case domain::ProfileType::kCodeSet:
      return ValueType::kCodeSet;
  }
  return ValueType::kText;
}

class ProfileFieldCatalog : public FieldCatalog {
 public:
  ProfileFieldCatalog() {
    for (const domain::ProfileField& f : domain::ProfileCatalog()) {
      // The keys identify a household; a rule about all households never reads them.
      if (f.name == "uscc" || f.name == "household_id") continue;
      types_.emplace(std::string(f.name), ToValueType(f.type));
      names_.emplace_back(f.name);
    }
  }

  std::optional<ValueType> FieldType(std::string_view name) const override {
    auto it = types_.find(name);
    if (it == types_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<ValueType> ParamType(std::string_view) const override { return std::nullopt; }
  std::vector<std::string> FieldNames() const override { return names_; }
  std::vector<std::string> ParamNames() const override { return {}; }

 private:
  std::map<std::string, ValueType, std::less<>> types_;
  std::vector<std::string> names_;  // catalogue order
};

}  // namespace

const FieldCatalog& ProfileFields() {
  static const ProfileFieldCatalog* const catalog = new ProfileFieldCatalog();
  return *catalog;
}

std::optional<ValueType> ExtendedCatalog::FieldType(std::string_view name) const {
  return base_.FieldType(name);
}

std::optional<ValueType> ExtendedCatalog::ParamType(std::string_view name) const {
  auto it = params_.find(name);
  if (it != params_.end()) return it->second;
  return base_.ParamType(name);
}

std::vector<std::string> ExtendedCatalog::ParamNames() const {
  std::vector<std::string> names = base_.ParamNames();
  for (const auto& [name, type] : params_) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

}  // namespace getihu::rules
