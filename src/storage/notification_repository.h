// The notification outbox (migration 0010): messages written in the transaction of the change
// they report, delivered afterwards by workflows/notifications.h, each at most once. In-app
// messages are read by their recipient through the inbox calls below.
//
// Operates on a Database& that must outlive it; thread-compatible like the Database.
#ifndef GETIHU_STORAGE_NOTIFICATION_REPOSITORY_H_
#define GETIHU_STORAGE_NOTIFICATION_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct Notification {
  int64_t id = 0;
  std::string channel = "in_app";             // "in_app" or "sms"
  std::string kind = "";                      // e.g. "login_code", "objection.decided"
  std::optional<std::string> household_uscc;  // recipient household (its operator)
  std::optional<int64_t> user_id;             // recipient user
  std::string subject = "";
  std::string body = "";
  bool erase_after_send = false;          // one-time codes: body replaced once delivered
  std::optional<std::string> dedupe_key;  // "sent once": a second Enqueue with it is a no-op
  std::string status = "pending";         // "pending", "sent", "failed"
  int attempts = 0;
  std::string created_at = "";
  std::optional<std::string> sent_at;
  std::optional<std::string> read_at;
  std::optional<std::string> last_error;
};

// What an erased body reads afterwards.
inline constexpr std::string_view kErasedBody = "（一次性内容，发送后不留存）";

class NotificationRepository {
 public:
  explicit NotificationRepository(Database& db) : db_(db) {}

  // Stores `n` as pending with `created_at`; returns its id, or nullopt when a notification
  // with the same dedupe_key exists (it was already queued: nothing is stored).
  // InvalidArgument for a channel or recipient the schema refuses.
  base::Result<std::optional<int64_t>> Enqueue(const Notification& n, std::string_view created_at);

  // Pending notifications in id order, at most `limit`.
  base::Result<std::vector<Notification>> Pending(int limit);
  base::Result<std::optional<Notification>> Get(int64_t id);

  // Marks a pending notification delivered (erasing its body when it asks). Returns false
  // when it was no longer pending (another dispatcher delivered it first).
  base::Result<bool> MarkSent(int64_t id, std::string_view sent_at);
  // Records a failed attempt; after `max_attempts` the notification is 'failed' for good.
  base::Status MarkAttemptFailed(int64_t id, std::string_view error, int max_attempts);

  // The in-app inbox of a household's operator, newest first, delivered ones only; `before_id`
  // pages. At most `limit` (1–200).
  base::Result<std::vector<Notification>> Inbox(std::string_view household_uscc,
                                                std::optional<int64_t> before_id, int limit);
  base::Result<int64_t> UnreadCount(std::string_view household_uscc);
  // Marks one of the household's in-app messages read; false when it is not theirs.
  base::Result<bool> MarkRead(std::string_view household_uscc, int64_t id, std::string_view at);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_NOTIFICATION_REPOSITORY_H_
