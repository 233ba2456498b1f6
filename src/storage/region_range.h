// The range of 6-digit region codes a region prefix covers, for "households in region X"
// queries: equal-length digit strings sort the same in every collation, so
// `region_code BETWEEN low AND high` is a range scan of the region index on every backend.
#ifndef GETIHU_STORAGE_REGION_RANGE_H_
#define GETIHU_STORAGE_REGION_RANGE_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::storage {

struct RegionRange {
  std::string low;   // prefix padded with '0' to 6 digits
  std::string high;  // prefix padded with '9'
};

// Returns the range of `prefix` (0 to 6 digits; "" covers every region), or InvalidArgument
// (Chinese) for anything else.
inline base::Result<RegionRange> RegionRangeOf(std::string_view prefix) {
  constexpr size_t kRegionDigits = 6;
  if (prefix.size() > kRegionDigits ||
      prefix.find_first_not_of("0123456789") != std::string_view::npos) {
    return base::InvalidArgument("行政区划代码前缀应为 0 至 6 位数字：" + std::string(prefix));
  }
  RegionRange r{std::string(prefix), std::string(prefix)};
  r.low.resize(kRegionDigits, '0');
  r.high.resize(kRegionDigits, '9');
  return r;
}

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_REGION_RANGE_H_
