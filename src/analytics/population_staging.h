// The population as read from the pool, before Population::Finish orders it: households in id
// order, dictionary ids in the order met; and a population's columns for its image
// (pool_image.h). Internal to analytics/: population.cc and pool_image.cc.
#ifndef GETIHU_ANALYTICS_POPULATION_STAGING_H_
#define GETIHU_ANALYTICS_POPULATION_STAGING_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analytics/population.h"
#include "base/memory.h"

namespace getihu::analytics {

// Hashing for maps keyed by std::string looked up by std::string_view.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
template <typename V>
using TextMap = std::unordered_map<std::string, V, TextHash, std::equal_to<>>;

// Dictionary ids of codes in the order met, 0 for "".
class Dictionary {
 public:
  Dictionary() { IdOf(""); }
  uint32_t IdOf(std::string_view code) {
    // Codes repeat row after row (households of a township come together).
    if (last_ != nullptr && *last_ == code) return last_id_;
    auto it = ids_.find(code);
    if (it == ids_.end()) {
      it = ids_.emplace(std::string(code), static_cast<uint32_t>(codes_.size())).first;
      codes_.emplace_back(code);
    }
    last_ = &it->first;
    last_id_ = it->second;
    return it->second;
  }
  const std::vector<std::string>& codes() const { return codes_; }
  // Sorts the codes into `sorted` and returns each old id's new one.
  std::vector<uint32_t> Sort(std::vector<std::string>& sorted) const {
    std::vector<uint32_t> order(codes_.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return codes_[a] < codes_[b]; });
    std::vector<uint32_t> new_id(codes_.size());
    sorted.clear();
    for (uint32_t i = 0; i < order.size(); ++i) {
      new_id[order[i]] = i;
      sorted.push_back(codes_[order[i]]);
    }
    return new_id;
  }

 private:
  std::vector<std::string> codes_;
  TextMap<uint32_t> ids_;
  const std::string* last_ = nullptr;  // the code of the last lookup (map nodes stay put)
  uint32_t last_id_ = 0;
};

// The population as read, in household id order, with dictionary ids in the order met.
struct PopulationStaging {
  Dictionary regions, townships, sections;
  std::vector<int64_t> ids;
  std::vector<int32_t> registered;
  std::vector<uint32_t> region, township, area;
  std::unordered_map<uint64_t, uint32_t> area_of;  // region id << 32 | township id → area
  std::vector<uint64_t> areas;                     // by area: region id << 32 | township id
  std::vector<uint8_t> section, division, sector, online;
  std::vector<uint32_t> change_begin{0};
  std::vector<int32_t> change_day;
  std::vector<StatusClass> change_class;
  uint64_t last_pair_ = 0;  // AreaOf's last lookup
  uint32_t last_area_ = 0;

  // The area of a (region id, township id) pair, a new one when first met.
  uint32_t AreaOf(uint32_t region_id, uint32_t township_id) {
    const uint64_t pair = uint64_t{region_id} << 32 | township_id;
    if (pair == last_pair_ && !areas.empty()) return last_area_;
    auto [it, added] = area_of.try_emplace(pair, static_cast<uint32_t>(areas.size()));
    if (added) areas.push_back(pair);
    last_pair_ = pair;
    last_area_ = it->second;
    return it->second;
  }

  // Appends the households of `other`, read from ids above this one's, remapping its
  // dictionary and area ids to this one's.
  void Append(const PopulationStaging& other) {
    auto remap = [](Dictionary& to, const Dictionary& from) {
      std::vector<uint32_t> id;
      for (const std::string& code : from.codes()) id.push_back(to.IdOf(code));
      return id;
    };
    const std::vector<uint32_t> region_id = remap(regions, other.regions);
    const std::vector<uint32_t> township_id = remap(townships, other.townships);
    const std::vector<uint32_t> section_id = remap(sections, other.sections);
    std::vector<uint32_t> area_id;
    for (uint64_t a : other.areas) {
      area_id.push_back(AreaOf(region_id[a >> 32], township_id[a & 0xffffffff]));
    }
    ids.insert(ids.end(), other.ids.begin(), other.ids.end());
    registered.insert(registered.end(), other.registered.begin(), other.registered.end());
    for (uint32_t r : other.region) region.push_back(region_id[r]);
    for (uint32_t t : other.township) township.push_back(township_id[t]);
    for (uint32_t a : other.area) area.push_back(area_id[a]);
    for (uint8_t s : other.section) section.push_back(static_cast<uint8_t>(section_id[s]));
    division.insert(division.end(), other.division.begin(), other.division.end());
    sector.insert(sector.end(), other.sector.begin(), other.sector.end());
    online.insert(online.end(), other.online.begin(), other.online.end());
    // change_begin holds one more offset than there are households, the last one where the
    // next household's changes start: `other`'s first.
    const uint32_t offset = static_cast<uint32_t>(change_day.size());
    for (size_t k = 1; k < other.change_begin.size(); ++k) {
      change_begin.push_back(offset + other.change_begin[k]);
    }
    change_day.insert(change_day.end(), other.change_day.begin(), other.change_day.end());
    change_class.insert(change_class.end(), other.change_class.begin(), other.change_class.end());
  }

  // For n households and, as generated and registered pools have it, fewer than two status
  // changes each.
  void Reserve(size_t n) {
    base::ReserveColumn(ids, n);
    base::ReserveColumn(registered, n);
    base::ReserveColumn(region, n);
    base::ReserveColumn(township, n);
    base::ReserveColumn(area, n);
    base::ReserveColumn(section, n);
    base::ReserveColumn(division, n);
    base::ReserveColumn(sector, n);
    base::ReserveColumn(online, n);
    base::ReserveColumn(change_begin, n + 1);
    base::ReserveColumn(change_day, 2 * n);
    base::ReserveColumn(change_class, 2 * n);
  }
};

// A whole population's columns wherever they are held (a Population, or its image in a file):
// Population's members as read-only spans, the status classes as bytes.
struct PopulationColumns {
  std::vector<std::string> regions, townships, sections;
  std::span<const uint32_t> area_region, area_township;
  std::span<const int64_t> ids;
  std::span<const uint32_t> rows_by_id;
  std::span<const int32_t> registered;
  std::span<const uint32_t> area;
  std::span<const uint8_t> section, division, sector, online;
  std::span<const uint32_t> change_begin;
  std::span<const int32_t> change_day;
  std::span<const uint8_t> change_class;
};

}  // namespace getihu::analytics

#endif  // GETIHU_ANALYTICS_POPULATION_STAGING_H_
