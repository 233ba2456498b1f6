#include "ingest/field_parser.h"

#include <charconv>

#include "base/money.h"
#include "base/text.h"
#include "domain/citizen_id.h"
#include "domain/industry.h"

namespace getihu::ingest {
namespace {

constexpr size_t kMaxTextChars = 500;

bool Fail(FieldError& error, std::string_view reason, std::string message) {
  error.reason = reason;
  error.message = std::move(message);
  return false;
}

std::string Quoted(std::string_view s) {
  constexpr size_t kShown = 60;
  if (s.size() > kShown) return "“" + std::string(s.substr(0, kShown)) + "…”";
  return "“" + std::string(s) + "”";
}

bool NeedsFolding(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80 || (c >= 'a' && c <= 'z')) return true;
  }
  return false;
}

// Trimmed, full-width folded, upper-cased form of a code.
std::string NormalizeCode(std::string_view raw) {
  if (!NeedsFolding(raw)) return std::string(raw);
  std::string s = base::FoldFullWidth(raw);
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// Fast path for the common case: 18 valid symbols and a matching check character.
bool QuickUsccCheck(std::string_view s) {
  if (s.size() != domain::kUsccLength) return false;
  for (char c : s) {
    if (domain::UsccCharValue(c) < 0) return false;
  }
  return domain::UsccCheckChar(s.substr(0, 17)) == s[17];
}

}  // namespace

std::string_view ReasonLabel(std::string_view reason) {
  static const std::unordered_map<std::string_view, std::string_view> kLabels = {
      {"missing_required", "必填项为空"},
      {"invalid_uscc", "统一社会信用代码无效"},
      {"invalid_reg_no", "注册号无效"},
      {"invalid_region", "区划代码无效"},
      {"invalid_industry", "行业代码无效"},
      {"invalid_date", "日期无效"},
      {"future_date", "日期晚于数据截止日期"},
      {"invalid_amount", "金额无效"},
      {"negative_amount", "金额为负数"},
      {"invalid_number", "数值无效"},
      {"invalid_period", "所属期无效"},
      {"invalid_choice", "取值不在可选范围内"},
      {"invalid_id_number", "身份证号无效"},
      {"invalid_phone", "电话号码无效"},
      {"too_long", "内容过长"},
      {"date_order", "日期先后矛盾"},
      {"duplicate_key", "文件内重复"},
      {"unknown_household", "无对应登记记录"},
      {"missing_for_establish", "设立登记缺少必要信息"},
      {"status_conflict", "登记状态变更不合理"},
  };
  auto it = kLabels.find(reason);
  return it == kLabels.end() ? reason : it->second;
}

FieldParser::FieldParser(base::Date as_of, const domain::RegionTable& regions,
                         const domain::UsccAllowList* allow_list)
    : as_of_(as_of), regions_(regions), allow_list_(allow_list) {}

