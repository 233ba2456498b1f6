#include "domain/uscc.h"

#include <gtest/gtest.h>

#include <unordered_set>

#include "domain/region.h"

namespace getihu::domain {
namespace {

using Severity = UsccIssue::Severity;

bool HasIssue(const UsccInfo& info, std::string_view code, Severity severity) {
  for (const UsccIssue& issue : info.issues) {
    if (issue.code == code && issue.severity == severity) return true;
  }
  return false;
}

std::string MessageOf(const UsccInfo& info, std::string_view code) {
  for (const UsccIssue& issue : info.issues) {
    if (issue.code == code) return issue.message;
  }
  return "";
}

// Completes 17 characters with their check character.
std::string WithCheckChar(std::string first17) { return first17 + UsccCheckChar(first17); }

// The county-level codes of the built-in table, in code order.
std::vector<std::string> AllCounties() {
  std::vector<std::string> counties;
  const RegionTable& table = RegionTable::Builtin();
  for (int p = 10; p <= 99; ++p) {
    for (const Region* prefecture : table.Children(std::to_string(p))) {
      for (const Region* county : table.Children(prefecture->code))
        counties.push_back(county->code);
    }
  }
  return counties;
}

// The worked examples of README §7.3, then generated codes: one county per prefecture of
// the built-in table, and the province-level codes of Taiwan, Hong Kong and Macao.
std::vector<std::string> SampleCodes() {
  std::vector<std::string> codes = {"914403001922038216", "92340602MA2PBMEM24"};
  std::string previous_prefecture;
  std::vector<std::string> regions = {"710000", "810000", "820000"};
  for (const std::string& county : AllCounties()) {
    if (county.substr(0, 4) != previous_prefecture) regions.push_back(county);
    previous_prefecture = county.substr(0, 4);
  }
  for (const std::string& region : regions) {
    codes.push_back(UsccGenerator(region, '9', '2').Generate(codes.size() * 7919));
  }
  return codes;
}

TEST(UsccTest, GivesTheThirtyOneSymbolsTheirValues) {
  for (size_t i = 0; i < kUsccAlphabet.size(); ++i) {
    EXPECT_EQ(UsccCharValue(kUsccAlphabet[i]), static_cast<int>(i));
  }
  EXPECT_EQ(UsccCharValue('A'), 10);
  EXPECT_EQ(UsccCharValue('J'), 18);
  EXPECT_EQ(UsccCharValue('Y'), 30);
  for (char c : {'I', 'O', 'S', 'V', 'Z', 'a', '-', ' ', '\0'}) EXPECT_EQ(UsccCharValue(c), -1);
}

TEST(UsccTest, ComputesTheWorkedExamplesCheckCharacters) {
  EXPECT_EQ(UsccCheckChar("91440300192203821"), '6');  // S = 831, 31 - 25 = 6
  EXPECT_EQ(UsccCheckChar("92340602MA2PBMEM2"), '4');  // S = 2817, 31 - 27 = 4
  EXPECT_EQ(OrgCodeCheckChar("19220382"), '1');        // Σ = 164, 11 - 10 = 1
  EXPECT_EQ(OrgCodeCheckChar("MA2PBMEM"), '2');        // Σ = 735, 11 - 9 = 2
  EXPECT_EQ(UsccCheckChar("00000000000000000"), '0');  // c = 31 → 0
}

TEST(UsccTest, MapsInnerCheckValuesTenAndElevenToXAndZero) {
  EXPECT_EQ(OrgCodeCheckChar("00000006"), 'X');  // Σ = 12, 11 - 1 = 10
  EXPECT_EQ(OrgCodeCheckChar("00000000"), '0');  // Σ = 0, 11 - 0 = 11
  EXPECT_EQ(OrgCodeCheckChar("0000000Z"), '7');  // full alphabet: Z = 35, Σ = 70, 11 − 4 = 7
  EXPECT_EQ(OrgCodeCheckChar("0000000-"), '\0');
  EXPECT_EQ(OrgCodeCheckChar("0000000"), '\0');
}

TEST(UsccTest, AcceptsTheWorkedExamplesAndReadsTheirParts) {
  UsccInfo enterprise = AnalyzeUscc("914403001922038216");
  EXPECT_TRUE(enterprise.valid);
  EXPECT_TRUE(enterprise.issues.empty());
  EXPECT_EQ(enterprise.kind, CodeKind::kUscc);
  EXPECT_EQ(enterprise.department, '9');
  EXPECT_EQ(enterprise.department_name, "工商");
  EXPECT_EQ(enterprise.entity_type_name, "企业");
  EXPECT_EQ(enterprise.region_code, "440300");
  EXPECT_EQ(enterprise.org_code, "192203821");
  EXPECT_EQ(enterprise.check_char, '6');
  EXPECT_EQ(enterprise.expected_check_char, '6');
  EXPECT_FALSE(enterprise.is_household_by_prefix);

  UsccInfo household = AnalyzeUscc("92340602MA2PBMEM24");
  EXPECT_TRUE(household.valid);
  EXPECT_TRUE(household.issues.empty());
  EXPECT_EQ(household.entity_type_name, "个体工商户");
  EXPECT_EQ(household.region_code, "340602");
  EXPECT_TRUE(household.is_household_by_prefix);
  EXPECT_TRUE(ValidateUscc("92340602MA2PBMEM24").ok());
}

// GB/T 17710 mod 31 with weights 3^(i-1): a change of one value by d ≠ 0 changes S by
// d·w_i ≢ 0 (mod 31, a prime), so the check character always catches it.
TEST(UsccTest, DetectsEverySingleCharacterSubstitution) {
  std::vector<std::string> codes = SampleCodes();
  ASSERT_EQ(codes.size(), 2u + 342 + 3);
  size_t tried = 0;
  for (const std::string& code : codes) {
    ASSERT_TRUE(AnalyzeUscc(code).valid) << code;
    for (size_t pos = 0; pos < kUsccLength; ++pos) {
      for (char c : kUsccAlphabet) {
        if (c == code[pos]) continue;
        std::string changed = code;
        changed[pos] = c;
        UsccInfo info = AnalyzeUscc(changed);
        ++tried;
        EXPECT_FALSE(info.valid) << changed;
        EXPECT_TRUE(HasIssue(info, "check_char", Severity::kError)) << changed;
      }
    }
  }
  EXPECT_EQ(tried, codes.size() * 18 * 30);  // 187,380 substitutions
}

// Swapping v_i ≠ v_(i+1) changes S by (v_i − v_(i+1))·(w_(i+1) − w_i) = (…)·2·w_i ≢ 0;
// swapping positions 17 and 18 leaves (c − v17)·(w17 − 1) = (…)·27 ≢ 0. So every adjacent
// transposition of differing characters is caught too.
TEST(UsccTest, DetectsEveryAdjacentTransposition) {
  size_t tried = 0;
  size_t detected = 0;
  for (const std::string& code : SampleCodes()) {
    for (size_t pos = 0; pos + 1 < kUsccLength; ++pos) {
      if (code[pos] == code[pos + 1]) continue;
      std::string swapped = code;
      std::swap(swapped[pos], swapped[pos + 1]);
      ++tried;
      if (HasIssue(AnalyzeUscc(swapped), "check_char", Severity::kError)) ++detected;
    }
  }
  EXPECT_EQ(tried, 5627u);  // of 347 × 17 adjacent pairs, those with differing characters
  EXPECT_EQ(detected, tried);
}

TEST(UsccTest, NormalisesSpacesFullWidthAndLowerCase) {
  for (const char* input :
       {"92340602ma2pbmem24", "  92340602MA2PBMEM24\t", "９２３４０６０２ＭＡ２ＰＢＭＥＭ２４",
        "　９２３４０６０２ｍａ２ｐｂｍｅｍ２４　"}) {
    UsccInfo info = AnalyzeUscc(input);
    EXPECT_TRUE(info.valid) << input;
    EXPECT_EQ(info.normalized, "92340602MA2PBMEM24") << input;
  }
}

TEST(UsccTest, RejectsAWrongLengthNamingTheLengthFound) {
  UsccInfo info = AnalyzeUscc("9144030019220382");
  EXPECT_FALSE(info.valid);
  EXPECT_EQ(MessageOf(info, "length"), "长度为16位，统一社会信用代码应为18位（旧注册号为15位）");
  EXPECT_EQ(ValidateUscc("").message(), "统一社会信用代码为空");
  EXPECT_EQ(ValidateUscc("9144030019220382160").code(), base::StatusCode::kInvalidArgument);
}

TEST(UsccTest, RejectsInvalidCharactersNamingCharacterAndPosition) {
  base::Status status = ValidateUscc("91440300I922038216");
  EXPECT_EQ(status.message(),
            "第9位字符“I”无效：统一社会信用代码只使用数字和大写字母，不含I、O、S、V、Z");
  EXPECT_NE(ValidateUscc("91440300192203821号").message().find("第18位字符“号”无效"),
            std::string::npos);
  UsccInfo info = AnalyzeUscc("9144030019220382O6");
  EXPECT_EQ(info.expected_check_char, '\0');
  EXPECT_TRUE(HasIssue(info, "invalid_char", Severity::kError));
}

TEST(UsccTest, RejectsAWrongCheckCharacterNamingTheExpectedOne) {
  EXPECT_EQ(ValidateUscc("914403001922038217").message(), "校验位应为“6”，实际为“7”");
  UsccInfo info = AnalyzeUscc("92340602MA2PBMEM20");
  EXPECT_EQ(info.expected_check_char, '4');
  EXPECT_EQ(MessageOf(info, "check_char"), "校验位应为“4”，实际为“0”");
}

TEST(UsccTest, WarnsWithoutRejectingOnAFailedInnerCheck) {
  UsccInfo info = AnalyzeUscc(WithCheckChar("91440300192203822"));
  EXPECT_TRUE(info.valid);
  EXPECT_TRUE(HasIssue(info, "inner_check", Severity::kWarning));
  EXPECT_EQ(MessageOf(info, "inner_check"),
            "第9–17位组织机构代码的校验位应为“1”，实际为“2”（仅提示）");
}

TEST(UsccTest, WarnsOnAnUnknownDepartmentOrEntityType) {
  UsccInfo department = AnalyzeUscc(WithCheckChar("B1440300192203821"));
  EXPECT_TRUE(department.valid);
  EXPECT_EQ(MessageOf(department, "department"), "第1位登记管理部门码“B”未定义");

  UsccInfo type = AnalyzeUscc(WithCheckChar("94440300192203821"));
  EXPECT_TRUE(type.valid);
  EXPECT_EQ(MessageOf(type, "entity_type"), "第2位机构类别码“4”在登记管理部门“工商”下未定义");

  UsccInfo civil = AnalyzeUscc(WithCheckChar("53440300192203821"));
  EXPECT_EQ(civil.department_name, "民政");
  EXPECT_EQ(civil.entity_type_name, "基金会");
  UsccInfo untabled = AnalyzeUscc(WithCheckChar("31440300192203821"));  // no type table
  EXPECT_EQ(untabled.department_name, "司法行政");
  EXPECT_TRUE(untabled.issues.empty());
}

TEST(UsccTest, RejectsARegionOutsideTheProvinces) {
  UsccInfo info = AnalyzeUscc(WithCheckChar("91990300192203821"));
  EXPECT_FALSE(info.valid);
  EXPECT_EQ(MessageOf(info, "region"),
            "第3–8位行政区划代码“990300”无效：前两位“99”不是省级行政区划代码");
  EXPECT_EQ(ValidateUscc(WithCheckChar("9144A300192203821")).message(),
            "第3–8位行政区划代码“44A300”无效：应为6位数字");
  for (const char* province : {"11", "15", "23", "37", "46", "54", "65", "71", "81", "82"}) {
    EXPECT_TRUE(ValidateUscc(WithCheckChar(std::string("92") + province + "0000MA2PBMEM2")).ok())
        << province;
  }
}

TEST(UsccTest, AcceptsAnAllowListedCodeWithAWarning) {
  UsccAllowList allow_list;
  allow_list.Add(" 92340602ma2pbmem20 ");
  EXPECT_TRUE(allow_list.Contains("92340602MA2PBMEM20"));
  UsccInfo info = AnalyzeUscc("92340602MA2PBMEM20", &allow_list);
  EXPECT_TRUE(info.valid);
  EXPECT_TRUE(info.allow_listed);
  EXPECT_EQ(MessageOf(info, "allow_listed"),
            "校验位应为“4”，实际为“0”；该代码在例外名单中，按有效处理");
  EXPECT_TRUE(ValidateUscc("92340602MA2PBMEM20", &allow_list).ok());
  EXPECT_FALSE(ValidateUscc("92340602MA2PBMEM21", &allow_list).ok());
  EXPECT_FALSE(AnalyzeUscc("92340602MA2PBMEM24", &allow_list).allow_listed);
}

TEST(UsccTest, LoadsTheAllowListFromText) {
  UsccAllowList allow_list;
  ASSERT_TRUE(
      allow_list.LoadFromText("# 福建试点\n\n350100AAAAAAAAAAAA  # pilot\n92340602MA2PBMEM20\n")
          .ok());
  EXPECT_EQ(allow_list.size(), 2u);
  EXPECT_TRUE(allow_list.Contains("350100AAAAAAAAAAAA"));
  base::Status bad = allow_list.LoadFromText("92340602MA2PBMEM20\n9234\n");
  EXPECT_EQ(bad.message(), "例外名单第2行：“9234”不是18位统一社会信用代码");
}

TEST(UsccGeneratorTest, GeneratesDistinctValidCodesForHundredThousandSequences) {
  UsccGenerator generator("500113");
  std::unordered_set<std::string> seen;
  for (uint64_t sequence = 0; sequence < 100000; ++sequence) {
    std::string code = generator.Generate(sequence);
    UsccInfo info = AnalyzeUscc(code);
    ASSERT_TRUE(info.valid) << code;
    ASSERT_TRUE(info.issues.empty()) << code;  // the inner check passes too
    ASSERT_EQ(OrgCodeCheckChar(info.org_code.substr(0, 8)), info.org_code[8]) << code;
    ASSERT_TRUE(code.starts_with("92500113M")) << code;
    ASSERT_TRUE(info.is_household_by_prefix);
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 100000u);
  EXPECT_EQ(generator.Generate(42), UsccGenerator("500113").Generate(42));
  EXPECT_EQ(generator.Generate(0), generator.Generate(27512614111));  // wraps at 31^7
}

TEST(UsccGeneratorTest, GeneratesValidCodesForEveryCountyAndEntityType) {
  std::vector<std::string> counties = AllCounties();
  ASSERT_EQ(counties.size(), 2978u);
  uint64_t sequence = 0;
  for (const std::string& county : counties) {
    for (char entity_type : {'1', '2', '3'}) {
      std::string code = UsccGenerator(county, '9', entity_type).Generate(sequence++);
      UsccInfo info = AnalyzeUscc(code);
      EXPECT_TRUE(info.valid && info.issues.empty()) << code;
      EXPECT_EQ(info.region_code, county);
    }
  }
}

TEST(LegacyRegistrationTest, ComputesTheCheckDigitWithTheModElevenTenLoop) {
  // 32050810000001: p = 6, 5, 10, 10, 9, 3, 8, 5, 10, 9, 7, 3, 6, 3 → (11 − 3) mod 10 = 8.
  EXPECT_EQ(LegacyRegistrationCheckDigit("32050810000001"), '8');
  // 11010860000001: p ends at 1 → (11 − 1) mod 10 = 0.
  EXPECT_EQ(LegacyRegistrationCheckDigit("11010860000001"), '0');
  EXPECT_EQ(LegacyRegistrationCheckDigit("50011360123456"), '4');
  EXPECT_EQ(LegacyRegistrationCheckDigit("34060270001234"), '8');
  EXPECT_EQ(LegacyRegistrationCheckDigit("11000000000015"), '6');
}

TEST(LegacyRegistrationTest, AcceptsValidNumbersAndReadsTheirParts) {
  UsccInfo info = AnalyzeUscc(" 500113601234564 ");
  EXPECT_TRUE(info.valid);
  EXPECT_EQ(info.kind, CodeKind::kLegacyRegistration);
  EXPECT_EQ(info.region_code, "500113");
  EXPECT_EQ(info.sequence, "60123456");
  EXPECT_EQ(info.check_char, '4');
  EXPECT_TRUE(info.is_household_by_prefix);
  UsccInfo enterprise = AnalyzeUscc("320508100000018");
  EXPECT_TRUE(enterprise.valid);
  EXPECT_FALSE(enterprise.is_household_by_prefix);
  EXPECT_TRUE(ValidateUscc("110000000000156").ok());  // "10…" would be national; "11" is Beijing
  EXPECT_TRUE(ValidateUscc("100000000000014").ok());  // issued by the national authority
}

TEST(LegacyRegistrationTest, DetectsEverySingleDigitChange) {
  size_t tried = 0;
  for (const char* number : {"500113601234564", "340602700012348", "441900900000074",
                             "650102100000028", "110108600000010"}) {
    std::string valid = number;
    ASSERT_TRUE(AnalyzeUscc(valid).valid) << valid;
    for (size_t pos = 0; pos < kLegacyRegistrationLength; ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == valid[pos]) continue;
        std::string changed = valid;
        changed[pos] = d;
        ++tried;
        EXPECT_TRUE(HasIssue(AnalyzeUscc(changed), "check_char", Severity::kError)) << changed;
      }
    }
  }
  EXPECT_EQ(tried, 5u * 15 * 9);
}

TEST(LegacyRegistrationTest, RejectsLettersAndAWrongCheckDigit) {
  EXPECT_EQ(ValidateUscc("50011360123456X").message(), "第15位字符“X”无效：注册号只能由数字组成");
  EXPECT_EQ(ValidateUscc("500113601234565").message(), "注册号校验位应为“4”，实际为“5”");
}

TEST(LegacyRegistrationTest, GeneratesDistinctHouseholdNumbers) {
  std::unordered_set<std::string> seen;
  for (uint64_t sequence = 0; sequence < 20000; ++sequence) {
    std::string number = GenerateLegacyRegistration("500113", sequence * 1999);
    UsccInfo info = AnalyzeUscc(number);
    ASSERT_TRUE(info.valid) << number;
    ASSERT_TRUE(info.is_household_by_prefix) << number;
    seen.insert(number);
  }
  EXPECT_EQ(seen.size(), 20000u);
}

}  // namespace
}  // namespace getihu::domain
