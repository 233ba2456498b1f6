#include "workflows/notifications.h"

#include <optional>
#include <vector>

#include "storage/household_repository.h"
#include "storage/notification_repository.h"
#include "storage/value.h"
#include "workflows/parameters.h"

namespace getihu::workflows {
namespace {

std::string MaskedPhone(std::string_view phone) {
  if (phone.size() < 7) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + "****" + std::string(phone.substr(phone.size() - 4));
}

// Delivers `n`; FailedPrecondition (Chinese) when it cannot be delivered.
base::Status Deliver(storage::Database& db, SmsSender& sms, const storage::Notification& n) {
  if (n.channel == "in_app") return base::OkStatus();  // the inbox shows delivered rows
  if (!n.household_uscc.has_value()) {
    return base::FailedPrecondition("短信通知没有接收的个体工商户");
  }
  storage::HouseholdRepository households(db);
  base::Result<std::optional<domain::Household>> h = households.FindHousehold(*n.household_uscc);
  if (!h.ok()) return h.status();
  if (!h->has_value()) return base::FailedPrecondition("接收短信的个体工商户不存在");
  const std::optional<std::string>& phone = (*h)->phone;
  if (!phone.has_value() || phone->empty()) {
    return base::FailedPrecondition("该户未登记联系电话，无法发送短信");
  }
  base::Status s = sms.Send(*phone, n.body);
  if (!s.ok()) return base::FailedPrecondition("短信发送失败：" + s.message());
  return base::OkStatus();
}

base::Status DeliverAndRecord(storage::Database& db, SmsSender& sms, const base::Clock& clock,
                              const storage::Notification& n, int max_attempts,
                              DispatchReport& report) {
  storage::NotificationRepository outbox(db);
  base::Status delivered = Deliver(db, sms, n);
  if (!delivered.ok()) {
    ++report.failed;
    GETIHU_RETURN_IF_ERROR(outbox.MarkAttemptFailed(n.id, delivered.message(), max_attempts));
    return delivered;
  }
  GETIHU_ASSIGN_OR_RETURN(bool claimed,
                          outbox.MarkSent(n.id, storage::CstTimestamp(clock.NowUnixSeconds())));
  if (claimed) ++report.sent;
  return base::OkStatus();
}

}  // namespace

base::Status LogSmsSender::Send(std::string_view phone, std::string_view text) {
  std::lock_guard<std::mutex> lock(mu_);
  std::fprintf(out_, "短信 → %s：%.*s\n", MaskedPhone(phone).c_str(), static_cast<int>(text.size()),
               text.data());
  std::fflush(out_);
  return base::OkStatus();
}

base::Result<DispatchReport> DispatchPending(storage::Database& db, SmsSender& sms,
                                             const base::Clock& clock, int limit) {
  GETIHU_ASSIGN_OR_RETURN(int64_t max_attempts, ReadParameter(db, kNotificationMaxAttempts));
  storage::NotificationRepository outbox(db);
  GETIHU_ASSIGN_OR_RETURN(std::vector<storage::Notification> pending, outbox.Pending(limit));
  DispatchReport report;
  for (const storage::Notification& n : pending) {
    base::Status s = DeliverAndRecord(db, sms, clock, n, static_cast<int>(max_attempts), report);
    // A message that cannot be delivered is recorded and the round goes on; a storage error
    // stops it.
    if (!s.ok() && s.code() != base::StatusCode::kFailedPrecondition) return s;
  }
  return report;
}

base::Status DispatchOne(storage::Database& db, SmsSender& sms, const base::Clock& clock,
                         int64_t id) {
  GETIHU_ASSIGN_OR_RETURN(int64_t max_attempts, ReadParameter(db, kNotificationMaxAttempts));
  storage::NotificationRepository outbox(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::Notification> n, outbox.Get(id));
  if (!n.has_value() || n->status != "pending") return base::NotFound("没有待发送的该条通知");
  DispatchReport report;
  return DeliverAndRecord(db, sms, clock, *n, static_cast<int>(max_attempts), report);
}

}  // namespace getihu::workflows
