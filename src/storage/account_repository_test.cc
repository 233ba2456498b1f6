#include "storage/account_repository.h"

#include <gtest/gtest.h>

#include "storage/testing/backend_test.h"

namespace getihu::storage::testing {
namespace {

using base::StatusCode;

UserRecord Regulator(std::string username, std::string region) {
  UserRecord u;
  u.username = std::move(username);
  u.display_name = "张科长";
  u.role = "regulator";
  u.region_prefix = std::move(region);
  u.password_hash = "$argon2id$first";
  u.password_changed_at = 100;
  return u;
}

TEST_P(AccountRepositoryTest, UserRoundTripAndUniqueUsername) {
  AccountRepository repo(db());
  UserRecord u = Regulator("banan_reg", "500113");
  ASSERT_TRUE(repo.CreateUser(u, "2024-07-01T08:00:00+08:00").ok());
  EXPECT_GT(u.id, 0);
  auto found = repo.FindUser("banan_reg");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->region_prefix, "500113");
  EXPECT_TRUE((*found)->must_change_password);
  EXPECT_FALSE((*found)->locked_until.has_value());

  UserRecord again = Regulator("banan_reg", "5001");
  EXPECT_EQ(repo.CreateUser(again, "2024-07-01T08:00:00+08:00").status().code(),
            StatusCode::kAlreadyExists);
  UserRecord bad = Regulator("x", "500113");  // too short
  EXPECT_EQ(repo.CreateUser(bad, "2024-07-01T08:00:00+08:00").status().code(),
            StatusCode::kInvalidArgument);
  UserRecord role = Regulator("someone", "500113");
  role.role = "superuser";
  EXPECT_EQ(repo.CreateUser(role, "2024-07-01T08:00:00+08:00").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(AccountRepositoryTest, PasswordHistoryIsNewestFirstAndLockoutClears) {
  AccountRepository repo(db());
  UserRecord u = Regulator("banan_reg", "500113");
  ASSERT_TRUE(repo.CreateUser(u, "2024-07-01T08:00:00+08:00").ok());
  ASSERT_TRUE(repo.RecordLoginFailure(u.id, 5, 9999).ok());
  ASSERT_TRUE(repo.SetPassword(u.id, "$argon2id$second", 200, false).ok());
  auto history = repo.PasswordHistory(u.id, 5);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0], "$argon2id$second");
  auto after = repo.GetUser(u.id);
  ASSERT_TRUE(after.ok() && after->has_value());
  EXPECT_EQ((*after)->failed_logins, 0);
  EXPECT_FALSE((*after)->locked_until.has_value());
  EXPECT_FALSE((*after)->must_change_password);
  EXPECT_EQ(repo.SetPassword(999, "h", 1, false).code(), StatusCode::kNotFound);
}

TEST_P(AccountRepositoryTest, ListUsersKeepsToTheScope) {
  AccountRepository repo(db());
  UserRecord city = Regulator("city_reg", "5001");
  UserRecord district = Regulator("district_reg", "500113");
  UserRecord other = Regulator("other_reg", "500112");
  for (UserRecord* u : {&city, &district, &other}) {
    ASSERT_TRUE(repo.CreateUser(*u, "2024-07-01T08:00:00+08:00").ok());
  }
  auto inside = repo.ListUsers("500113");
  ASSERT_TRUE(inside.ok());
  ASSERT_EQ(inside->size(), 1u);
  EXPECT_EQ((*inside)[0].username, "district_reg");
  auto all = repo.ListUsers("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
}

TEST_P(AccountRepositoryTest, DepartmentsKeepTheirFeeds) {
  AccountRepository repo(db());
  Department d{0, "tax", "区税务局", {"tax", "tax_credit"}};
  ASSERT_TRUE(repo.CreateDepartment(d).ok());
  auto found = repo.FindDepartment("tax");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->feeds, (std::vector<std::string>{"tax", "tax_credit"}));
  Department dup{0, "tax", "另一个", {}};
  EXPECT_EQ(repo.CreateDepartment(dup).status().code(), StatusCode::kAlreadyExists);
  UserRecord u = Regulator("tax_user", "500113");
  u.role = "department";
  u.department_id = d.id;
  ASSERT_TRUE(repo.CreateUser(u, "2024-07-01T08:00:00+08:00").ok());
  u.department_id = 12345;  // no such department
  EXPECT_EQ(repo.UpdateProfile(u).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace getihu::storage::testing
