#include "workflows/household_index.h"

#include <gtest/gtest.h>

#include <string>

#include "domain/uscc.h"

namespace getihu::workflows {
namespace {

TEST(HouseholdIndexTest, FindsWhatWasPutAndNothingElse) {
  HouseholdIndex index;
  domain::UsccGenerator gen("500113");
  base::Date d = *base::Date::Parse("2020-01-02");
  for (uint64_t i = 0; i < 200000; ++i)
    index.Put(gen.Generate(i),
              {static_cast<int64_t>(i + 1), d.AddDays(static_cast<int32_t>(i % 1000))});
  EXPECT_EQ(index.size(), 200000u);
  for (uint64_t i = 0; i < 200000; i += 7) {
    auto e = index.Find(gen.Generate(i));
    ASSERT_TRUE(e.has_value()) << i;
    EXPECT_EQ(e->id, static_cast<int64_t>(i + 1));
    EXPECT_EQ(e->registered_on, d.AddDays(static_cast<int32_t>(i % 1000)));
  }
  for (uint64_t i = 200000; i < 210000; ++i) EXPECT_FALSE(index.Find(gen.Generate(i)).has_value());
}

TEST(HouseholdIndexTest, PutReplacesAnEntry) {
  HouseholdIndex index;
  base::Date d = *base::Date::Parse("2020-01-02");
  index.Put("92500113MA2PBMEM2X", {1, d});
  index.Put("92500113MA2PBMEM2X", {1, d.AddDays(5)});
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.Find("92500113MA2PBMEM2X")->registered_on, d.AddDays(5));
}

}  // namespace
}  // namespace getihu::workflows
