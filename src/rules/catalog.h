// The names a rule may refer to: profile fields and named parameters (`params.NAME`), each
// with its ValueType. The checker checks rules against a FieldCatalog; the engine supplies
// the real profile catalogue, tests a SimpleCatalog.
#ifndef GETIHU_RULES_CATALOG_H_
#define GETIHU_RULES_CATALOG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getihu::rules {

enum class ValueType {
  kBool,
  kInt,
  kMoney,  // integer fen (分)
  kDate,
  kCode,     // a code compared by prefix, e.g. a region or industry code
  kText,     // free text, compared whole
  kCodeSet,  // a set of codes or texts
};

// Returns the type's Chinese name used in messages, e.g. "金额".
inline std::string_view ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kBool:
      return "布尔值";
    case ValueType::kInt:
      return "整数";
    case ValueType::kMoney:
      return "金额";
    case ValueType::kDate:
      return "日期";
    case ValueType::kCode:
      return "代码";
    case ValueType::kText:
      return "文本";
    case ValueType::kCodeSet:
      return "集合";
  }
  return "?";
}

// Returns the type's stable English name, e.g. "money" (used by test data files).
inline std::string_view ValueTypeKey(ValueType t) {
  switch (t) {
    case ValueType::kBool:
      return "bool";
    case ValueType::kInt:
      return "int";
    case ValueType::kMoney:
      return "money";
    case ValueType::kDate:
      return "date";
    case ValueType::kCode:
      return "code";
    case ValueType::kText:
      return "text";
    case ValueType::kCodeSet:
      return "codeset";
  }
  return "?";
}

// Returns the type whose ValueTypeKey is `key`, or nullopt.
inline std::optional<ValueType> ValueTypeFromKey(std::string_view key) {
  for (ValueType t : {ValueType::kBool, ValueType::kInt, ValueType::kMoney, ValueType::kDate,
                      ValueType::kCode, ValueType::kText, ValueType::kCodeSet}) {
    if (ValueTypeKey(t) == key) return t;
  }
  return std::nullopt;
}

// What the checker needs to know about names. Implementations must be thread-safe for
// concurrent const calls.
class FieldCatalog {
 public:
  virtual ~FieldCatalog() = default;
  // Returns the field's type, or nullopt when there is no such field.
  virtual std::optional<ValueType> FieldType(std::string_view name) const = 0;
  // Returns the type of `params.NAME`, or nullopt when there is no such parameter.
  virtual std::optional<ValueType> ParamType(std::string_view name) const = 0;
  // All names, for "did you mean" suggestions.
  virtual std::vector<std::string> FieldNames() const = 0;
  virtual std::vector<std::string> ParamNames() const = 0;
};

// A FieldCatalog held in two maps. Thread-compatible.
class SimpleCatalog : public FieldCatalog {
 public:
  void AddField(std::string name, ValueType type) { fields_[std::move(name)] = type; }
  void AddParam(std::string name, ValueType type) { params_[std::move(name)] = type; }

  std::optional<ValueType> FieldType(std::string_view name) const override {
    return Find(fields_, name);
  }
  std::optional<ValueType> ParamType(std::string_view name) const override {
    return Find(params_, name);
  }
  std::vector<std::string> FieldNames() const override { return Keys(fields_); }
  std::vector<std::string> ParamNames() const override { return Keys(params_); }

 private:
  using Map = std::map<std::string, ValueType, std::less<>>;
  static std::optional<ValueType> Find(const Map& m, std::string_view name) {
    auto it = m.find(name);
    if (it == m.end()) return std::nullopt;
    return it->second;
  }
  static std::vector<std::string> Keys(const Map& m) {
    std::vector<std::string> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
  }
  Map fields_;
  Map params_;
};

}  // namespace getihu::rules

#endif  // GETIHU_RULES_CATALOG_H_
