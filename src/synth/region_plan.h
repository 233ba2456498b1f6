// Where synthetic households are placed: the townships of the requested region with a
// weight each. For 巴南区 (500113) the weights follow seed 000 (urban streets ≈62%,
// urban-rural fringe ≈24% with 界石 and 南泉 leading); elsewhere streets (街道) weigh more
// than towns, with a deterministic spread per seed. Immutable after Build; thread-safe.
#ifndef GETIHU_SYNTH_REGION_PLAN_H_
#define GETIHU_SYNTH_REGION_PLAN_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "domain/region.h"

namespace getihu::synth {

struct TownshipSlot {
  std::string county_code;    // 6 digits: the registration authority
  std::string county_name;    // e.g. "巴南区"
  std::string township_code;  // 9 digits
  std::string township_name;  // e.g. "花溪街道"
  double weight = 0;          // share of households, sums to 1 over the plan
};

class RegionPlan {
 public:
  // Builds the plan for a province (2 or 6 digits "xx0000"), prefecture, county or
  // township code. Returns InvalidArgument (Chinese) for an unknown code or a region
  // without townships.
  static base::Result<RegionPlan> Build(const domain::RegionTable& table,
                                        std::string_view region_code, uint64_t seed);

  // Picks a township for u uniform in [0, 1).
  const TownshipSlot& Pick(double u) const;

  std::span<const TownshipSlot> slots() const { return slots_; }
  const std::string& region_code() const { return region_code_; }
  const std::string& region_name() const { return region_name_; }

 private:
  std::string region_code_;
  std::string region_name_;
  std::vector<TownshipSlot> slots_;
  std::vector<double> cumulative_;
};

}  // namespace getihu::synth

#endif  // GETIHU_SYNTH_REGION_PLAN_H_
