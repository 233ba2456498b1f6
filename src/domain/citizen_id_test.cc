#include "domain/citizen_id.h"

#include <gtest/gtest.h>

namespace getihu::domain {
namespace {

TEST(CitizenIdTest, AcceptsValidNumbers) {
  // GB 11643's published example and a number ending in X.
  EXPECT_EQ(*ValidateCitizenId("11010519491231002X"), "11010519491231002X");
  EXPECT_EQ(*ValidateCitizenId("11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(CitizenIdCheckChar("44052419800101001"), '3');
  EXPECT_TRUE(ValidateCitizenId("440524198001010013").ok());
}

TEST(CitizenIdTest, DetectsEverySingleDigitChange) {
  std::string id = "440524198001010013";
  for (size_t pos = 0; pos < 17; ++pos) {
    for (char d = '0'; d <= '9'; ++d) {
      if (d == id[pos]) continue;
      std::string bad = id;
      bad[pos] = d;
      EXPECT_FALSE(ValidateCitizenId(bad).ok()) << bad;
    }
  }
}

TEST(CitizenIdTest, ExplainsWhatIsWrongInChinese) {
  EXPECT_NE(ValidateCitizenId("12345").status().message().find("18 位"), std::string::npos);
  EXPECT_NE(ValidateCitizenId("440524198002300013").status().message().find("出生日期"),
            std::string::npos);
  EXPECT_NE(ValidateCitizenId("440524198001010015").status().message().find("校验位应为“3”"),
            std::string::npos);
}

TEST(CitizenIdTest, MasksAllButTheEnds) {
  EXPECT_EQ(MaskCitizenId("11010519491231002X"), "110***********002X");
}

}  // namespace
}  // namespace getihu::domain
