#include "server/password.h"

#include <gtest/gtest.h>

#include <set>

#include "server/session.h"

namespace getihu::server {
namespace {

TEST(PasswordTest, HashVerifiesOnlyTheSamePassword) {
  auto hash = HashPassword("Banan#2024");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "Banan#2024"));
  EXPECT_FALSE(VerifyPassword(*hash, "banan#2024"));
  EXPECT_FALSE(VerifyPassword("not a hash", "Banan#2024"));
  auto again = HashPassword("Banan#2024");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);  // salted
}

TEST(PasswordTest, PolicyNamesWhatIsMissing) {
  PasswordPolicy p;
  EXPECT_TRUE(CheckPasswordPolicy("Banan#2024", "zhang", p).ok());
  auto short_one = CheckPasswordPolicy("Ab1#", "zhang", p);
  EXPECT_NE(short_one.message().find("至少 8 个字符"), std::string::npos);
  auto classes = CheckPasswordPolicy("abcdefgh12", "zhang", p);
  EXPECT_NE(classes.message().find("至少 3 类"), std::string::npos);
  auto username = CheckPasswordPolicy("Xzhang#2024", "zhang", p);
  EXPECT_NE(username.message().find("用户名"), std::string::npos);
}

TEST(PasswordTest, RandomPasswordsMeetThePolicyAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string p = RandomPassword();
    EXPECT_TRUE(CheckPasswordPolicy(p, "user", PasswordPolicy{}).ok()) << p;
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_EQ(RandomToken().size(), 64u);
  EXPECT_NE(RandomToken(), RandomToken());
}

TEST(SessionStoreTest, IdleTimeoutAndOneSessionPerAccount) {
  SessionStore store;
  Principal p;
  p.user_id = 7;
  p.username = "zhang";
  Session a = store.Create(p, 1000, 1800, "127.0.0.1");
  EXPECT_TRUE(store.Touch(a.token, 2000).has_value());
  EXPECT_TRUE(store.Touch(a.token, 3700).has_value());   // 1700 s idle: alive
  EXPECT_FALSE(store.Touch(a.token, 5600).has_value());  // 1900 s idle: gone
  Session b = store.Create(p, 6000, 1800, "127.0.0.1");
  Session c = store.Create(p, 6001, 1800, "127.0.0.2");
  EXPECT_FALSE(store.Touch(b.token, 6002).has_value());  // the new login ended it
  EXPECT_TRUE(store.Touch(c.token, 6002).has_value());
  EXPECT_FALSE(store.Touch("", 6002).has_value());
}

TEST(LoginLimiterTest, RefusesPastTheLimitWithinTheWindow) {
  LoginLimiter limiter(3, 60);
  EXPECT_TRUE(limiter.Allow("ip:1", 100));
  EXPECT_TRUE(limiter.Allow("ip:1", 101));
  EXPECT_TRUE(limiter.Allow("ip:1", 102));
  EXPECT_FALSE(limiter.Allow("ip:1", 103));
  EXPECT_TRUE(limiter.Allow("ip:2", 103));
  EXPECT_TRUE(limiter.Allow("ip:1", 161));
}

}  // namespace
}  // namespace getihu::server
