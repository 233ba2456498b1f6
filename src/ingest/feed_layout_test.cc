#include "ingest/feed_layout.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace getihu::ingest {
namespace {

TEST(FeedLayoutTest, EveryFeedIsKeyedByUsccFirst) {
  ASSERT_EQ(AllFeeds().size(), 13u);
  for (const FeedLayout& feed : AllFeeds()) {
    ASSERT_FALSE(feed.fields.empty()) << feed.name;
    EXPECT_EQ(feed.fields[0].key, "uscc") << feed.name;
    EXPECT_TRUE(feed.fields[0].required) << feed.name;
    EXPECT_EQ(FindFeed(feed.name), &feed);
  }
  EXPECT_EQ(FindFeed("nope"), nullptr);
}

TEST(FeedLayoutTest, HeadersAndKeysAreUniqueWithinAFeed) {
  for (const FeedLayout& feed : AllFeeds()) {
    std::set<std::string_view> keys, headers;
    for (const FieldSpec& f : feed.fields) {
      EXPECT_TRUE(keys.insert(f.key).second) << feed.name << " " << f.key;
      EXPECT_TRUE(headers.insert(f.header).second) << feed.name << " " << f.header;
      EXPECT_EQ(f.type == FieldType::kEnum || f.type == FieldType::kBool, !f.values.empty())
          << feed.name << " " << f.key;
    }
    for (std::string_view k : feed.key) {
      const FieldSpec* f = FindField(feed, k);
      ASSERT_NE(f, nullptr) << feed.name << " key " << k;
      EXPECT_TRUE(f->required) << feed.name << " key " << k;
    }
  }
}

TEST(FeedLayoutTest, PersonalDataIsFlagged) {
  const FeedLayout* reg = FindFeed("registration");
  ASSERT_NE(reg, nullptr);
  EXPECT_TRUE(FindField(*reg, "operator_id")->personal);
  EXPECT_TRUE(FindField(*reg, "phone")->personal);
  EXPECT_FALSE(FindField(*reg, "uscc")->personal);
  for (const FieldSpec& f : FindFeed("owner_attribute")->fields) {
    EXPECT_EQ(f.personal, f.key != "uscc" && f.key != "as_of") << f.key;
  }
}

}  // namespace
}  // namespace getihu::ingest
