#include "domain/uscc.h"

#include <array>
#include <cassert>

#include "base/text.h"

namespace getihu::domain {
namespace {

using Severity = UsccIssue::Severity;

// w_i = 3^(i-1) mod 31 for positions 1..17 (GB 32100 / GB/T 17710).
constexpr std::array<int, 17> kUsccWeights = [] {
  std::array<int, 17> weights{};
  int power = 1;
  for (int& w : weights) {
    w = power;
    power = power * 3 % 31;
  }
  return weights;
}();
static_assert(kUsccWeights[16] == 28);

constexpr std::array<int, 8> kOrgCodeWeights = {3, 7, 9, 10, 5, 8, 4, 2};

struct Department {
  char code;
  std::string_view name;
};
constexpr Department kDepartments[] = {
    {'1', "机构编制"}, {'2', "外交"},
    {'3', "司法行政"}, {'4', "文化"},
    {'5', "民政"},     {'6', "旅游"},
    {'7', "宗教"},     {'8', "工会"},
    {'9', "工商"},     {'A', "中央军委改革和编制办公室"},
    {'N', "农业"},     {'Y', "其他"},
};

struct EntityType {
  char department;
  char code;
  std::string_view name;
};
// Only the departments of README §7.1 have a type table; others are not checked.
constexpr EntityType kEntityTypes[] = {
    {'1', '1', "机关"},
    {'1', '2', "事业单位"},
    {'1', '3', "编办直接管理机构编制的群众团体"},
    {'1', '9', "其他"},
    {'5', '1', "社会团体"},
    {'5', '2', "民办非企业单位"},
    {'5', '3', "基金会"},
    {'5', '9', "其他"},
    {'9', '1', "企业"},
    {'9', '2', "个体工商户"},
    {'9', '3', "农民专业合作社"},
};

// GB 11714 character value: 0-9, then the full alphabet A..Z as 10..35.
int OrgCodeCharValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

bool IsProvinceCode(int p) {
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         p == 81 || p == 82;
}

bool IsDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }
std::string Quote(char c) { return Quote(std::string_view(&c, 1)); }

// Splits into code points when `s` is valid UTF-8, else into bytes.
std::vector<std::string_view> SplitChars(std::string_view s) {
  std::vector<std::string_view> chars;
  bool utf8 = base::IsValidUtf8(s);
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    if (utf8) {
      while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
    }
    chars.push_back(s.substr(i, n));
    i += n;
  }
  return chars;
}

