#include "storage/notification_repository.h"

#include <algorithm>
#include <memory>

namespace getihu::storage {
namespace {

constexpr std::string_view kColumns =
    "id, channel, kind, household_uscc, user_id, subject, body, erase_after_send, dedupe_key,"
    " status, attempts, created_at, sent_at, read_at, last_error";

Notification Read(const Statement& s) {
  Notification n;
  n.id = s.ColumnInt(0);
  n.channel = s.ColumnText(1);
  n.kind = s.ColumnText(2);
  n.household_uscc = s.ColumnOptionalText(3);
  n.user_id = s.ColumnOptionalInt(4);
  n.subject = s.ColumnText(5);
  n.body = s.ColumnText(6);
  n.erase_after_send = s.ColumnInt(7) != 0;
  n.dedupe_key = s.ColumnOptionalText(8);
  n.status = s.ColumnText(9);
  n.attempts = static_cast<int>(s.ColumnInt(10));
  n.created_at = s.ColumnText(11);
  n.sent_at = s.ColumnOptionalText(12);
  n.read_at = s.ColumnOptionalText(13);
  n.last_error = s.ColumnOptionalText(14);
  return n;
}

base::Result<std::vector<Notification>> ReadAll(Statement& s) {
  std::vector<Notification> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(Read(s));
  }
  return out;
}

}  // namespace

base::Result<std::optional<int64_t>> NotificationRepository::Enqueue(const Notification& n,
                                                                     std::string_view created_at) {
  if (n.dedupe_key.has_value()) {
    GETIHU_ASSIGN_OR_RETURN(
        std::optional<int64_t> existing,
        db_.QueryInt("SELECT id FROM notifications WHERE dedupe_key = ?", {*n.dedupe_key}));
    if (existing.has_value()) return std::optional<int64_t>();
  }
  base::Result<std::optional<int64_t>> id = db_.QueryInt(
      "INSERT INTO notifications (channel, kind, household_uscc, user_id, subject, body,"
      " erase_after_send, dedupe_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
      " RETURNING id",
      {n.channel, n.kind, n.household_uscc, n.user_id, n.subject, n.body, n.erase_after_send,
       n.dedupe_key, created_at});
  // A concurrent Enqueue with the same key won the race: still "already queued".
  if (id.status().code() == base::StatusCode::kAlreadyExists) return std::optional<int64_t>();
  if (id.status().code() == base::StatusCode::kInvalidArgument) {
    return base::InvalidArgument("通知的渠道或接收人不合规");
  }
  GETIHU_RETURN_IF_ERROR(id.status());
  if (!id->has_value()) return base::Internal("新建通知未返回编号");
  return *id;
}

base::Result<std::vector<Notification>> NotificationRepository::Pending(int limit) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> s,
      db_.Prepare("SELECT " + std::string(kColumns) +
                  " FROM notifications WHERE status = 'pending' ORDER BY id LIMIT ?"));
  GETIHU_RETURN_IF_ERROR(s->BindInt(1, std::clamp(limit, 1, 10000)));
  return ReadAll(*s);
}

base::Result<std::optional<Notification>> NotificationRepository::Get(int64_t id) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> s,
      db_.Prepare("SELECT " + std::string(kColumns) + " FROM notifications WHERE id = ?"));
  GETIHU_RETURN_IF_ERROR(s->BindInt(1, id));
  GETIHU_ASSIGN_OR_RETURN(std::vector<Notification> all, ReadAll(*s));
  if (all.empty()) return std::optional<Notification>();
  return std::optional<Notification>(std::move(all.front()));
}

base::Result<bool> NotificationRepository::MarkSent(int64_t id, std::string_view sent_at) {
  GETIHU_ASSIGN_OR_RETURN(
      int64_t changed,
      db_.Execute("UPDATE notifications SET status = 'sent', sent_at = ?, attempts = attempts + 1,"
                  " last_error = NULL,"
                  " body = CASE WHEN erase_after_send = 1 THEN ? ELSE body END"
                  " WHERE id = ? AND status = 'pending'",
                  {sent_at, kErasedBody, id}));
  return changed == 1;
}

base::Status NotificationRepository::MarkAttemptFailed(int64_t id, std::string_view error,
                                                       int max_attempts) {
  return db_
      .Execute(
          "UPDATE notifications SET attempts = attempts + 1, last_error = ?,"
          " status = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE status END,"
          " body = CASE WHEN attempts + 1 >= ? AND erase_after_send = 1 THEN ? ELSE body END"
          " WHERE id = ? AND status = 'pending'",
          {error, max_attempts, max_attempts, kErasedBody, id})
      .status();
}

base::Result<std::vector<Notification>> NotificationRepository::Inbox(
    std::string_view household_uscc, std::optional<int64_t> before_id, int limit) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> s,
      db_.Prepare("SELECT " + std::string(kColumns) +
                  " FROM notifications WHERE household_uscc = ? AND channel = 'in_app'"
                  " AND status = 'sent' AND id < ? ORDER BY id DESC LIMIT ?"));
  GETIHU_RETURN_IF_ERROR(s->BindText(1, household_uscc));
  GETIHU_RETURN_IF_ERROR(s->BindInt(2, before_id.value_or(INT64_MAX)));
  GETIHU_RETURN_IF_ERROR(s->BindInt(3, std::clamp(limit, 1, 200)));
  return ReadAll(*s);
}

base::Result<int64_t> NotificationRepository::UnreadCount(std::string_view household_uscc) {
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> n,
      db_.QueryInt("SELECT COUNT(*) FROM notifications WHERE household_uscc = ?"
                   " AND channel = 'in_app' AND status = 'sent' AND read_at IS NULL",
                   {household_uscc}));
  return n.value_or(0);
}

base::Result<bool> NotificationRepository::MarkRead(std::string_view household_uscc, int64_t id,
                                                    std::string_view at) {
  GETIHU_ASSIGN_OR_RETURN(
      int64_t changed,
      db_.Execute("UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ?"
                  " AND household_uscc = ? AND channel = 'in_app' AND status = 'sent'",
                  {at, id, household_uscc}));
  return changed == 1;
}

}  // namespace getihu::storage
