// libFuzzer harness for the rule language: any bytes, parsed and type-checked against a
// small catalogue, must give a checked rule or a RuleError with a position inside the text
// and a non-empty message — never a crash, a hang, a leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "rules/catalog.h"
#include "rules/checker.h"

namespace {

using getihu::rules::SimpleCatalog;
using getihu::rules::ValueType;

const SimpleCatalog& Catalog() {
  static const SimpleCatalog* catalog = [] {
    auto* c = new SimpleCatalog();
    c->AddField("revenue", ValueType::kMoney);
    c->AddField("employees", ValueType::kInt);
    c->AddField("abnormal", ValueType::kBool);
    c->AddField("opened_on", ValueType::kDate);
    c->AddField("industry", ValueType::kCode);
    c->AddField("owner_name", ValueType::kText);
    c->AddField("licences", ValueType::kCodeSet);
    c->AddParam("revenue_min", ValueType::kMoney);
    c->AddParam("regions", ValueType::kCodeSet);
    return c;
  }();
  return *catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (bool require_bool : {true, false}) {
    auto rule = getihu::rules::CompileRule(text, Catalog(), {.require_bool = require_bool});
    if (rule) {
      if (rule->cost <= 0 || rule->root == nullptr) __builtin_trap();
    } else {
      const auto& e = rule.error();
      if (e.line < 1 || e.column < 1 || e.message.empty()) __builtin_trap();
      if (static_cast<size_t>(e.line) > size + 1) __builtin_trap();
    }
  }
  return 0;
}
