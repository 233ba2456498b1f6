// Embeds data/regions/regions-2023.tsv (GETIHU_REGION_TSV, set by CMakeLists.txt, which
// also rebuilds this file when the data changes) with the assembler's .incbin, so the
// binary needs no data file at run time.
#include <string_view>

#include "domain/region.h"

#ifndef GETIHU_REGION_TSV
#error "GETIHU_REGION_TSV must name data/regions/regions-2023.tsv"
#endif

// Local labels: the symbols stay private to this object file. A NUL follows the end label
// so the bytes also form a C string.
asm(".section .rodata\n"
    ".balign 16\n"
    "getihu_region_tsv_begin:\n"
    ".incbin \"" GETIHU_REGION_TSV
    "\"\n"
    "getihu_region_tsv_end:\n"
    ".byte 0\n"
    ".previous\n");

namespace getihu::domain::internal {

extern const char kRegionTsvBegin[] asm("getihu_region_tsv_begin");
extern const char kRegionTsvEnd[] asm("getihu_region_tsv_end");

std::string_view BuiltinRegionTsv() {
  return std::string_view(kRegionTsvBegin, static_cast<size_t>(kRegionTsvEnd - kRegionTsvBegin));
}

}  // namespace getihu::domain::internal
