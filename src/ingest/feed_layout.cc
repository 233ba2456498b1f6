#include "ingest/feed_layout.h"

#include <array>

namespace getihu::ingest {
namespace {

using F = FieldType;
using SV = std::string_view;

constexpr SV kUsccHeader = "统一社会信用代码";
constexpr FieldSpec kUsccField{"uscc", kUsccHeader, F::kUscc, true, "个体工商户的统一社会信用代码",
                               {}};

// --- registration and status changes (登记及状态变更) -----------------------------------
constexpr std::array<SV, 7> kChangeKinds = {"设立", "变更", "歇业",  "恢复营业",
                                            "注销", "吊销", "个转企"};
constexpr std::array<SV, 2> kForms = {"个人经营", "家庭经营"};
constexpr std::array<SV, 2> kYesNo = {"是", "否"};
constexpr std::array<FieldSpec, 16> kRegistration = {{
    kUsccField,
    {"change_kind", "变更类型", F::kEnum, true, "本行记载的登记事项", kChangeKinds},
    {"change_date", "变更日期", F::kDate, true, "登记机关核准该事项的日期（设立即成立日期）", {}},
    {"legacy_reg_no", "注册号", F::kLegacyRegNo, false, "2015 年前的 15 位注册号", {}},
    {"name", "名称", F::kText, false, "个体工商户名称（无字号的可为空）", {}},
    {"operator_name", "经营者姓名", F::kText, false, "经营者姓名；设立时必填", {}, true},
    {"operator_id", "经营者身份证号", F::kIdNumber, false, "经营者公民身份号码", {}, true},
    {"phone", "联系电话", F::kPhone, false, "经营者联系电话", {}, true},
    {"region_code",
     "登记机关区划代码",
     F::kRegionCode,
     false,
     "登记机关所在县级行政区划代码；设立时必填",
     {}},
    {"township_code",
     "乡镇街道代码",
     F::kTownshipCode,
     false,
     "经营场所所在乡镇（街道）9 位代码",
     {}},
    {"industry_code",
     "行业代码",
     F::kIndustryCode,
     false,
     "国民经济行业分类代码（GB/T 4754-2017）；设立时必填",
     {}},
    {"form", "组成形式", F::kEnum, false, "个人经营或家庭经营", kForms},
    {"premises", "经营场所", F::kText, false, "经营场所地址", {}, true},
    {"established_on", "成立日期", F::kDate, false, "成立日期；设立时必填", {}},
    {"online", "网络经营", F::kBool, false, "是否通过网络开展经营", kYesNo},
    {"converted_uscc",
     "转企后统一社会信用代码",
     F::kUscc,
     false,
     "个转企后企业的统一社会信用代码",
     {}},
}};
constexpr std::array<SV, 3> kRegistrationKey = {"uscc", "change_kind", "change_date"};

// --- annual reports (年度报告) ---------------------------------------------------------
constexpr std::array<FieldSpec, 7> kAnnualReport = {{
    kUsccField,
    {"year", "报告年度", F::kYear, true, "年报所属年度（上一年）", {}},
    {"revenue", "营业额(元)", F::kMoney, true, "全年营业额或营业收入", {}},
    {"tax_total", "纳税总额(元)", F::kMoney, false, "全年纳税总额", {}},
    {"staff", "从业人数", F::kCount, true, "含经营者本人的从业人数", {}},
    {"online_shop", "是否有网站或网店", F::kBool, false, "是否有网站或网店", kYesNo},
    {"filed_on", "报送日期", F::kDate, true, "年报报送日期", {}},
}};
constexpr std::array<SV, 2> kAnnualReportKey = {"uscc", "year"};

// --- tax (纳税信息) ---------------------------------------------------------------------
constexpr std::array<SV, 5> kCreditRatings = {"A", "B", "M", "C", "D"};
constexpr std::array<FieldSpec, 5> kTax = {{
    kUsccField,
    {"year", "所属年度", F::kYear, true, "税款所属年度", {}},
    {"tax_paid", "实缴税额(元)", F::kMoney, true, "年度实际缴纳的各项税款合计", {}},
    {"sales", "申报销售额(元)", F::kMoney, false, "年度申报的销售额（营业收入）", {}},
    {"credit_rating", "纳税信用等级", F::kEnum, false, "纳税信用级别 A/B/M/C/D", kCreditRatings},
}};
constexpr std::array<SV, 2> kYearKey = {"uscc", "year"};

// --- social insurance (社保参保) -------------------------------------------------------
constexpr std::array<FieldSpec, 3> kSocialInsurance = {{
    kUsccField,
    {"period", "所属期", F::kPeriod, true, "参保所属年度（YYYY）或月份（YYYY-MM）", {}},
    {"insured", "参保职工人数", F::kCount, true, "该期末在保的职工人数（不含经营者）", {}},
}};
constexpr std::array<SV, 2> kPeriodKey = {"uscc", "period"};

// --- housing fund (公积金缴存) ---------------------------------------------------------
constexpr std::array<FieldSpec, 3> kHousingFund = {{
    kUsccField,
    {"period", "所属期", F::kPeriod, true, "缴存所属年度或月份", {}},
    {"payers", "缴存人数", F::kCount, true, "该期缴存住房公积金的职工人数", {}},
}};

// --- loans (贷款信息) -------------------------------------------------------------------
constexpr std::array<FieldSpec, 7> kLoan = {{
    kUsccField,
    {"contract_no", "合同编号", F::kText, true, "贷款合同编号", {}},
    {"lender", "贷款机构", F::kText, true, "发放贷款的银行或机构", {}},
    {"granted_on", "放款日期", F::kDate, true, "贷款发放日期", {}},
    {"amount", "贷款金额(元)", F::kMoney, true, "发放金额", {}},
    {"first_loan", "是否首贷", F::kBool, true, "是否为该户在银行业金融机构的首笔贷款", kYesNo},
    {"due_on", "到期日期", F::kDate, false, "贷款到期日期（可晚于数据截止日期）", {}, false, true},
}};
constexpr std::array<SV, 2> kLoanKey = {"uscc", "contract_no"};

// --- trademarks and patents (商标专利) -------------------------------------------------
constexpr std::array<SV, 4> kIpKinds = {"商标", "发明专利", "实用新型专利", "外观设计专利"};
constexpr std::array<FieldSpec, 5> kIntellectualProperty = {{
    kUsccField,
    {"kind", "类型", F::kEnum, true, "知识产权类型", kIpKinds},
    {"number", "注册号或专利号", F::kText, true, "商标注册号或专利号", {}},
    {"title", "名称", F::kText, false, "商标名称或专利名称", {}},
    {"granted_on", "授权日期", F::kDate, true, "商标核准注册或专利授权日期", {}},
}};
constexpr std::array<SV, 3> kIpKey = {"uscc", "kind", "number"};

// --- administrative penalties (行政处罚) -----------------------------------------------
constexpr std::array<SV, 8> kPenaltyKinds = {"警告",         "通报批评",     "罚款",
                                             "没收违法所得", "暂扣许可证件", "责令停产停业",
                                             "吊销许可证件", "其他"};
constexpr std::array<FieldSpec, 7> kPenalty = {{
    kUsccField,
    {"document_no", "处罚决定书文号", F::kText, true, "行政处罚决定书文号", {}},
    {"decided_on", "处罚决定日期", F::kDate, true, "作出处罚决定的日期", {}},
    {"kind", "处罚种类", F::kEnum, true, "最重的处罚种类", kPenaltyKinds},
    {"amount", "罚没金额(元)", F::kMoney, false, "罚款及没收金额合计", {}},
    {"authority", "处罚机关", F::kText, false, "作出处罚决定的机关", {}},
    {"repaired_on", "信用修复日期", F::kDate, false, "完成信用修复、停止公示的日期", {}},
}};
constexpr std::array<SV, 2> kPenaltyKey = {"uscc", "document_no"};

// --- abnormal marks (经营异常) ----------------------------------------------------------
constexpr std::array<SV, 3> kAbnormalReasons = {
    "未按规定报送年度报告", "通过登记的经营场所无法联系", "年度报告隐瞒真实情况、弄虚作假"};
constexpr std::array<FieldSpec, 4> kAbnormal = {{
    kUsccField,
    {"marked_on", "标记日期", F::kDate, true, "标记为经营异常状态的日期", {}},
    {"reason", "标记原因", F::kEnum, true, "标记原因", kAbnormalReasons},
    {"recovered_on", "恢复日期", F::kDate, false, "恢复正常记载状态的日期", {}},
}};
constexpr std::array<SV, 2> kAbnormalKey = {"uscc", "marked_on"};

// --- dishonest debtors (失信被执行人) --------------------------------------------------
constexpr std::array<FieldSpec, 5> kDishonest = {{
    kUsccField,
    {"case_no", "案号", F::kText, true, "执行案号", {}},
    {"court", "执行法院", F::kText, true, "执行法院名称", {}},
    {"listed_on", "列入日期", F::kDate, true, "纳入失信被执行人名单的日期", {}},
    {"removed_on", "移出日期", F::kDate, false, "屏蔽或撤销失信信息的日期", {}},
}};
constexpr std::array<SV, 2> kDishonestKey = {"uscc", "case_no"};

// --- safety accidents (安全事故) -------------------------------------------------------
constexpr std::array<SV, 4> kAccidentLevels = {"一般", "较大", "重大", "特别重大"};
constexpr std::array<FieldSpec, 4> kAccident = {{
    kUsccField,
    {"occurred_on", "事故发生日期", F::kDate, true, "事故发生日期", {}},
    {"level", "事故等级", F::kEnum, true, "生产安全事故等级", kAccidentLevels},
    {"summary", "事故简述", F::kText, false, "事故经过简述", {}},
}};
constexpr std::array<SV, 2> kAccidentKey = {"uscc", "occurred_on"};

// --- honours and certifications (荣誉认证) ---------------------------------------------
constexpr std::array<SV, 11> kHonourKinds = {
    "中华老字号", "地方老字号", "非遗代表性项目", "非遗工坊", "地理标志", "放心消费示范单位",
    "绿色食品",   "有机产品",   "星级农家乐",     "等级民宿", "其他荣誉"};
constexpr std::array<SV, 4> kHonourLevels = {"县级", "市级", "省级", "国家级"};
constexpr std::array<FieldSpec, 7> kHonour = {{
    kUsccField,
    {"kind", "荣誉类型", F::kEnum, true, "荣誉或认证类型", kHonourKinds},
    {"level", "级别", F::kEnum, true, "授予单位的级别", kHonourLevels},
    {"issuer", "授予单位", F::kText, true, "授予或认定单位", {}},
    {"granted_on", "授予日期", F::kDate, true, "授予或认定日期", {}},
    {"expires_on",
     "有效期至",
     F::kDate,
     false,
     "有效期截止日期（长期有效为空，可晚于数据截止日期）",
     {},
     false,
     true},
    {"certificate_no", "证书编号", F::kText, false, "证书或文件编号", {}},
}};
constexpr std::array<SV, 4> kHonourKey = {"uscc", "kind", "level", "granted_on"};

// --- owner attributes (经营者属性) — sensitive ------------------------------------------
constexpr std::array<FieldSpec, 8> kOwnerAttribute = {{
    kUsccField,
    {"veteran", "退役军人", F::kBool, true, "经营者是否为退役军人", kYesNo, true},
    {"graduation_year",
     "高校毕业年份",
     F::kYear,
     false,
     "经营者高校毕业年份（非高校毕业生为空）",
     {},
     true},
    {"employment_difficulty", "就业困难人员", F::kBool, true, "是否为认定的就业困难人员", kYesNo,
     true},
    {"poverty_alleviated", "脱贫劳动力", F::kBool, true, "是否为脱贫劳动力（含监测对象）", kYesNo,
     true},
    {"returning_migrant", "返乡入乡创业", F::kBool, true, "是否为返乡入乡创业人员", kYesNo, true},
    {"disabled", "残疾人", F::kBool, true, "是否为持证残疾人", kYesNo, true},
    {"as_of", "认定日期", F::kDate, true, "上述属性的认定或更新日期", {}},
}};
constexpr std::array<SV, 1> kUsccKey = {"uscc"};

constexpr std::array<FeedLayout, 13> kFeeds = {{
    {"registration", "登记及状态变更", "市场监管", "每行一条登记事项，按变更日期生效",
     kRegistrationKey, kRegistration},
    {"annual_report", "年度报告", "市场监管", "每户每个报告年度一行", kAnnualReportKey,
     kAnnualReport},
    {"tax", "纳税信息", "税务", "每户每个所属年度一行", kYearKey, kTax},
    {"social_insurance", "社保参保", "人社", "每户每个所属期一行", kPeriodKey, kSocialInsurance},
    {"housing_fund", "公积金缴存", "公积金中心", "每户每个所属期一行", kPeriodKey, kHousingFund},
    {"loan", "贷款信息", "人行/银行", "每笔贷款一行，按放款日期", kLoanKey, kLoan},
    {"intellectual_property", "商标专利", "知识产权", "每件商标或专利一行，按授权日期", kIpKey,
     kIntellectualProperty},
    {"penalty", "行政处罚", "市场监管/执法部门", "每份处罚决定一行，按决定日期", kPenaltyKey,
     kPenalty},
    {"abnormal", "经营异常", "市场监管", "每次标记一行，恢复后补记恢复日期", kAbnormalKey,
     kAbnormal},
    {"dishonest_debtor", "失信被执行人", "法院", "每个执行案件一行", kDishonestKey, kDishonest},
    {"safety_accident", "安全事故", "应急管理", "每起事故一行", kAccidentKey, kAccident},
    {"honour", "荣誉认证", "商务/文旅/农业农村", "每项荣誉或认证一行", kHonourKey, kHonour},
    {"owner_attribute", "经营者属性", "人社/退役军人事务/乡村振兴/残联", "每户一行，以认定日期为准",
     kUsccKey, kOwnerAttribute},
}};

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case F::kText:
      return "文本";
    case F::kUscc:
      return "统一社会信用代码";
    case F::kLegacyRegNo:
      return "注册号";
    case F::kRegionCode:
      return "区划代码（6位）";
    case F::kTownshipCode:
      return "乡镇街道代码（9位）";
    case F::kIndustryCode:
      return "行业代码";
    case F::kDate:
      return "日期";
    case F::kMoney:
      return "金额（元，两位小数）";
    case F::kCount:
      return "非负整数";
    case F::kYear:
      return "年份";
    case F::kPeriod:
      return "所属期（YYYY 或 YYYY-MM）";
    case F::kEnum:
      return "枚举";
    case F::kBool:
      return "是/否";
    case F::kIdNumber:
      return "身份证号";
    case F::kPhone:
      return "电话";
  }
  return "?";
}

std::span<const FeedLayout> AllFeeds() { return kFeeds; }

const FeedLayout* FindFeed(std::string_view name) {
  for (const FeedLayout& feed : kFeeds) {
    if (feed.name == name) return &feed;
  }
  return nullptr;
}

const FieldSpec* FindField(const FeedLayout& feed, std::string_view key) {
  for (const FieldSpec& field : feed.fields) {
    if (field.key == key) return &field;
  }
  return nullptr;
}

}  // namespace getihu::ingest
