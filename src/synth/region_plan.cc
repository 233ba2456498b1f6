#include "synth/region_plan.h"

#include <algorithm>
#include <map>

#include "synth/random.h"

namespace getihu::synth {
namespace {

// Seed 000's district: shares of households by township (urban streets 61.98%, fringe
// 23.86% of which 界石 32.70% and 南泉 34.97%, the remaining towns 14.16%).
const std::map<std::string_view, double>& BananShares() {
  static const std::map<std::string_view, double> shares = {
      {"花溪街道", 0.6198 * 0.25},   {"李家沱街道", 0.6198 * 0.23}, {"鱼洞街道", 0.6198 * 0.20},
      {"龙洲湾街道", 0.6198 * 0.20}, {"莲花街道", 0.6198 * 0.12},   {"界石镇", 0.2386 * 0.3270},
      {"南泉街道", 0.2386 * 0.3497}, {"南彭街道", 0.2386 * 0.12},   {"惠民街道", 0.2386 * 0.10},
      {"一品街道", 0.2386 * 0.1033},
  };
  return shares;
}

constexpr double kBananOtherShare = 0.1416;

void AddTownships(const domain::RegionTable& table, const domain::Region& county, uint64_t seed,
                  double county_weight, std::vector<TownshipSlot>& out) {
  auto townships = table.Children(county.code);
  if (townships.empty()) return;
  bool banan = county.code == "500113";
  size_t others = 0;
  for (const domain::Region* t : townships) others += !BananShares().contains(t->name);
  std::vector<TownshipSlot> local;
  double total = 0;
  for (const domain::Region* t : townships) {
    double w;
    if (banan) {
      auto it = BananShares().find(t->name);
      w = it != BananShares().end() ? it->second : kBananOtherShare / static_cast<double>(others);
    } else {
      Rng rng(seed, std::stoull(t->code), 7);
      bool street = t->name.ends_with("街道");
      w = (street ? 3.0 : 1.0) * (0.4 + 1.2 * rng.Uniform());
    }
    local.push_back({county.code, county.name, t->code, t->name, w});
    total += w;
  }
  for (TownshipSlot& s : local) {
    s.weight = county_weight * s.weight / total;
    out.push_back(std::move(s));
  }
}

}  // namespace

base::Result<RegionPlan> RegionPlan::Build(const domain::RegionTable& table,
                                           std::string_view region_code, uint64_t seed) {
  std::string code = domain::NormalizeRegionCode(region_code);
  const domain::Region* root = table.Find(code);
  if (root == nullptr) {
    return base::InvalidArgument("区划代码“" + std::string(region_code) + "”不存在");
  }
  RegionPlan plan;
  plan.region_code_ = root->code;
  plan.region_name_ = table.FullName(root->code);
  if (root->level == domain::RegionLevel::kTownship) {
    const domain::Region* county = table.Find(root->code.substr(0, 6));
    plan.slots_.push_back({county->code, county->name, root->code, root->name, 1.0});
  } else {
    // Collect the counties under the root, each weighted by a deterministic spread.
    std::vector<const domain::Region*> counties;
    std::vector<const domain::Region*> frontier = {root};
    while (!frontier.empty()) {
      const domain::Region* r = frontier.back();
      frontier.pop_back();
      if (r->level == domain::RegionLevel::kCounty) {
        counties.push_back(r);
      } else {
        for (const domain::Region* c : table.Children(r->code)) frontier.push_back(c);
      }
    }
    std::sort(counties.begin(), counties.end(),
              [](const domain::Region* a, const domain::Region* b) { return a->code < b->code; });
    double total = 0;
    std::vector<double> weights;
    for (const domain::Region* c : counties) {
      Rng rng(seed, std::stoull(c->code), 11);
      weights.push_back(0.3 + 1.4 * rng.Uniform());
      total += weights.back();
    }
    for (size_t i = 0; i < counties.size(); ++i) {
      AddTownships(table, *counties[i], seed, weights[i] / total, plan.slots_);
    }
  }
  if (plan.slots_.empty()) {
    return base::InvalidArgument("区划“" + plan.region_name_ + "”下没有乡镇（街道），无法生成数据");
  }
  double sum = 0;
  for (const TownshipSlot& s : plan.slots_) sum += s.weight;
  double running = 0;
  for (TownshipSlot& s : plan.slots_) {
    s.weight /= sum;
    running += s.weight;
    plan.cumulative_.push_back(running);
  }
  plan.cumulative_.back() = 1.0;
  return plan;
}

const TownshipSlot& RegionPlan::Pick(double u) const {
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  size_t i = std::min(static_cast<size_t>(it - cumulative_.begin()), slots_.size() - 1);
  return slots_[i];
}

}  // namespace getihu::synth
