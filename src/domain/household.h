// Household (个体工商户) records of the data pool: the registered household, its life-cycle
// status and status changes, and the dated facts and events other departments report about
// it. Plain value types with stable English codes (stored and exchanged) and Chinese names
// (shown to users). Optional members default to absent, so designated initializers may
// leave them out. Header-only; thread-compatible. Storage layout: docs/schema.md.
#ifndef GETIHU_DOMAIN_HOUSEHOLD_H_
#define GETIHU_DOMAIN_HOUSEHOLD_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/date.h"
#include "base/money.h"

namespace getihu::domain {

namespace internal {
// One value of an enumeration with its stable code and its Chinese name.
template <typename E>
struct EnumEntry {
  E value;
  std::string_view code;
  std::string_view name;
};

template <typename E, size_t N>
constexpr const EnumEntry<E>* FindEntry(const std::array<EnumEntry<E>, N>& table, E value) {
  for (const auto& e : table) {
    if (e.value == value) return &e;
  }
  return nullptr;
}

template <typename E, size_t N>
constexpr std::optional<E> FromCode(const std::array<EnumEntry<E>, N>& table,
                                    std::string_view code) {
  for (const auto& e : table) {
    if (e.code == code) return e.value;
  }
  return std::nullopt;
}
}  // namespace internal

// Defines Code(E), Name(E) and Parse<E>Code(code) for an enumeration from its table.
#define GETIHU_DOMAIN_ENUM_FUNCTIONS_(E, kTable)                            \
  inline constexpr std::string_view E##Code(E v) {                          \
    const auto* e = internal::FindEntry(kTable, v);                         \
    return e ? e->code : std::string_view();                                \
  }                                                                         \
  inline constexpr std::string_view E##Name(E v) {                          \
    const auto* e = internal::FindEntry(kTable, v);                         \
    return e ? e->name : std::string_view();                                \
  }                                                                         \
  inline constexpr std::optional<E> Parse##E##Code(std::string_view code) { \
    return internal::FromCode(kTable, code);                                \
  }

// Life-cycle status of a household (登记状态). Every household has exactly one.
enum class HouseholdStatus { kActive, kSuspended, kDeregistered, kRevoked, kConverted };
inline constexpr std::array<internal::EnumEntry<HouseholdStatus>, 5> kHouseholdStatuses = {{
    {HouseholdStatus::kActive, "active", "存续"},
    {HouseholdStatus::kSuspended, "suspended", "歇业"},
    {HouseholdStatus::kDeregistered, "deregistered", "注销"},
    {HouseholdStatus::kRevoked, "revoked", "吊销"},
    {HouseholdStatus::kConverted, "converted", "已转企"},
}};
// HouseholdStatusCode(kActive) == "active"; HouseholdStatusName(kActive) == "存续";
// ParseHouseholdStatusCode("active") == kActive, nullopt for an unknown code.
GETIHU_DOMAIN_ENUM_FUNCTIONS_(HouseholdStatus, kHouseholdStatuses)

