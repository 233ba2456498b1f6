// Embeds data/rules/default-tiering.toml (GETIHU_DEFAULT_TIERING, set by CMakeLists.txt,
// which also rebuilds this file when the data changes) with the assembler's .incbin, as
// domain/region_data.cc does for the region table.
#include "rules/builtin_rule_sets.h"

#ifndef GETIHU_DEFAULT_TIERING
#error "GETIHU_DEFAULT_TIERING must name data/rules/default-tiering.toml"
#endif

asm(".section .rodata\n"
    ".balign 16\n"
    "getihu_default_tiering_begin:\n"
    ".incbin \"" GETIHU_DEFAULT_TIERING
    "\"\n"
    "getihu_default_tiering_end:\n"
    ".byte 0\n"
    ".previous\n");

namespace getihu::rules {

extern const char kDefaultTieringBegin[] asm("getihu_default_tiering_begin");
extern const char kDefaultTieringEnd[] asm("getihu_default_tiering_end");

std::string_view BuiltinRuleSetText(std::string_view name) {
  if (name == kDefaultTiering) {
    return std::string_view(kDefaultTieringBegin,
                            static_cast<size_t>(kDefaultTieringEnd - kDefaultTieringBegin));
  }
  return "";
}

std::vector<std::string_view> BuiltinRuleSetNames() { return {kDefaultTiering}; }

}  // namespace getihu::rules