bool FieldParser::Parse(const FieldSpec& spec, std::string_view raw, FieldValue& out,
                        FieldError& error) {
  std::string_view s = base::TrimSpaces(raw);
  out.present = !s.empty();
  out.number = 0;
  out.text.clear();
  if (s.empty()) {
    if (!spec.required) return true;
    return Fail(error, "missing_required", "必填项“" + std::string(spec.header) + "”为空");
  }
  switch (spec.type) {
    case FieldType::kUscc:
      return ParseUscc(s, out, error);
    case FieldType::kRegionCode:
    case FieldType::kTownshipCode:
      return ParseRegion(spec, s, out, error);
    case FieldType::kIndustryCode:
      return ParseIndustry(s, out, error);
    case FieldType::kDate:
      return ParseDate(s, spec.future_ok, out, error);
    case FieldType::kMoney:
      return ParseMoney(s, out, error);
    case FieldType::kCount:
    case FieldType::kYear:
      return ParseInteger(spec, s, out, error);
    case FieldType::kPeriod:
      return ParsePeriod(s, out, error);
    case FieldType::kEnum:
    case FieldType::kBool:
      return ParseChoice(spec, s, out, error);
    case FieldType::kLegacyRegNo: {
      out.text = NormalizeCode(s);
      domain::UsccInfo info = domain::AnalyzeUscc(out.text);
      if (info.kind != domain::CodeKind::kLegacyRegistration || !info.valid) {
        return Fail(error, "invalid_reg_no",
                    "注册号" + Quoted(s) + "无效，应为 15 位数字且校验位正确");
      }
      return true;
    }
    case FieldType::kIdNumber: {
      auto id = domain::ValidateCitizenId(NormalizeCode(s));
      if (!id.ok()) return Fail(error, "invalid_id_number", id.status().message());
      out.text = std::move(*id);
      return true;
    }
    case FieldType::kPhone: {
      std::string p = NormalizeCode(s);
      size_t digits = 0;
      for (char c : p) {
        if (c >= '0' && c <= '9') {
          ++digits;
        } else if (c != '-' && c != ' ' && c != '+') {
          return Fail(error, "invalid_phone", "电话号码" + Quoted(s) + "含有非数字字符");
        }
      }
      if (digits < 7 || digits > 15)
        return Fail(error, "invalid_phone", "电话号码" + Quoted(s) + "位数不对");
      out.text = std::move(p);
      return true;
    }
    case FieldType::kText:
      return ParseText(spec, s, out, error);
  }
  return Fail(error, "invalid_choice", "未知字段类型");
}

bool FieldParser::ParseUscc(std::string_view s, FieldValue& out, FieldError& error) {
  if (QuickUsccCheck(s)) {
    out.text.assign(s);
    return true;
  }
  out.text = NormalizeCode(s);
  domain::UsccInfo info = domain::AnalyzeUscc(out.text, allow_list_);
  if (info.kind != domain::CodeKind::kUscc) {
    return Fail(error, "invalid_uscc", "统一社会信用代码" + Quoted(s) + "应为 18 位");
  }
  if (info.valid) return true;
  for (const domain::UsccIssue& issue : info.issues) {
    if (issue.severity == domain::UsccIssue::Severity::kError) {
      return Fail(error, "invalid_uscc", "统一社会信用代码" + Quoted(s) + "：" + issue.message);
    }
  }
  return Fail(error, "invalid_uscc", "统一社会信用代码" + Quoted(s) + "无效");
}

bool FieldParser::ParseRegion(const FieldSpec& spec, std::string_view s, FieldValue& out,
                              FieldError& error) {
  size_t want = spec.type == FieldType::kRegionCode ? 6 : 9;
  auto [it, inserted] = code_cache_.try_emplace((want == 6 ? "R" : "T") + std::string(s));
  if (inserted) {
    base::Status st = regions_.Validate(s);
    if (st.ok() && s.size() != want) {
      st = base::InvalidArgument("区划代码" + Quoted(s) + "应为 " + std::to_string(want) + " 位");
    }
    it->second.first = st.ok() ? "" : st.message();
    it->second.second = std::string(s);
  }
  if (!it->second.first.empty()) return Fail(error, "invalid_region", it->second.first);
  out.text = it->second.second;
  return true;
}

bool FieldParser::ParseIndustry(std::string_view s, FieldValue& out, FieldError& error) {
  auto [it, inserted] = code_cache_.try_emplace("I" + std::string(s));
  if (inserted) {
    auto info = domain::AnalyzeIndustry(s);
    it->second.first = info.ok() ? "" : info.status().message();
    it->second.second = info.ok() ? info->code : "";
  }
  if (!it->second.first.empty()) return Fail(error, "invalid_industry", it->second.first);
  out.text = it->second.second;
  return true;
}

bool FieldParser::ParseDate(std::string_view s, bool future_ok, FieldValue& out,
                            FieldError& error) {
  auto d = base::Date::Parse(s);
  if (!d.ok()) return Fail(error, "invalid_date", d.status().message());
  if (*d > as_of_ && !future_ok) {
    return Fail(error, "future_date", "日期" + Quoted(s) + "晚于数据截止日期 " + as_of_.ToString());
  }
  out.date = *d;
  return true;
}

