// The household profile (DESIGN.md "rules over profiles"): named, typed fields derived from the
// data pool as of a date, which rules, tier runs, eligibility and indicators read. The
// catalogue is data (docs/profile.md lists it); `HouseholdProfile` holds one household's
// values, each possibly missing (unknown), never silently defaulted. Thread-safe (static data).
#ifndef GETIHU_DOMAIN_PROFILE_H_
#define GETIHU_DOMAIN_PROFILE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/date.h"
#include "base/money.h"

namespace getihu::domain {

enum class ProfileType {
  kBool,
  kInt,
  kMoney,    // integer fen
  kCode,     // a text code: region, township, industry, section, status
  kCodeSet,  // a set of codes (honour kinds)
};

struct ProfileField {
  std::string_view name;  // identifier used in rules, e.g. "revenue_prev"
  ProfileType type;
  std::string_view unit;        // e.g. "月", "元", "人"; "" when none
  std::string_view label;       // Chinese, for the UI
  std::string_view source;      // feed(s) it comes from
  std::string_view derivation;  // how it is computed, English
};

// Every profile field, in a stable order.
std::span<const ProfileField> ProfileCatalog();
// Returns the field named `name`, or nullptr.
const ProfileField* FindProfileField(std::string_view name);
std::string_view ProfileTypeName(ProfileType type);  // "bool", "int", "money", "code", "code_set"

// One household's profile as of a date. A missing optional means the pool does not know.
struct HouseholdProfile {
  int64_t household_id = 0;
  std::string uscc;
  std::string status;          // active, suspended, deregistered, revoked, converted
  int months_in_business = 0;  // full months from registration to the as-of date
  int years_in_business = 0;
  std::string region;    // 6-digit registration authority
  std::string township;  // 9-digit, "" when unknown
  std::string industry;
  std::string section;  // GB/T 4754 section letter
  int sector = 0;       // 1, 2, 3
  bool online = false;
  bool registered_before_year = false;       // registered before 1 January of the as-of year
  bool annual_report_filed = false;          // for the year before the as-of date's year
  std::optional<base::Money> revenue_prev;   // 营业额 of the previous year (annual report)
  std::optional<base::Money> tax_paid_prev;  // tax feed, else the annual report's 纳税总额
  std::optional<int> employees;              // insured employees, else 从业人数 − 1
  std::optional<int> insured_employees;
  std::optional<int> housing_fund_payers;
  int trademarks = 0;
  int patents = 0;
  uint32_t honours = 0;  // bit i = domain::HonourKind i held and not expired
  bool abnormal_now = false;
  bool unrepaired_penalty_12m = false;  // fine or heavier within 12 months, not credit-repaired
  bool dishonest_debtor = false;
  bool safety_accident_12m = false;
  bool first_loan = false;  // has received a first loan (首贷)
  std::optional<bool> veteran, employment_difficulty, poverty_alleviated, returning_migrant,
      disabled;
  std::optional<int> graduation_year;

  // Not abnormal, no unrepaired penalty within 12 months, not a dishonest debtor.
  bool credit_clean() const {
    return !abnormal_now && !unrepaired_penalty_12m && !dishonest_debtor;
  }
};

}  // namespace getihu::domain

#endif  // GETIHU_DOMAIN_PROFILE_H_
