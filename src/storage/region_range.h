// The range of 6-digit region codes a region prefix covers, for "households in region X"
// queries: equal-length digit strings sort the same in every collation, so
// `region_code BETWEEN low AND high` is a range scan of the region index on every backend.
#ifndef GETIHU_STORAGE_REGION_RANGE_H_
#define GETIHU_STORAGE_REGION_RANGE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

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

// Whether every household of the pool is in `range` (e.g. a province's pool asked for the
// province): then a bulk read of facts needs no join with the households to keep to the region.
// One probe of the region index either side of the range.
inline base::Result<bool> RegionHoldsEveryHousehold(Database& db, const RegionRange& range) {
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> below,
      db.QueryInt("SELECT 1 FROM households WHERE region_code < ? LIMIT 1", {range.low}));
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> above,
      db.QueryInt("SELECT 1 FROM households WHERE region_code > ? LIMIT 1", {range.high}));
  return !below.has_value() && !above.has_value();
}

// "Dense" when the region holds at least a quarter of the pool's households: then reading the
// pool in id order and skipping the others beats going through the region index (and sorting
// by id). Judged from 256 households spread evenly over the ids (a few milliseconds).
inline base::Result<bool> RegionIsDense(Database& db, const RegionRange& range) {
  GETIHU_ASSIGN_OR_RETURN(bool every, RegionHoldsEveryHousehold(db, range));
  if (every) return true;
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> low,
                          db.QueryInt("SELECT min(id) FROM households"));
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> high,
                          db.QueryInt("SELECT max(id) FROM households"));
  if (!low || !high) return true;
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> probe,
      db.Prepare("SELECT region_code BETWEEN ? AND ? FROM households WHERE id >= ? ORDER BY id"
                 " LIMIT 1"));
  constexpr int kSamples = 256;
  int in_region = 0;
  for (int i = 0; i < kSamples; ++i) {
    int64_t id = *low + (*high - *low) * i / kSamples;
    GETIHU_RETURN_IF_ERROR(probe->Reset());
    GETIHU_RETURN_IF_ERROR(probe->BindAll(std::vector<Value>{range.low, range.high, id}));
    GETIHU_ASSIGN_OR_RETURN(bool row, probe->Step());
    in_region += row && probe->ColumnInt(0) != 0;
  }
  return 4 * in_region >= kSamples;
}

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_REGION_RANGE_H_