std::string Normalize(std::string_view code) {
  std::string out(base::TrimSpaces(base::FoldFullWidth(base::TrimSpaces(code))));
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

void AddIssue(UsccInfo& info, Severity severity, std::string_view code, std::string message) {
  info.issues.push_back({severity, std::string(code), std::move(message)});
}

bool HasError(const UsccInfo& info) {
  for (const UsccIssue& issue : info.issues) {
    if (issue.severity == Severity::kError) return true;
  }
  return false;
}

std::string CheckCharMessage(char expected, char actual) {
  return "校验位应为" + Quote(expected) + "，实际为" + Quote(actual);
}

// Reports each character outside the set; returns true when all are valid.
bool CheckCharacters(const std::vector<std::string_view>& chars, bool digits_only, UsccInfo& info) {
  bool all_valid = true;
  for (size_t i = 0; i < chars.size(); ++i) {
    char c = chars[i].size() == 1 ? chars[i][0] : '\0';
    bool ok = digits_only ? (c >= '0' && c <= '9') : UsccCharValue(c) >= 0;
    if (ok) continue;
    all_valid = false;
    std::string rule = digits_only ? "注册号只能由数字组成"
                                   : "统一社会信用代码只使用数字和大写字母，不含I、O、S、V、Z";
    AddIssue(info, Severity::kError, "invalid_char",
             "第" + std::to_string(i + 1) + "位字符" + Quote(chars[i]) + "无效：" + rule);
  }
  return all_valid;
}

void ReadDepartmentAndType(UsccInfo& info) {
  const std::string& s = info.normalized;
  info.department = s[0];
  info.entity_type = s[1];
  bool has_type_table = false;
  for (const Department& d : kDepartments) {
    if (d.code == info.department) info.department_name = d.name;
  }
  for (const EntityType& t : kEntityTypes) {
    if (t.department != info.department) continue;
    has_type_table = true;
    if (t.code == info.entity_type) info.entity_type_name = t.name;
  }
  if (info.department_name.empty()) {
    AddIssue(info, Severity::kWarning, "department",
             "第1位登记管理部门码" + Quote(info.department) + "未定义");
  } else if (has_type_table && info.entity_type_name.empty()) {
    AddIssue(info, Severity::kWarning, "entity_type",
             "第2位机构类别码" + Quote(info.entity_type) + "在登记管理部门" +
                 Quote(info.department_name) + "下未定义");
  }
  info.is_household_by_prefix = info.department == '9' && info.entity_type == '2';
}

// `national_ok` admits "10", the prefix of 注册号 issued by the national authority.
void CheckRegion(std::string_view part, bool national_ok, UsccInfo& info) {
  std::string where = info.kind == CodeKind::kUscc ? "第3–8位" : "前6位";
  if (!IsDigits(part)) {
    AddIssue(info, Severity::kError, "region",
             where + "行政区划代码" + Quote(part) + "无效：应为6位数字");
    return;
  }
  int province = (part[0] - '0') * 10 + (part[1] - '0');
  if (!IsProvinceCode(province) && !(national_ok && province == 10)) {
    AddIssue(info, Severity::kError, "region",
             where + "行政区划代码" + Quote(part) + "无效：前两位" + Quote(part.substr(0, 2)) +
                 "不是省级行政区划代码");
  }
}

void CheckInnerCode(UsccInfo& info) {
  char expected = OrgCodeCheckChar(std::string_view(info.org_code).substr(0, 8));
  char actual = info.org_code[8];
  if (expected != '\0' && expected != actual) {
    AddIssue(info, Severity::kWarning, "inner_check",
             "第9–17位组织机构代码的" + CheckCharMessage(expected, actual) + "（仅提示）");
  }
}

void AnalyzeFullCode(const std::vector<std::string_view>& chars, const UsccAllowList* allow_list,
                     UsccInfo& info) {
  bool all_valid = CheckCharacters(chars, /*digits_only=*/false, info);
  const std::string& s = info.normalized;
  if (s.size() != kUsccLength) return;  // a non-ASCII character; the parts are unreadable
  ReadDepartmentAndType(info);
  info.region_code = s.substr(2, 6);
  info.org_code = s.substr(8, 9);
  info.check_char = s[17];
  CheckRegion(info.region_code, /*national_ok=*/false, info);
  CheckInnerCode(info);
  std::string_view first17 = std::string_view(s).substr(0, 17);
  bool body_valid = true;
  for (char c : first17) body_valid = body_valid && UsccCharValue(c) >= 0;
  if (!body_valid) return;
  info.expected_check_char = UsccCheckChar(first17);
  if (!all_valid || info.expected_check_char == info.check_char) return;
  std::string message = CheckCharMessage(info.expected_check_char, info.check_char);
  if (allow_list != nullptr && allow_list->Contains(s)) {
    info.allow_listed = true;
    AddIssue(info, Severity::kWarning, "allow_listed",
             message + "；该代码在例外名单中，按有效处理");
  } else {
    AddIssue(info, Severity::kError, "check_char", message);
  }
}

void AnalyzeLegacy(const std::vector<std::string_view>& chars, UsccInfo& info) {
  info.kind = CodeKind::kLegacyRegistration;
  if (!CheckCharacters(chars, /*digits_only=*/true, info)) return;
  const std::string& s = info.normalized;
  info.region_code = s.substr(0, 6);
  info.sequence = s.substr(6, 8);
  info.check_char = s[14];
  info.is_household_by_prefix = s[6] >= '6';
  CheckRegion(info.region_code, /*national_ok=*/true, info);
  info.expected_check_char = LegacyRegistrationCheckDigit(std::string_view(s).substr(0, 14));
  if (info.expected_check_char != info.check_char) {
    AddIssue(info, Severity::kError, "check_char",
             "注册号" + CheckCharMessage(info.expected_check_char, info.check_char));
  }
}

// The generator's body space: 'M' then 7 free symbols (codes issued since 2015 by market
// regulation start with 'M'). An affine map mod 31^7 scrambles the sequence bijectively.
constexpr uint64_t kBodySpace = 27512614111;  // 31^7
constexpr uint64_t kScrambleMultiplier = 16777259;
constexpr uint64_t kScrambleOffset = 1234567891;
static_assert(kScrambleMultiplier % 31 != 0, "must be invertible mod 31^7");
static_assert(kBodySpace <= UINT64_MAX / kScrambleMultiplier, "no overflow");

}  // namespace

