#include "domain/citizen_id.h"

#include "base/date.h"

namespace getihu::domain {

char CitizenIdCheckChar(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kChecks[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kChecks[sum % 11];
}

base::Result<std::string> ValidateCitizenId(std::string_view id) {
  std::string s(id);
  if (!s.empty() && s.back() == 'x') s.back() = 'X';
  if (s.size() != 18) {
    return base::InvalidArgument("身份证号应为 18 位，实际为 " + std::to_string(s.size()) + " 位");
  }
  for (size_t i = 0; i < 17; ++i) {
    if (s[i] < '0' || s[i] > '9') return base::InvalidArgument("身份证号前 17 位应为数字");
  }
  if (!(s[17] >= '0' && s[17] <= '9') && s[17] != 'X') {
    return base::InvalidArgument("身份证号最后一位应为数字或 X");
  }
  if (!base::Date::Parse(s.substr(6, 8)).ok()) {
    return base::InvalidArgument("身份证号中的出生日期“" + s.substr(6, 8) + "”不存在");
  }
  char expected = CitizenIdCheckChar(s);
  if (expected != s[17]) {
    return base::InvalidArgument(std::string("身份证号校验位应为“") + expected + "”，实际为“" +
                                 s[17] + "”");
  }
  return s;
}

std::string MaskCitizenId(std::string_view id) {
  if (id.size() <= 7) return std::string(id.size(), '*');
  return std::string(id.substr(0, 3)) + std::string(id.size() - 7, '*') +
         std::string(id.substr(id.size() - 4));
}

}  // namespace getihu::domain