bool FieldParser::ParseMoney(std::string_view s, FieldValue& out, FieldError& error) {
  auto m = base::Money::ParseYuan(s);
  if (!m.ok()) return Fail(error, "invalid_amount", m.status().message());
  if (m->fen() < 0) return Fail(error, "negative_amount", "金额" + Quoted(s) + "不能为负数");
  out.number = m->fen();
  return true;
}

bool FieldParser::ParseInteger(const FieldSpec& spec, std::string_view s, FieldValue& out,
                               FieldError& error) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  bool whole = ec == std::errc() && end == s.data() + s.size();
  if (spec.type == FieldType::kYear) {
    if (!whole || s.size() != 4 || v < 1900 || v > as_of_.year()) {
      return Fail(error, "invalid_number",
                  "年份" + Quoted(s) + "无效，应为 1900 到 " + std::to_string(as_of_.year()) +
                      " 之间的四位数");
    }
  } else if (!whole || v < 0 || v > 10'000'000) {
    return Fail(error, "invalid_number",
                "“" + std::string(spec.header) + "”的值" + Quoted(s) + "应为非负整数");
  }
  out.number = v;
  return true;
}

bool FieldParser::ParsePeriod(std::string_view s, FieldValue& out, FieldError& error) {
  int year = 0, month = 0;
  bool ok = false;
  if (s.size() == 4) {
    ok = std::from_chars(s.data(), s.data() + 4, year).ec == std::errc();
  } else if (s.size() == 7 && (s[4] == '-' || s[4] == '/')) {
    ok = std::from_chars(s.data(), s.data() + 4, year).ec == std::errc() &&
         std::from_chars(s.data() + 5, s.data() + 7, month).ec == std::errc() && month >= 1 &&
         month <= 12;
  }
  if (!ok || year < 1900)
    return Fail(error, "invalid_period", "所属期" + Quoted(s) + "应为 YYYY 或 YYYY-MM");
  if (year > as_of_.year() || (year == as_of_.year() && month > as_of_.month())) {
    return Fail(error, "future_date",
                "所属期" + Quoted(s) + "晚于数据截止日期 " + as_of_.ToString());
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, month ? "%04d-%02d" : "%04d", year, month);
  out.text = buf;
  return true;
}

bool FieldParser::ParseChoice(const FieldSpec& spec, std::string_view s, FieldValue& out,
                              FieldError& error) {
  std::string folded = NeedsFolding(s) ? base::FoldFullWidth(s) : std::string(s);
  if (spec.type == FieldType::kBool) {
    if (folded == "是" || folded == "Y" || folded == "y" || folded == "1") {
      out.number = 1;
    } else if (folded == "否" || folded == "N" || folded == "n" || folded == "0") {
      out.number = 0;
    } else {
      return Fail(error, "invalid_choice",
                  "“" + std::string(spec.header) + "”应填“是”或“否”，实际为" + Quoted(s));
    }
    out.text = out.number ? "是" : "否";
    return true;
  }
  for (size_t i = 0; i < spec.values.size(); ++i) {
    if (spec.values[i] == folded) {
      out.number = static_cast<int64_t>(i);
      out.text.assign(spec.values[i]);
      return true;
    }
  }
  std::string allowed;
  for (std::string_view v : spec.values) allowed += (allowed.empty() ? "" : "、") + std::string(v);
  return Fail(
      error, "invalid_choice",
      "“" + std::string(spec.header) + "”的值" + Quoted(s) + "不在可选范围内（" + allowed + "）");
}

bool FieldParser::ParseText(const FieldSpec& spec, std::string_view s, FieldValue& out,
                            FieldError& error) {
  if (base::Utf8Length(s) > kMaxTextChars) {
    return Fail(
        error, "too_long",
        "“" + std::string(spec.header) + "”超过 " + std::to_string(kMaxTextChars) + " 个字");
  }
  out.text.assign(s);
  return true;
}

}  // namespace getihu::ingest
