#include "workflows/notifications.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/uscc.h"
#include "ingest/feed_layout.h"
#include "storage/notification_repository.h"
#include "storage/sqlite/sqlite_database.h"
#include "storage/value.h"
#include "workflows/import.h"
#include "workflows/parameters.h"

namespace getihu::workflows {
namespace {

namespace fs = std::filesystem;

// A gateway that keeps what it was asked to send; `down` makes it fail like an unreachable one.
class RecordingSms final : public SmsSender {
 public:
  base::Status Send(std::string_view phone, std::string_view text) override {
    if (down) return base::Unavailable("网关无响应");
    sent.emplace_back(std::string(phone), std::string(text));
    return base::OkStatus();
  }
  bool down = false;
  std::vector<std::pair<std::string, std::string>> sent;
};

class NotificationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("getihu_notifications_test_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto db = storage::OpenSqlite((dir_ / "pool.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Migrate().ok());
    with_phone_ = domain::UsccGenerator("500113").Generate(1);
    without_phone_ = domain::UsccGenerator("500113").Generate(2);
    std::string csv =
        "统一社会信用代码,变更类型,变更日期,注册号,名称,经营者姓名,经营者身份证号,联系电话,"
        "登记机关区划代码,乡镇街道代码,行业代码,组成形式,经营场所,成立日期,网络经营,"
        "转企后统一社会信用代码\n" +
        with_phone_ +
        ",设立,2024-03-01,,老王面馆,王五,,13800001234,500113,500113005,6220,个人经营,"
        "花溪路1号,2024-03-01,否,\n" +
        without_phone_ +
        ",设立,2024-03-01,,李记修车,李四,,,500113,500113005,8111,个人经营,花溪路2号,"
        "2024-03-01,否,\n";
    std::string path = (dir_ / "reg.csv").string();
    std::ofstream(path, std::ios::binary) << csv;
    ImportOptions options;
    options.as_of = *base::Date::Parse("2026-07-01");
    auto report = ImportFile(*db_, *ingest::FindFeed("registration"), path, options);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }
  void TearDown() override {
    db_.reset();
    fs::remove_all(dir_);
  }

  int64_t Queue(const std::string& uscc, std::string channel, std::string body, bool erase = false,
                std::optional<std::string> key = std::nullopt) {
    storage::Notification n;
    n.channel = std::move(channel);
    n.kind = "test";
    n.household_uscc = uscc;
    n.body = std::move(body);
    n.erase_after_send = erase;
    n.dedupe_key = std::move(key);
    auto id = storage::NotificationRepository(*db_).Enqueue(n, "2026-07-01T09:00:00+08:00");
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() && id->has_value() ? **id : 0;
  }

  fs::path dir_;
  std::unique_ptr<storage::Database> db_;
  std::string with_phone_;
  std::string without_phone_;
  RecordingSms sms_;
};

TEST_F(NotificationsTest, SmsGoesToTheRegisteredPhoneOnceAndAnOneTimeBodyIsErased) {
  int64_t id = Queue(with_phone_, "sms", "验证码 123456", /*erase=*/true);
  ASSERT_TRUE(DispatchOne(*db_, sms_, base::SystemClock(), id).ok());
  ASSERT_EQ(sms_.sent.size(), 1u);
  EXPECT_EQ(sms_.sent[0].first, "13800001234");
  EXPECT_EQ(sms_.sent[0].second, "验证码 123456");
  auto stored = storage::NotificationRepository(*db_).Get(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->status, "sent");
  EXPECT_EQ((*stored)->body, storage::kErasedBody);
  // Delivered once: neither a second DispatchOne nor a round sends it again.
  EXPECT_EQ(DispatchOne(*db_, sms_, base::SystemClock(), id).code(), base::StatusCode::kNotFound);
  auto round = DispatchPending(*db_, sms_, base::SystemClock());
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->sent, 0);
  EXPECT_EQ(sms_.sent.size(), 1u);
}

