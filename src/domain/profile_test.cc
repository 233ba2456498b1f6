#include "domain/profile.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace getihu::domain {
namespace {

TEST(ProfileTest, FieldNamesAreUniqueAndFindable) {
  std::set<std::string_view> names;
  for (const ProfileField& f : ProfileCatalog()) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(FindProfileField(f.name), &f);
    EXPECT_FALSE(f.label.empty()) << f.name;
  }
  EXPECT_EQ(FindProfileField("no_such_field"), nullptr);
}

TEST(ProfileTest, EveryFieldIsDocumentedWithItsType) {
  std::ifstream in(std::string(GETIHU_SOURCE_DIR) + "/docs/profile.md");
  ASSERT_TRUE(in) << "docs/profile.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const ProfileField& f : ProfileCatalog()) {
    std::string row =
        "| `" + std::string(f.name) + "` | " + std::string(ProfileTypeName(f.type)) + " |";
    EXPECT_NE(text.str().find(row), std::string::npos) << "docs/profile.md lacks: " << row;
  }
}

TEST(ProfileTest, CreditCleanNeedsAllThree) {
  HouseholdProfile p;
  EXPECT_TRUE(p.credit_clean());
  p.abnormal_now = true;
  EXPECT_FALSE(p.credit_clean());
}

}  // namespace
}  // namespace getihu::domain