// The kind of registration event that changed a household's status (or its registered items).
enum class StatusChangeKind {
  kEstablished,   // 设立
  kChanged,       // 变更 (registered items; status unchanged)
  kSuspended,     // 歇业
  kResumed,       // 恢复营业
  kDeregistered,  // 注销
  kRevoked,       // 吊销
  kConverted,     // 个转企
};
inline constexpr std::array<internal::EnumEntry<StatusChangeKind>, 7> kStatusChangeKinds = {{
    {StatusChangeKind::kEstablished, "established", "设立"},
    {StatusChangeKind::kChanged, "changed", "变更"},
    {StatusChangeKind::kSuspended, "suspended", "歇业"},
    {StatusChangeKind::kResumed, "resumed", "恢复营业"},
    {StatusChangeKind::kDeregistered, "deregistered", "注销"},
    {StatusChangeKind::kRevoked, "revoked", "吊销"},
    {StatusChangeKind::kConverted, "converted", "个转企"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(StatusChangeKind, kStatusChangeKinds)

// 组成形式: run by one person or by a family.
enum class OrganisationForm { kIndividual, kFamily };
inline constexpr std::array<internal::EnumEntry<OrganisationForm>, 2> kOrganisationForms = {{
    {OrganisationForm::kIndividual, "individual", "个人经营"},
    {OrganisationForm::kFamily, "family", "家庭经营"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(OrganisationForm, kOrganisationForms)

// Families of dated facts: one value per household and period, never overwritten.
enum class FactKind { kAnnualReport, kTax, kSocialInsurance, kHousingFund, kLoan };
inline constexpr std::array<internal::EnumEntry<FactKind>, 5> kFactKinds = {{
    {FactKind::kAnnualReport, "annual_report", "年报"},
    {FactKind::kTax, "tax", "纳税"},
    {FactKind::kSocialInsurance, "social_insurance", "社保"},
    {FactKind::kHousingFund, "housing_fund", "公积金"},
    {FactKind::kLoan, "loan", "贷款"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(FactKind, kFactKinds)

// Families of events: something that happened on a date, some later closed (repaired,
// recovered, removed).
enum class EventKind {
  kPenalty,
  kAbnormalMark,
  kDishonestDebtor,
  kSafetyAccident,
  kHonour,
  kIntellectualProperty,
};
inline constexpr std::array<internal::EnumEntry<EventKind>, 6> kEventKinds = {{
    {EventKind::kPenalty, "penalty", "行政处罚"},
    {EventKind::kAbnormalMark, "abnormal_mark", "经营异常"},
    {EventKind::kDishonestDebtor, "dishonest_debtor", "失信被执行人"},
    {EventKind::kSafetyAccident, "safety_accident", "安全事故"},
    {EventKind::kHonour, "honour", "荣誉认证"},
    {EventKind::kIntellectualProperty, "intellectual_property", "知识产权"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(EventKind, kEventKinds)

// 纳税信用等级.
enum class TaxCreditRating { kA, kB, kM, kC, kD };
inline constexpr std::array<internal::EnumEntry<TaxCreditRating>, 5> kTaxCreditRatings = {{
    {TaxCreditRating::kA, "A", "A级"},
    {TaxCreditRating::kB, "B", "B级"},
    {TaxCreditRating::kM, "M", "M级"},
    {TaxCreditRating::kC, "C", "C级"},
    {TaxCreditRating::kD, "D", "D级"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(TaxCreditRating, kTaxCreditRatings)

// 生产安全事故等级 (一般/较大/重大/特别重大).
enum class AccidentSeverity { kOrdinary, kLarger, kMajor, kEspeciallyMajor };
inline constexpr std::array<internal::EnumEntry<AccidentSeverity>, 4> kAccidentSeverities = {{
    {AccidentSeverity::kOrdinary, "ordinary", "一般"},
    {AccidentSeverity::kLarger, "larger", "较大"},
    {AccidentSeverity::kMajor, "major", "重大"},
    {AccidentSeverity::kEspeciallyMajor, "especially_major", "特别重大"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(AccidentSeverity, kAccidentSeverities)

// Kinds of honours and certifications (the honour feed's 荣誉类型) that the 名特优新 evidence
// matching looks for.
enum class HonourKind {
  kNationalTimeHonouredBrand,   // 中华老字号
  kLocalTimeHonouredBrand,      // 地方老字号
  kIntangibleHeritageItem,      // 非遗代表性项目
  kIntangibleHeritageWorkshop,  // 非遗工坊
  kGeographicalIndication,      // 地理标志
  kTrustedConsumption,          // 放心消费示范单位
  kGreenFood,                   // 绿色食品
  kOrganicProduct,              // 有机产品
  kRatedFarmStay,               // 星级农家乐
  kRatedHomestay,               // 等级民宿
  kOther,                       // 其他荣誉
};
inline constexpr std::array<internal::EnumEntry<HonourKind>, 11> kHonourKinds = {{
    {HonourKind::kNationalTimeHonouredBrand, "national_time_honoured_brand", "中华老字号"},
    {HonourKind::kLocalTimeHonouredBrand, "local_time_honoured_brand", "地方老字号"},
    {HonourKind::kIntangibleHeritageItem, "intangible_heritage_item", "非遗代表性项目"},
    {HonourKind::kIntangibleHeritageWorkshop, "intangible_heritage_workshop", "非遗工坊"},
    {HonourKind::kGeographicalIndication, "geographical_indication", "地理标志"},
    {HonourKind::kTrustedConsumption, "trusted_consumption", "放心消费示范单位"},
    {HonourKind::kGreenFood, "green_food", "绿色食品"},
    {HonourKind::kOrganicProduct, "organic_product", "有机产品"},
    {HonourKind::kRatedFarmStay, "rated_farm_stay", "星级农家乐"},
    {HonourKind::kRatedHomestay, "rated_homestay", "等级民宿"},
    {HonourKind::kOther, "other", "其他荣誉"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(HonourKind, kHonourKinds)

// The administrative level that granted an honour.
enum class HonourLevel { kCounty, kCity, kProvince, kNational };
inline constexpr std::array<internal::EnumEntry<HonourLevel>, 4> kHonourLevels = {{
    {HonourLevel::kCounty, "county", "县级"},
    {HonourLevel::kCity, "city", "市级"},
    {HonourLevel::kProvince, "province", "省级"},
    {HonourLevel::kNational, "national", "国家级"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(HonourLevel, kHonourLevels)

enum class IpKind { kTrademark, kInventionPatent, kUtilityModelPatent, kDesignPatent };
inline constexpr std::array<internal::EnumEntry<IpKind>, 4> kIpKinds = {{
    {IpKind::kTrademark, "trademark", "商标"},
    {IpKind::kInventionPatent, "invention_patent", "发明专利"},
    {IpKind::kUtilityModelPatent, "utility_model_patent", "实用新型专利"},
    {IpKind::kDesignPatent, "design_patent", "外观设计专利"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(IpKind, kIpKinds)

// The heaviest kind of an administrative penalty (处罚种类), lightest first; kOther is
// unranked.
enum class PenaltyKind {
  kWarning,
  kCirculatedCriticism,
  kFine,
  kConfiscation,
  kLicenceSuspension,
  kProductionSuspension,
  kLicenceRevocation,
  kOther,
};
inline constexpr std::array<internal::EnumEntry<PenaltyKind>, 8> kPenaltyKinds = {{
    {PenaltyKind::kWarning, "warning", "警告"},
    {PenaltyKind::kCirculatedCriticism, "circulated_criticism", "通报批评"},
    {PenaltyKind::kFine, "fine", "罚款"},
    {PenaltyKind::kConfiscation, "confiscation", "没收违法所得"},
    {PenaltyKind::kLicenceSuspension, "licence_suspension", "暂扣许可证件"},
    {PenaltyKind::kProductionSuspension, "production_suspension", "责令停产停业"},
    {PenaltyKind::kLicenceRevocation, "licence_revocation", "吊销许可证件"},
    {PenaltyKind::kOther, "other", "其他"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(PenaltyKind, kPenaltyKinds)

// Why a household was marked abnormal (经营异常标记原因).
enum class AbnormalReason { kNoAnnualReport, kUnreachable, kFalseAnnualReport };
inline constexpr std::array<internal::EnumEntry<AbnormalReason>, 3> kAbnormalReasons = {{
    {AbnormalReason::kNoAnnualReport, "no_annual_report", "未按规定报送年度报告"},
    {AbnormalReason::kUnreachable, "unreachable", "通过登记的经营场所无法联系"},
    {AbnormalReason::kFalseAnnualReport, "false_annual_report", "年度报告隐瞒真实情况、弄虚作假"},
}};
GETIHU_DOMAIN_ENUM_FUNCTIONS_(AbnormalReason, kAbnormalReasons)

#undef GETIHU_DOMAIN_ENUM_FUNCTIONS_

// A registered household as currently known. `id` is the pool's surrogate key (0 before it
// is stored); `uscc` is the natural key. Sensitive fields are marked; mask them on display.
struct Household {
  int64_t id = 0;
  std::string uscc;                                                  // 18 characters, validated
  std::optional<std::string> legacy_registration_no = std::nullopt;  // 15-digit 注册号, if known
  std::optional<std::string> name = std::nullopt;  // 名称; a household may have none
  std::string operator_name;                       // 经营者
  std::optional<std::string> operator_id_number = std::nullopt;  // sensitive
  std::optional<std::string> phone = std::nullopt;               // sensitive
  std::string region_code;                                       // 6 digits: registration authority
  std::optional<std::string> township_code = std::nullopt;       // 9 digits
  std::optional<std::string> premises = std::nullopt;            // 经营场所; sensitive
  std::string industry_code;                                     // GB/T 4754-2017
  base::Date registered_on;
  HouseholdStatus status = HouseholdStatus::kActive;
  base::Date status_since;
  std::optional<std::string> converted_uscc = std::nullopt;  // the company's USCC after 个转企
  OrganisationForm organisation_form = OrganisationForm::kIndividual;
  bool online = false;  // operates online (网店/网站)
};

// One entry of a household's status history.
struct StatusChange {
  int64_t household_id = 0;
  HouseholdStatus status = HouseholdStatus::kActive;  // status after the change
  base::Date effective_on;
  StatusChangeKind kind = StatusChangeKind::kEstablished;
};

// Annual report (年报) for `year`. Absent fields were not reported.
struct AnnualReport {
  int64_t household_id = 0;
  int year = 0;
  std::optional<base::Money> revenue = std::nullopt;  // 营业额/年收入
  std::optional<base::Money> tax = std::nullopt;      // 纳税总额
  std::optional<int> employees = std::nullopt;        // 从业人数
  std::optional<base::Date> filed_on = std::nullopt;
  std::optional<bool> online = std::nullopt;
};

struct TaxRecord {
  int64_t household_id = 0;
  int year = 0;
  std::optional<base::Money> tax_paid = std::nullopt;
  std::optional<base::Money> sales = std::nullopt;  // 申报销售额
  std::optional<TaxCreditRating> credit_rating = std::nullopt;
};

// Insured employees for a period "YYYY" or "YYYY-MM".
struct SocialInsuranceRecord {
  int64_t household_id = 0;
  std::string period;
  int insured_count = 0;
};

// Housing-fund payers for a period "YYYY" or "YYYY-MM".
struct HousingFundRecord {
  int64_t household_id = 0;
  std::string period;
  int payer_count = 0;
};

struct Loan {
  int64_t household_id = 0;
  std::string contract_no;  // 贷款合同编号
  std::string lender;
  base::Date granted_on;
  base::Money amount;
  bool is_first_loan = false;  // 首贷
  std::optional<base::Date> due_on = std::nullopt;
};

// Administrative penalty (行政处罚); `repaired_on` is set by credit repair (信用修复).
struct Penalty {
  int64_t household_id = 0;
  std::string document_no;  // 处罚决定书文号
  base::Date decided_on;
  PenaltyKind kind = PenaltyKind::kOther;
  std::optional<base::Money> amount = std::nullopt;
  std::optional<std::string> authority = std::nullopt;
  std::optional<base::Date> repaired_on = std::nullopt;
};

// 经营异常状态; `recovered_on` is set when the mark is removed.
struct AbnormalMark {
  int64_t household_id = 0;
  base::Date marked_on;
  AbnormalReason reason = AbnormalReason::kNoAnnualReport;
  std::optional<base::Date> recovered_on = std::nullopt;
};

// 失信被执行人 listing by a court; `removed_on` is set when the listing ends.
struct DishonestDebtorListing {
  int64_t household_id = 0;
  std::string case_no;  // 执行案号
  std::string court;
  base::Date listed_on;
  std::optional<base::Date> removed_on = std::nullopt;
};

struct SafetyAccident {
  int64_t household_id = 0;
  base::Date occurred_on;
  AccidentSeverity severity = AccidentSeverity::kOrdinary;
  std::optional<std::string> description = std::nullopt;
};

struct Honour {
  int64_t household_id = 0;
  HonourKind kind = HonourKind::kOther;
  HonourLevel level = HonourLevel::kCounty;
  std::optional<std::string> issuer = std::nullopt;
  base::Date granted_on;
  std::optional<base::Date> expires_on = std::nullopt;  // none: valid without limit
  std::optional<std::string> certificate_no = std::nullopt;
};

struct IntellectualProperty {
  int64_t household_id = 0;
  IpKind kind = IpKind::kTrademark;
  std::string registration_no;
  std::optional<std::string> title = std::nullopt;
  base::Date granted_on;
  std::optional<base::Date> expires_on = std::nullopt;
};

// Attributes of the operator that policies use. Sensitive. Absent means "not reported",
// which is not the same as false.
struct OwnerAttributes {
  int64_t household_id = 0;
  std::optional<bool> veteran = std::nullopt;                // 退役军人
  std::optional<int> graduation_year = std::nullopt;         // 高校毕业生: year of graduation
  std::optional<bool> employment_difficulty = std::nullopt;  // 就业困难人员
  std::optional<bool> poverty_alleviated = std::nullopt;     // 脱贫劳动力
  std::optional<bool> returning_migrant = std::nullopt;      // 返乡创业
  std::optional<bool> disabled = std::nullopt;               // 残疾人
};

}  // namespace getihu::domain

#endif  // GETIHU_DOMAIN_HOUSEHOLD_H_