TEST_F(NotificationsTest, NoPhoneFailsWithAReasonAfterMaxAttempts) {
  int64_t id = Queue(without_phone_, "sms", "提醒");
  base::Status s = DispatchOne(*db_, sms_, base::SystemClock(), id);
  EXPECT_EQ(s.code(), base::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("未登记联系电话"), std::string::npos) << s.message();
  // Default notification.max_attempts is 3: two more rounds and it is failed for good.
  ASSERT_TRUE(DispatchPending(*db_, sms_, base::SystemClock()).ok());
  auto last = DispatchPending(*db_, sms_, base::SystemClock());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->failed, 1);
  auto stored = storage::NotificationRepository(*db_).Get(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->status, "failed");
  EXPECT_EQ((*stored)->attempts, 3);
  EXPECT_TRUE(sms_.sent.empty());
}

TEST_F(NotificationsTest, GatewayDownLeavesItPendingForTheNextRound) {
  int64_t id = Queue(with_phone_, "sms", "提醒");
  sms_.down = true;
  auto first = DispatchPending(*db_, sms_, base::SystemClock());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->failed, 1);
  sms_.down = false;
  auto second = DispatchPending(*db_, sms_, base::SystemClock());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->sent, 1);
  auto stored = storage::NotificationRepository(*db_).Get(id);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->status, "sent");
  EXPECT_EQ((*stored)->body, "提醒");  // not a one-time body: kept
}

TEST_F(NotificationsTest, InAppMessagesReachOnlyTheirHouseholdsInboxAndDedupeKeysSendOnce) {
  Queue(with_phone_, "in_app", "您的异议已处理", false, "objection:1");
  Queue(with_phone_, "in_app", "重复", false, "objection:1");  // same key: not queued
  Queue(without_phone_, "in_app", "别家的消息");
  storage::NotificationRepository outbox(*db_);
  // Not delivered yet: not in the inbox.
  EXPECT_TRUE(outbox.Inbox(with_phone_, std::nullopt, 50)->empty());
  auto round = DispatchPending(*db_, sms_, base::SystemClock());
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->sent, 2);
  auto inbox = outbox.Inbox(with_phone_, std::nullopt, 50);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].body, "您的异议已处理");
  EXPECT_EQ(*outbox.UnreadCount(with_phone_), 1);
  // Another household cannot mark it read.
  EXPECT_FALSE(*outbox.MarkRead(without_phone_, (*inbox)[0].id, "2026-07-01T10:00:00+08:00"));
  EXPECT_TRUE(*outbox.MarkRead(with_phone_, (*inbox)[0].id, "2026-07-01T10:00:00+08:00"));
  EXPECT_EQ(*outbox.UnreadCount(with_phone_), 0);
  EXPECT_TRUE(sms_.sent.empty());
}

TEST(ParametersTest, DefaultsStoredValuesAndRangeChecks) {
  auto db = storage::OpenSqlite(":memory:");
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Migrate().ok());
  storage::Database& d = **db;
  EXPECT_EQ(*ReadParameter(d, kObjectionWindowDays), 15);
  ASSERT_TRUE(WriteParameter(d, kObjectionWindowDays, "30", "管理员", "2026-07-01").ok());
  EXPECT_EQ(*ReadParameter(d, kObjectionWindowDays), 30);
  base::Status too_long = WriteParameter(d, kObjectionWindowDays, "91", "管理员", "2026-07-01");
  EXPECT_EQ(too_long.code(), base::StatusCode::kInvalidArgument);
  EXPECT_NE(too_long.message().find("分型结果异议期须为 1–90"), std::string::npos);
  EXPECT_EQ(WriteParameter(d, kObjectionWindowDays, "2x", "管理员", "2026-07-01").code(),
            base::StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteParameter(d, "no.such", "1", "管理员", "2026-07-01").code(),
            base::StatusCode::kNotFound);
  EXPECT_EQ(*ReadParameter(d, kObjectionWindowDays), 30);  // refused writes changed nothing
}

}  // namespace
}  // namespace getihu::workflows
