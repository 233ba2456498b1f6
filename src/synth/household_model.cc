#include "synth/household_model.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "domain/uscc.h"
#include "synth/random.h"

namespace getihu::synth {
namespace {

using base::Date;
using SV = std::string_view;

// Random streams of a household; each decision family draws from its own.
constexpr uint64_t kFateStream = 1;
constexpr uint64_t kDetailStream = 2;

constexpr std::array<SV, 3> kFarm = {"种植场", "家庭农场", "种养殖场"};
constexpr std::array<SV, 3> kWorkshop = {"加工坊", "加工厂", "制品厂"};
constexpr std::array<SV, 3> kBuild = {"装饰工程部", "装修队", "建材安装部"};
constexpr std::array<SV, 4> kWholesale = {"批发部", "商贸行", "经营部", "副食批发部"};
constexpr std::array<SV, 8> kRetail = {"便利店", "超市",   "副食店", "服装店",
                                       "五金店", "水果店", "烟酒店", "日用品店"};
constexpr std::array<SV, 3> kLodging = {"宾馆", "旅馆", "民宿"};
constexpr std::array<SV, 7> kCatering = {"餐馆", "面馆",   "火锅店", "小吃店",
                                         "茶馆", "烧烤店", "饭店"};
constexpr std::array<SV, 5> kResident = {"理发店", "美容店", "洗衣店", "摄影店", "家政服务部"};
constexpr std::array<SV, 3> kRepair = {"汽车修理厂", "家电维修部", "摩托车修理店"};
constexpr std::array<SV, 3> kService = {"服务部", "工作室", "经营部"};

// Registration shares by industry (calibrated so that the stock matches seed 000:
// sectors 3.7% / 5.6% / 90.7%; tertiary: wholesale/retail 58%, catering/lodging 17%,
// resident services 13%), and how much faster than average each industry closes.
constexpr IndustryPick kMix[] = {
    {"0141", 1, 'A', 1.36, 0.6, kFarm},       {"0313", 3, 'A', 0.86, 0.6, kFarm},
    {"0412", 4, 'A', 0.42, 0.6, kFarm},       {"05", 5, 'A', 0.24, 0.7, kService},
    {"1431", 14, 'C', 0.70, 0.7, kWorkshop},  {"13", 13, 'C', 0.47, 0.7, kWorkshop},
    {"1810", 18, 'C', 0.31, 0.7, kWorkshop},  {"2110", 21, 'C', 0.39, 0.7, kWorkshop},
    {"20", 20, 'C', 0.31, 0.7, kWorkshop},    {"33", 33, 'C', 0.47, 0.7, kWorkshop},
    {"30", 30, 'C', 0.16, 0.7, kWorkshop},    {"5012", 50, 'E', 1.00, 0.7, kBuild},
    {"49", 49, 'E', 0.39, 0.7, kBuild},       {"47", 47, 'E', 0.16, 0.7, kBuild},
    {"5121", 51, 'F', 6.61, 1.3, kWholesale}, {"5123", 51, 'F', 7.28, 1.3, kWholesale},
    {"5212", 52, 'F', 9.93, 1.3, kRetail},    {"5213", 52, 'F', 9.93, 1.3, kRetail},
    {"5223", 52, 'F', 6.61, 1.3, kRetail},    {"5232", 52, 'F', 6.61, 1.3, kRetail},
    {"5251", 52, 'F', 3.31, 1.3, kRetail},    {"5292", 52, 'F', 4.42, 1.3, kRetail},
    {"5299", 52, 'F', 3.31, 1.3, kRetail},    {"6190", 61, 'H', 1.09, 1.3, kLodging},
    {"6140", 61, 'H', 0.77, 1.3, kLodging},   {"6210", 62, 'H', 5.46, 1.3, kCatering},
    {"6220", 62, 'H', 3.28, 1.3, kCatering},  {"6291", 62, 'H', 4.92, 1.3, kCatering},
    {"6231", 62, 'H', 1.62, 1.3, kCatering},  {"8040", 80, 'O', 4.00, 1.0, kResident},
    {"8030", 80, 'O', 1.39, 1.0, kResident},  {"8010", 80, 'O', 1.39, 1.0, kResident},
    {"8111", 81, 'O', 2.23, 1.0, kRepair},    {"8191", 81, 'O', 1.11, 1.0, kRepair},
    {"8290", 82, 'O', 1.11, 1.0, kService},   {"4390", 43, 'C', 0.49, 0.7, kRepair},
    {"54", 54, 'G', 1.96, 0.7, kService},     {"59", 59, 'G', 0.24, 0.7, kService},
    {"65", 65, 'I', 0.57, 0.7, kService},     {"72", 72, 'L', 1.63, 0.7, kService},
    {"71", 71, 'L', 0.26, 0.7, kService},     {"74", 74, 'M', 0.41, 0.7, kService},
    {"70", 70, 'K', 0.33, 0.7, kService},     {"83", 83, 'P', 0.49, 0.7, kService},
    {"84", 84, 'Q', 0.24, 0.7, kService},     {"88", 88, 'R', 0.24, 0.7, kService},
    {"89", 89, 'R', 0.33, 0.7, kService},     {"9011", 90, 'R', 0.98, 0.9, kService},
};

// New registrations per year in seed 000's district: slow growth to the 2019 peak
// (14,022), −7.67% in 2020, −17.02% in 2021, +19.54% in 2022, then mild growth.
double YearCount(int year) {
  static constexpr double kCounts[] = {
      1500,  1600,  1700,  1800,  1900,  2000,  2200,  2400,  2600,  2900,  3200,   // 1995-2005
      3500,  3800,  4100,  4500,  5000,  5600,  6300,  7200,  9000,  10500, 11800,  // 2006-2016
      12900, 13600, 14022, 12946, 10742, 12841, 13500, 14000, 14300, 14500};        // 2017-2026
  constexpr int kFirst = 1995, kLast = 2026;
  if (year < kFirst) return 0;
  if (year > kLast) return kCounts[kLast - kFirst];
  return kCounts[year - kFirst];
}

constexpr double kBaseHazard = 0.13;  // exits per year of age, before the industry multiplier

Date Clamp(Date d, Date lo, Date hi) { return std::max(lo, std::min(d, hi)); }

Date RandomDateBetween(Rng& rng, Date from, Date to) {
  if (to <= from) return from;
  int span = to.days_since_epoch() - from.days_since_epoch();
  return from.AddDays(static_cast<int32_t>(rng.Below(static_cast<uint64_t>(span) + 1)));
}

Date Jan1(int year) { return *Date::FromYmd(year, 1, 1); }
Date Dec31(int year) { return *Date::FromYmd(year, 12, 31); }

}  // namespace

std::span<const IndustryPick> IndustryMix() { return kMix; }

double HouseholdModel::RegistrationWeight(int year) { return YearCount(year); }

HouseholdModel::HouseholdModel(const RegionPlan& plan, uint64_t seed, Date as_of)
    : plan_(plan), seed_(seed), as_of_(as_of), first_day_(Jan1(1995)) {
  double running = 0;
  for (int y = 1995; y <= as_of.year(); ++y) {
    double w = YearCount(y);
    if (y == as_of.year()) w *= (as_of.days_since_epoch() - Jan1(y).days_since_epoch() + 1) / 365.0;
    running += w;
    year_cumulative_.push_back(running);
  }
  running = 0;
  for (const IndustryPick& p : kMix) {
    running += p.weight;
    industry_cumulative_.push_back(running);
  }
}

Fate HouseholdModel::DecideFate(uint64_t index) const {
  Rng rng(seed_, index, kFateStream);
  Fate f;
  f.township = &plan_.Pick(rng.Uniform());
  double u = rng.Uniform() * industry_cumulative_.back();
  size_t k = std::upper_bound(industry_cumulative_.begin(), industry_cumulative_.end(), u) -
             industry_cumulative_.begin();
  f.industry = &kMix[std::min(k, std::size(kMix) - 1)];
  double v = rng.Uniform() * year_cumulative_.back();
  size_t yi = std::upper_bound(year_cumulative_.begin(), year_cumulative_.end(), v) -
              year_cumulative_.begin();
  int year = 1995 + static_cast<int>(std::min(yi, year_cumulative_.size() - 1));
  f.established_on = RandomDateBetween(rng, Jan1(year), std::min(Dec31(year), as_of_));
  double age = (as_of_.days_since_epoch() - f.established_on.days_since_epoch()) / 365.25;
  double hazard = kBaseHazard * f.industry->exit_multiplier;
  double p_exit = 1.0 - std::exp(-hazard * age);
  double w = rng.Uniform();
  if (w < p_exit) {
    // Exit time drawn from the exponential conditioned on falling before the as-of date.
    double t = -std::log(1.0 - rng.Uniform() * p_exit) / hazard;
    f.exit_on = Clamp(f.established_on.AddDays(static_cast<int32_t>(t * 365.25) + 1),
                      f.established_on.AddDays(1), as_of_);
    double kind = rng.Uniform();
    f.exit = age >= 2 && kind < 0.012 ? Exit::kConverted
             : kind < 0.08            ? Exit::kRevoked
                                      : Exit::kDeregistered;
  } else if (rng.Chance(0.022)) {
    f.suspended = true;
    f.suspended_on =
        RandomDateBetween(rng, std::max(f.established_on, as_of_.AddYears(-2)), as_of_);
  }
  return f;
}

SynthHousehold HouseholdModel::Make(uint64_t index) const {
  SynthHousehold h;
  h.index = index;
  h.fate = DecideFate(index);
  Rng rng(seed_, index, kDetailStream);
  domain::UsccGenerator gen(h.fate.township->county_code);
  h.uscc = gen.Generate(index);
  if (h.fate.exit == Exit::kConverted) {
    h.converted_uscc =
        rng.Chance(0.5)
            ? h.uscc
            : domain::UsccGenerator(h.fate.township->county_code, '9', '1').Generate(index);
  }
  h.scale = rng.Normal() + (rng.Chance(0.04) ? 1.5 : 0.0);
  double online_p = h.fate.industry->section == 'F'   ? 0.12
                    : h.fate.industry->section == 'H' ? 0.15
                                                      : 0.04;
  h.online = rng.Chance(online_p);
  Date end = h.fate.InStock() ? as_of_ : h.fate.exit_on;
  if (rng.Chance(0.10) && end > h.fate.established_on.AddDays(30)) {
    h.altered_on = RandomDateBetween(rng, h.fate.established_on.AddDays(30), end);
  }
  if (rng.Chance(0.015) && end > h.fate.established_on.AddDays(200)) {
    DatedEvent s;
    s.on = RandomDateBetween(rng, h.fate.established_on.AddDays(30), end.AddDays(-120));
    s.ended_on = s.on.AddDays(rng.Between(60, 110));
    if (!h.fate.suspended || *s.ended_on < h.fate.suspended_on) h.past_suspension = s;
  }
  FillYears(h, rng);
  FillEvents(h, rng);
  return h;
}

void HouseholdModel::FillYears(SynthHousehold& h, Rng& rng) const {
  bool zero_reporter = rng.Chance(0.25);
  bool insures = rng.Chance(h.scale > 1 ? 0.6 : 0.4);
  double diligence = rng.Uniform();
  int employees = std::min(50, rng.Poisson(std::exp(-1.9 + 0.95 * h.scale)));
  for (int k = 0; k < 2; ++k) {
    YearFigures& y = h.years[k];
    y.year = as_of_.year() - 2 + k;
    Date start = Jan1(y.year), stop = Dec31(y.year);
    y.active = h.fate.established_on <= stop && (h.fate.InStock() || h.fate.exit_on >= start);
    if (!y.active) continue;
    double part = std::min(1.0, (stop.days_since_epoch() -
                                 std::max(start, h.fate.established_on).days_since_epoch() + 1) /
                                    365.0);
    double revenue = zero_reporter
                         ? 0
                         : std::exp(std::log(30000.0) + 1.2 * h.scale + 0.25 * rng.Normal()) * part;
    y.revenue_fen = static_cast<int64_t>(revenue) * 100;
    y.staff = 1 + std::max(0, employees + (rng.Chance(0.2) ? rng.Between(-1, 1) : 0));
    y.insured = insures ? y.staff - 1 : 0;
    y.fund_payers = y.insured > 0 && rng.Chance(0.15) ? y.insured : 0;
    double tax = 0;
    if (revenue >= 1.2e6) {
      tax = revenue * (0.015 + 0.025 * rng.Uniform());
    } else if (revenue >= 1e5 && rng.Chance(0.06)) {
      tax = revenue * (0.002 + 0.006 * rng.Uniform());
    } else if (revenue > 0 && rng.Chance(0.03)) {
      tax = 50 + 500 * rng.Uniform();
    }
    y.tax_paid_fen = static_cast<int64_t>(tax * 100);
    y.online_shop = h.online;
    double c = rng.Uniform();
    y.credit_rating = c < 0.10 ? 'A' : c < 0.70 ? 'B' : c < 0.95 ? 'M' : c < 0.99 ? 'C' : 'D';
    // The report for year y is filed in the first half of y+1 by those still in business.
    Date filed =
        RandomDateBetween(rng, Jan1(y.year + 1).AddDays(4), *Date::FromYmd(y.year + 1, 6, 30));
    bool alive_then = h.fate.InStock() || h.fate.exit_on > filed;
    y.reported = alive_then && filed <= as_of_ && rng.Uniform() < 0.72 + 0.25 * diligence;
    y.filed_on = filed;
  }
}

void HouseholdModel::FillEvents(SynthHousehold& h, Rng& rng) const {
  Date end = h.fate.InStock() ? as_of_ : h.fate.exit_on;
  Date from = h.fate.established_on;
  auto event_between = [&](Date lo) { return RandomDateBetween(rng, std::max(lo, from), end); };
  // Events of the last few years only happen to households still in business then.
  bool alive_3y = end >= as_of_.AddYears(-3), alive_4y = end >= as_of_.AddYears(-4);
  // Abnormal mark for the latest missed annual report, set in early July.
  for (int k = 1; k >= 0; --k) {
    const YearFigures& y = h.years[k];
    Date mark = *Date::FromYmd(y.year + 1, 7, 1);
    if (!y.active || y.reported || mark.AddDays(14) > as_of_ || end < mark) continue;
    DatedEvent e;
    e.on = RandomDateBetween(rng, mark, mark.AddDays(14));
    e.kind = 0;
    if (rng.Chance(k == 1 ? 0.2 : 0.5) && e.on.AddDays(7) <= end) {
      e.ended_on = RandomDateBetween(rng, e.on.AddDays(7), end);
    }
    h.abnormal = e;
    break;
  }
  if (!h.abnormal && rng.Chance(0.004)) h.abnormal = DatedEvent{event_between(from), {}, 1, 0, 0};
  if (rng.Chance(0.015) && alive_3y) {
    DatedEvent p;
    p.on = event_between(as_of_.AddYears(-3));
    double k = rng.Uniform();
    p.kind = k < 0.40   ? 0
             : k < 0.45 ? 1
             : k < 0.90 ? 2
             : k < 0.95 ? 3
             : k < 0.97 ? 4
             : k < 0.99 ? 5
                        : 6;
    if (p.kind == 2 || p.kind == 3) p.amount_fen = rng.Between(5, 200) * 10000;
    Date repair = p.on.AddMonths(rng.Between(6, 14));
    if (p.kind != 0 && repair <= as_of_ && rng.Chance(0.5)) p.ended_on = repair;
    h.penalty = p;
  }
  if (rng.Chance(0.004) && alive_4y) {
    DatedEvent d{event_between(as_of_.AddYears(-4)), {}, 0, 0, rng.Between(1, 50) * 100000};
    Date removed = d.on.AddMonths(rng.Between(3, 24));
    if (removed <= as_of_ && rng.Chance(0.3)) d.ended_on = removed;
    h.dishonest = d;
  }
  if (rng.Chance(0.0005))
    h.accident = DatedEvent{event_between(from), {}, 0, rng.Chance(0.05) ? 1 : 0, 0};
  if (rng.Chance(h.scale > 1 ? 0.02 : 0.004)) {
    DatedEvent d{event_between(from), {}, static_cast<int>(rng.Below(11)), 0, 0};
    double l = rng.Uniform();
    d.level = l < 0.55 ? 0 : l < 0.85 ? 1 : l < 0.97 ? 2 : 3;
    if (rng.Chance(0.5)) d.ended_on = d.on.AddYears(3);
    h.honour = d;
  }
  int marks = rng.Chance(h.scale > 1 ? 0.08 : 0.02) ? rng.Between(1, 2) : 0;
  for (int i = 0; i < marks; ++i) h.trademarks.push_back({event_between(from), {}, 0, 0, 0});
  if (rng.Chance(0.003)) h.patents.push_back({event_between(from), {}, rng.Between(1, 3), 0, 0});
  if (rng.Chance(0.04) && alive_3y) {
    int n = rng.Between(1, 2);
    bool first = rng.Chance(0.5);
    for (int i = 0; i < n; ++i) {
      DatedEvent l{
          event_between(as_of_.AddYears(-3)), {}, 0, first && i == 0, rng.Between(3, 30) * 1000000};
      l.ended_on = l.on.AddYears(rng.Between(1, 3));
      h.loans.push_back(l);
    }
    std::sort(h.loans.begin(), h.loans.end(),
              [](const DatedEvent& a, const DatedEvent& b) { return a.on < b.on; });
    if (h.loans.size() == 2 && h.loans[1].level == 1) std::swap(h.loans[0].level, h.loans[1].level);
  }
  static constexpr double kOwnerRates[] = {0.03, 0.06, 0.02, 0.02, 0.04, 0.01};
  for (int bit = 0; bit < 6; ++bit) {
    if (rng.Chance(kOwnerRates[bit])) h.owner_flags |= 1u << bit;
  }
  if (h.owner_flags & 2u) h.graduation_year = h.fate.established_on.year() - rng.Between(0, 3);
}

}  // namespace getihu::synth
