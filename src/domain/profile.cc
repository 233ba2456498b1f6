#include "domain/profile.h"

#include <array>

namespace getihu::domain {
namespace {

using T = ProfileType;

constexpr std::array<ProfileField, 33> kCatalog = {{
    {"status", T::kCode, "", "登记状态", "registration", "status on the as-of date"},
    {"months_in_business", T::kInt, "月", "存续月数", "registration",
     "full months from registration to the as-of date"},
    {"years_in_business", T::kInt, "年", "存续年数", "registration", "months_in_business / 12"},
    {"region", T::kCode, "", "登记机关区划", "registration", "6-digit county code"},
    {"township", T::kCode, "", "乡镇（街道）", "registration", "9-digit township code"},
    {"industry", T::kCode, "", "行业代码", "registration", "GB/T 4754-2017 code as registered"},
    {"section", T::kCode, "", "行业门类", "registration", "section letter of the industry"},
    {"sector", T::kInt, "", "三次产业", "registration", "1, 2 or 3 (2018 rule)"},
    {"online", T::kBool, "", "网络经营", "registration, annual_report", "registered as online"},
    {"annual_report_filed", T::kBool, "", "上年度年报已报送", "annual_report",
     "an annual report for year Y-1 exists (Y = the as-of year)"},
    {"revenue_prev", T::kMoney, "元", "上年度营业额", "annual_report",
     "营业额 of the Y-1 annual report; missing without one"},
    {"tax_paid_prev", T::kMoney, "元", "上年度纳税额", "tax, annual_report",
     "实缴税额 of the Y-1 tax record, else 纳税总额 of the Y-1 annual report"},
    {"employees", T::kInt, "人", "雇员人数", "social_insurance, annual_report",
     "insured employees of Y-1 when reported, else 从业人数 − 1 of the Y-1 annual report"},
    {"insured_employees", T::kInt, "人", "参保职工人数", "social_insurance",
     "insured employees of Y-1"},
    {"housing_fund_payers", T::kInt, "人", "公积金缴存人数", "housing_fund", "payers of Y-1"},
    {"trademarks", T::kInt, "件", "商标数", "intellectual_property",
     "trademarks granted by the as-of date"},
    {"patents", T::kInt, "件", "专利数", "intellectual_property",
     "patents of any kind granted by the as-of date"},
    {"honours", T::kCodeSet, "", "荣誉认证", "honour",
     "honour kinds granted by the as-of date and not expired"},
    {"abnormal_now", T::kBool, "", "经营异常", "abnormal",
     "marked abnormal on or before the as-of date and not recovered by then"},
    {"unrepaired_penalty_12m", T::kBool, "", "一年内未修复的处罚", "penalty",
     "a fine or heavier decided within 12 months before the as-of date and not credit-repaired"},
    {"dishonest_debtor", T::kBool, "", "失信被执行人", "dishonest_debtor",
     "listed on or before the as-of date and not removed by then"},
    {"safety_accident_12m", T::kBool, "", "一年内安全事故", "safety_accident",
     "an accident within 12 months before the as-of date"},
    {"first_loan", T::kBool, "", "已获首贷", "loan",
     "a loan flagged 首贷 granted by the as-of date"},
    {"veteran", T::kBool, "", "退役军人", "owner_attribute", "as reported; missing when not"},
    {"graduation_year", T::kInt, "年", "高校毕业年份", "owner_attribute", "as reported"},
    {"employment_difficulty", T::kBool, "", "就业困难人员", "owner_attribute", "as reported"},
    {"poverty_alleviated", T::kBool, "", "脱贫劳动力", "owner_attribute", "as reported"},
    {"returning_migrant", T::kBool, "", "返乡入乡创业", "owner_attribute", "as reported"},
    {"disabled", T::kBool, "", "残疾人", "owner_attribute", "as reported"},
    {"uscc", T::kCode, "", "统一社会信用代码", "registration", "the household's key"},
    {"household_id", T::kInt, "", "户编号", "registration", "the pool's surrogate key"},
    {"registered_before_year", T::kBool, "", "上年度前已成立", "registration",
     "registered before 1 January of the as-of year"},
    {"credit_clean", T::kBool, "", "信用良好", "abnormal, penalty, dishonest_debtor",
     "not abnormal_now, no unrepaired_penalty_12m, not dishonest_debtor"},
}};

}  // namespace

std::span<const ProfileField> ProfileCatalog() { return kCatalog; }

const ProfileField* FindProfileField(std::string_view name) {
  for (const ProfileField& f : kCatalog) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string_view ProfileTypeName(ProfileType type) {
  switch (type) {
    case T::kBool:
      return "bool";
    case T::kInt:
      return "int";
    case T::kMoney:
      return "money";
    case T::kCode:
      return "code";
    case T::kCodeSet:
      return "code_set";
  }
  return "?";
}

}  // namespace getihu::domain