int UsccCharValue(char c) {
  size_t pos = kUsccAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

char UsccCheckChar(std::string_view first17) {
  assert(first17.size() == 17);
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int value = UsccCharValue(first17[i]);
    assert(value >= 0);
    sum += value * kUsccWeights[i];
  }
  int c = 31 - sum % 31;
  return kUsccAlphabet[c == 31 ? 0 : c];
}

char OrgCodeCheckChar(std::string_view first8) {
  if (first8.size() != 8) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    int value = OrgCodeCharValue(first8[i]);
    if (value < 0) return '\0';
    sum += value * kOrgCodeWeights[i];
  }
  int c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : static_cast<char>('0' + c);
}

void UsccAllowList::Add(std::string_view code) { codes_.insert(Normalize(code)); }

bool UsccAllowList::Contains(std::string_view normalized_code) const {
  return codes_.contains(std::string(normalized_code));
}

base::Status UsccAllowList::LoadFromText(std::string_view text) {
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    line = line.substr(0, line.find('#'));
    std::string code = Normalize(line);
    if (code.empty()) continue;
    if (base::Utf8Length(code) != kUsccLength) {
      return base::InvalidArgument("例外名单第" + std::to_string(line_number) + "行：" +
                                   Quote(code) + "不是18位统一社会信用代码");
    }
    codes_.insert(std::move(code));
  }
  return base::OkStatus();
}

UsccInfo AnalyzeUscc(std::string_view code, const UsccAllowList* allow_list) {
  UsccInfo info;
  info.normalized = Normalize(code);
  std::vector<std::string_view> chars = SplitChars(info.normalized);
  if (chars.size() == kUsccLength) {
    AnalyzeFullCode(chars, allow_list, info);
  } else if (chars.size() == kLegacyRegistrationLength) {
    AnalyzeLegacy(chars, info);
  } else if (chars.empty()) {
    AddIssue(info, Severity::kError, "length", "统一社会信用代码为空");
  } else {
    AddIssue(
        info, Severity::kError, "length",
        "长度为" + std::to_string(chars.size()) + "位，统一社会信用代码应为18位（旧注册号为15位）");
  }
  info.valid = !HasError(info);
  return info;
}

base::Status ValidateUscc(std::string_view code, const UsccAllowList* allow_list) {
  UsccInfo info = AnalyzeUscc(code, allow_list);
  for (const UsccIssue& issue : info.issues) {
    if (issue.severity == Severity::kError) return base::InvalidArgument(issue.message);
  }
  return base::OkStatus();
}

char LegacyRegistrationCheckDigit(std::string_view first14) {
  assert(first14.size() == 14 && IsDigits(first14));
  int p = 10;
  for (char d : first14) {
    int s = (p + (d - '0')) % 10;
    if (s == 0) s = 10;
    p = s * 2 % 11;
  }
  return static_cast<char>('0' + (11 - p) % 10);
}

UsccGenerator::UsccGenerator(std::string_view region_code, char department, char entity_type) {
  assert(region_code.size() == 6 && IsDigits(region_code));
  assert(UsccCharValue(department) >= 0 && UsccCharValue(entity_type) >= 0);
  prefix_ = std::string{department, entity_type};
  prefix_ += region_code;
}

std::string UsccGenerator::Generate(uint64_t sequence) const {
  uint64_t x = (sequence % kBodySpace * kScrambleMultiplier + kScrambleOffset) % kBodySpace;
  std::string code = prefix_ + "M0000000";
  for (size_t i = 15; i >= 9; --i) {
    code[i] = kUsccAlphabet[x % 31];
    x /= 31;
  }
  code += OrgCodeCheckChar(std::string_view(code).substr(8, 8));  // 0-9 or X: all in the set
  code += UsccCheckChar(code);
  return code;
}

std::string GenerateLegacyRegistration(std::string_view region_code, uint64_t sequence) {
  assert(region_code.size() == 6 && IsDigits(region_code));
  std::string code(region_code);
  code += std::to_string(60000000 + sequence % 40000000);
  code += LegacyRegistrationCheckDigit(code);
  return code;
}

}  // namespace getihu::domain
