// Delivery of the notification outbox (storage/notification_repository.h; SPEC C5): in-app
// messages are marked delivered into the recipient's inbox; text messages go through an
// SmsSender to the phone registered for the household, read (and decrypted) at delivery.
// Each notification is delivered at most once: the row is claimed by MarkSent, and a failed
// attempt is retried by the next dispatch until notification.max_attempts.
#ifndef GETIHU_WORKFLOWS_NOTIFICATIONS_H_
#define GETIHU_WORKFLOWS_NOTIFICATIONS_H_

#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "storage/database.h"

namespace getihu::workflows {

// The gateway of text messages. Implementations are thread-safe: a server delivers from
// several connections at once.
class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // Sends `text` to `phone` (11 digits). Unavailable when the gateway cannot be reached.
  virtual base::Status Send(std::string_view phone, std::string_view text) = 0;
};

// Writes each message, phone masked, as one line to `out` (the server's log): the channel a
// district uses until it connects an SMS gateway, and the demo's — the owner reads the
// one-time code there.
class LogSmsSender final : public SmsSender {
 public:
  explicit LogSmsSender(std::FILE* out) : out_(out) {}
  base::Status Send(std::string_view phone, std::string_view text) override;

 private:
  std::mutex mu_;
  std::FILE* out_;
};

struct DispatchReport {
  int64_t sent = 0;
  int64_t failed = 0;  // attempts that failed (the notification may be retried)
};

// Delivers up to `limit` pending notifications in id order.
base::Result<DispatchReport> DispatchPending(storage::Database& db, SmsSender& sms,
                                             const base::Clock& clock, int limit = 500);

// Delivers the pending notification `id` now (a one-time code must not wait for the next
// round). Returns FailedPrecondition with the reason in Chinese when it could not be sent
// (no phone registered, gateway down); NotFound when there is no such pending notification.
base::Status DispatchOne(storage::Database& db, SmsSender& sms, const base::Clock& clock,
                         int64_t id);

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_NOTIFICATIONS_H_
