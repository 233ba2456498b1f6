// The synthetic household: everything `getihu gen` knows about one household before it is
// written out as department feed rows. Households are independent: household i is a pure
// function of (seed, i, as-of date, region plan), so generation is parallel and
// reproducible. Calibration targets (seed 000, ../shared/domain §2.6) are documented in
// docs/synthetic-data.md. HouseholdModel is immutable after construction; thread-safe.
#ifndef GETIHU_SYNTH_HOUSEHOLD_MODEL_H_
#define GETIHU_SYNTH_HOUSEHOLD_MODEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "synth/region_plan.h"

namespace getihu::synth {

// One industry a household may be registered in.
struct IndustryPick {
  std::string_view code;  // 4-digit class where well known, else the 2-digit division
  int division;
  char section;
  double weight;           // share of new registrations
  double exit_multiplier;  // how much faster than average households of it close
  std::span<const std::string_view> shop_suffixes;  // e.g. "便利店"
};

std::span<const IndustryPick> IndustryMix();

enum class Exit { kNone, kDeregistered, kRevoked, kConverted };

// What the fate stream decides: cheap, so the generator can count the stock up front.
struct Fate {
  const TownshipSlot* township;
  const IndustryPick* industry;
  base::Date established_on;
  Exit exit = Exit::kNone;
  base::Date exit_on;
  bool suspended = false;  // 歇业 on the as-of date (only when not exited)
  base::Date suspended_on;
  bool InStock() const { return exit == Exit::kNone; }
};

// The figures of one year (annual report, tax, social insurance, housing fund).
struct YearFigures {
  int year = 0;
  bool active = false;    // in existence for some of the year
  bool reported = false;  // annual report filed (and visible by the as-of date)
  base::Date filed_on;
  int64_t revenue_fen = 0;   // annual report 营业额 = declared sales
  int64_t tax_paid_fen = 0;  // tax feed 实缴税额
  int staff = 1;             // 从业人数 including the operator
  int insured = 0;           // social-insurance insured employees
  int fund_payers = 0;       // housing-fund payers
  bool online_shop = false;
  char credit_rating = 'B';
};

struct DatedEvent {
  base::Date on;
  std::optional<base::Date> ended_on;  // credit repair, recovery, removal, expiry
  int kind = 0;                        // index into the feed's enumeration
  int level = 0;
  int64_t amount_fen = 0;
};

struct SynthHousehold {
  uint64_t index = 0;
  Fate fate;
  std::string uscc;
  std::string converted_uscc;  // set when fate.exit == kConverted
  double scale = 0;            // latent size, standard normal
  bool online = false;
  std::optional<base::Date> altered_on;       // a 变更 (change of premises)
  std::optional<DatedEvent> past_suspension;  // 歇业 then 恢复营业 (ended_on)
  std::array<YearFigures, 2> years;           // as-of year − 2, as-of year − 1
  std::optional<DatedEvent> penalty;
  std::optional<DatedEvent> abnormal;
  std::optional<DatedEvent> dishonest;
  std::optional<DatedEvent> accident;
  std::optional<DatedEvent> honour;
  std::vector<DatedEvent> trademarks;  // kind 0
  std::vector<DatedEvent> patents;     // kind 1..3
  std::vector<DatedEvent> loans;       // level 1 = first loan
  // Owner attributes; bit i set = the i-th yes/no attribute of the owner_attribute feed.
  unsigned owner_flags = 0;
  int graduation_year = 0;
};

class HouseholdModel {
 public:
  // REQUIRES: `plan` outlives the model.
  HouseholdModel(const RegionPlan& plan, uint64_t seed, base::Date as_of);

  // Decides the household's township, industry, registration and exit. Cheap.
  Fate DecideFate(uint64_t index) const;
  // Fills in everything else.
  SynthHousehold Make(uint64_t index) const;

  base::Date as_of() const { return as_of_; }
  uint64_t seed() const { return seed_; }

  // Relative number of new registrations in `year` (seed 000's curve).
  static double RegistrationWeight(int year);

 private:
  void FillYears(SynthHousehold& h, class Rng& rng) const;
  void FillEvents(SynthHousehold& h, class Rng& rng) const;

  const RegionPlan& plan_;
  uint64_t seed_;
  base::Date as_of_;
  base::Date first_day_;                 // earliest registration date generated
  std::vector<double> year_cumulative_;  // by year from first_day_'s year
  std::vector<double> industry_cumulative_;
};

}  // namespace getihu::synth

#endif  // GETIHU_SYNTH_HOUSEHOLD_MODEL_H_
