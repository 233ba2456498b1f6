#include "workflows/feed_records.h"

#include <gtest/gtest.h>

namespace getihu::workflows {
namespace {

// The feed layouts' enumerations and the domain enums must list the same values in the same
// order: feed_records converts by position.
template <typename E, size_t N>
void ExpectSameOrder(std::string_view feed, std::string_view key,
                     const std::array<domain::internal::EnumEntry<E>, N>& table) {
  const ingest::FieldSpec* f = ingest::FindField(*ingest::FindFeed(feed), key);
  ASSERT_NE(f, nullptr) << feed << "." << key;
  ASSERT_EQ(f->values.size(), N) << feed << "." << key;
  for (size_t i = 0; i < N; ++i) {
    EXPECT_EQ(static_cast<size_t>(table[i].value), i);
    bool same = f->values[i] == table[i].name || f->values[i] == table[i].code;
    EXPECT_TRUE(same) << feed << "." << key << "[" << i << "]: " << f->values[i] << " vs "
                      << table[i].name;
  }
}

TEST(FeedRecordsTest, LayoutEnumerationsFollowTheDomainEnums) {
  ExpectSameOrder("registration", "change_kind", domain::kStatusChangeKinds);
  ExpectSameOrder("registration", "form", domain::kOrganisationForms);
  ExpectSameOrder("tax", "credit_rating", domain::kTaxCreditRatings);
  ExpectSameOrder("intellectual_property", "kind", domain::kIpKinds);
  ExpectSameOrder("penalty", "kind", domain::kPenaltyKinds);
  ExpectSameOrder("abnormal", "reason", domain::kAbnormalReasons);
  ExpectSameOrder("safety_accident", "level", domain::kAccidentSeverities);
  ExpectSameOrder("honour", "kind", domain::kHonourKinds);
  ExpectSameOrder("honour", "level", domain::kHonourLevels);
}

TEST(FeedRecordsTest, StatusFollowsTheChangeKind) {
  using K = domain::StatusChangeKind;
  using S = domain::HouseholdStatus;
  EXPECT_EQ(StatusAfter(K::kDeregistered, S::kActive), S::kDeregistered);
  EXPECT_EQ(StatusAfter(K::kResumed, S::kSuspended), S::kActive);
  EXPECT_EQ(StatusAfter(K::kChanged, S::kSuspended), S::kSuspended);
  EXPECT_EQ(StatusAfter(K::kConverted, S::kActive), S::kConverted);
}

}  // namespace
}  // namespace getihu::workflows
