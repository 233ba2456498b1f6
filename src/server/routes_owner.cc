// The owner portal's own routes: signing in with the USCC, the operator's name and a one-time
// code sent by SMS to the phone registered for the household (no password to remember), and
// the in-app inbox of the notification outbox.
//
// The USCC and the operator's name are public (国家企业信用信息公示系统 shows both), so a
// mismatch is told plainly; what protects the account is the code, which goes only to the
// registered phone, expires, is consumed by one use and dropped after five wrong answers, and
// the rate limits per client address and per household.
#include <string>

#include "domain/uscc.h"
#include "server/api_internal.h"
#include "server/views.h"
#include "storage/account_repository.h"
#include "storage/household_repository.h"
#include "storage/notification_repository.h"
#include "storage/value.h"
#include "workflows/notifications.h"
#include "workflows/parameters.h"

namespace getihu::server {
namespace {

struct OwnerClaim {
  std::string uscc;
  std::string operator_name;
};

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// Reads and checks {uscc, operator_name}; replies 400 and returns nullopt when malformed.
std::optional<OwnerClaim> ReadClaim(const Json& body, HttpResponse& res) {
  base::Result<std::string> uscc = StringField(body, "uscc", true);
  base::Result<std::string> name = StringField(body, "operator_name", true);
  if (!uscc.ok()) return ReplyError(res, uscc.status()), std::nullopt;
  if (!name.ok()) return ReplyError(res, name.status()), std::nullopt;
  OwnerClaim claim{Trim(*uscc), Trim(*name)};
  for (char& ch : claim.uscc) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (claim.uscc.size() != 18 || !domain::ValidateUscc(claim.uscc).ok()) {
    ReplyError(res, 400, "invalid_argument",
               "统一社会信用代码不正确，请按营业执照上的 18 位代码填写");
    return std::nullopt;
  }
  if (claim.operator_name.empty() || claim.operator_name.size() > 100) {
    ReplyError(res, 400, "invalid_argument", "请填写营业执照上的经营者姓名");
    return std::nullopt;
  }
  return claim;
}

// The household when the claim matches it; replies and returns nullopt otherwise.
std::optional<domain::Household> MatchHousehold(ApiContext& ctx, storage::Database& db,
                                                const HttpRequest& req, HttpResponse& res,
                                                const OwnerClaim& claim, std::string_view action) {
  storage::HouseholdRepository households(db);
  base::Result<std::optional<domain::Household>> h = households.FindHousehold(claim.uscc);
  if (!h.ok()) return ReplyError(res, h.status()), std::nullopt;
  if (!h->has_value() || (*h)->operator_name != claim.operator_name) {
    (void)Audit(db, ctx, "经营者 " + claim.uscc, req.remote_addr, action, "household:" + claim.uscc,
                Json{{"reason", h->has_value() ? "name_mismatch" : "unknown_household"}}, "failed");
    ReplyError(res, 400, "no_match", "统一社会信用代码与经营者姓名不匹配，请核对营业执照");
    return std::nullopt;
  }
  return std::move(**h);
}

bool RateLimited(ApiContext& ctx, const HttpRequest& req, HttpResponse& res,
                 const std::string& uscc) {
  int64_t now = ctx.Now();
  if (!ctx.limiter.Allow("ip:" + req.remote_addr, now) ||
      !ctx.limiter.Allow("owner:" + uscc, now)) {
    ReplyError(res, 429, "too_many_requests", "操作过于频繁，请一分钟后再试");
    return true;
  }
  return false;
}

void RequestCode(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
  std::optional<Json> body = ParseBody(req, res);
  if (!body) return;
  std::optional<OwnerClaim> claim = ReadClaim(*body, res);
  if (!claim || RateLimited(ctx, req, res, claim->uscc)) return;
  base::Result<ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ReplyError(res, lease.status());
  storage::Database& db = lease->db();
  std::optional<domain::Household> h =
      MatchHousehold(ctx, db, req, res, *claim, "session.owner_code");
  if (!h) return;
  if (!h->phone.has_value() || h->phone->empty()) {
    return ReplyError(res, 409, "no_phone",
                      "该户未登记联系电话，无法发送验证码；请到登记机关更新联系电话");
  }
  base::Result<int64_t> ttl_minutes = workflows::ReadParameter(db, workflows::kOwnerCodeTtlMinutes);
  base::Result<int64_t> resend = workflows::ReadParameter(db, workflows::kOwnerCodeResendSeconds);
  if (!ttl_minutes.ok()) return ReplyError(res, ttl_minutes.status());
  if (!resend.ok()) return ReplyError(res, resend.status());
  int64_t now = ctx.Now();
  if (int64_t wait = ctx.owner_codes.ResendWait(claim->uscc, now, static_cast<int>(*resend));
      wait > 0) {
    return ReplyError(res, 429, "too_many_requests",
                      "验证码已发送，请 " + std::to_string(wait) + " 秒后再重新获取");
  }
  std::string code = RandomDigits(6);
  storage::Notification sms;
  sms.channel = "sms";
  sms.kind = "login_code";
  sms.household_uscc = claim->uscc;
  sms.subject = "登录验证码";
  sms.body = "【个体工商户服务】您的登录验证码为 " + code + "，" + std::to_string(*ttl_minutes) +
             " 分钟内有效。如非本人操作，请忽略本短信。";
  sms.erase_after_send = true;
  storage::NotificationRepository outbox(db);
  base::Result<std::optional<int64_t>> id = outbox.Enqueue(sms, storage::CstTimestamp(now));
  if (!id.ok()) return ReplyError(res, id.status());
  ctx.owner_codes.Put(claim->uscc, code, now, static_cast<int>(*ttl_minutes * 60));
  base::Status sent = workflows::DispatchOne(db, *ctx.options.sms, *ctx.options.clock, **id);
  if (!sent.ok()) {
    ctx.owner_codes.Drop(claim->uscc);
    (void)Audit(db, ctx, "经营者 " + claim->uscc, req.remote_addr, "session.owner_code",
                "household:" + claim->uscc, Json{{"reason", sent.message()}}, "failed");
    return ReplyError(res, 503, "unavailable", "验证码发送失败：" + sent.message());
  }
  if (auto a = Audit(db, ctx, "经营者 " + claim->uscc, req.remote_addr, "session.owner_code",
                     "household:" + claim->uscc, Json{{"notification", **id}});
      !a.ok()) {
    ctx.owner_codes.Drop(claim->uscc);
    return ReplyError(res, a);
  }
  ReplyJson(res, {{"sent", true},
                  {"phone", MaskPhone(*h->phone)},
                  {"expires_in_seconds", *ttl_minutes * 60},
                  {"resend_after_seconds", *resend}});
}

// The household's owner account, created at its first code login (no usable password: the
// hash field holds a marker no password verifies against).
base::Result<storage::UserRecord> OwnerAccount(ApiContext& ctx, storage::Database& db,
                                               const domain::Household& h) {
  storage::AccountRepository accounts(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::UserRecord> existing,
                          accounts.FindOwnerOf(h.uscc));
  if (existing.has_value()) return std::move(*existing);
  storage::UserRecord u;
  u.username = h.uscc;
  u.display_name = h.name.value_or(h.operator_name);
  u.role = "owner";
  u.region_prefix = h.region_code;
  u.household_uscc = h.uscc;
  u.password_hash = "!sms-code-login";
  u.password_changed_at = ctx.Now();
  u.must_change_password = false;
  GETIHU_RETURN_IF_ERROR(accounts.CreateUser(u, storage::CstTimestamp(ctx.Now())).status());
  return u;
}

void CodeLogin(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
  std::optional<Json> body = ParseBody(req, res);
  if (!body) return;
  std::optional<OwnerClaim> claim = ReadClaim(*body, res);
  if (!claim) return;
  base::Result<std::string> code = StringField(*body, "code", true);
  if (!code.ok()) return ReplyError(res, code.status());
  if (RateLimited(ctx, req, res, claim->uscc)) return;
  base::Result<ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ReplyError(res, lease.status());
  storage::Database& db = lease->db();
  std::optional<domain::Household> h = MatchHousehold(ctx, db, req, res, *claim, "session.login");
  if (!h) return;
  int64_t now = ctx.Now();
  OwnerCodeStore::Check check = ctx.owner_codes.Verify(claim->uscc, Trim(*code), now);
  if (check != OwnerCodeStore::Check::kOk) {
    std::string message = "验证码已失效，请重新获取";
    if (check == OwnerCodeStore::Check::kWrong) message = "验证码不正确，请核对短信";
    if (check == OwnerCodeStore::Check::kTooManyWrong) {
      message = "验证码错误次数过多，已失效，请重新获取";
    }
    (void)Audit(db, ctx, "经营者 " + claim->uscc, req.remote_addr, "session.login",
                "household:" + claim->uscc, Json{{"method", "sms_code"}, {"reason", "bad_code"}},
                "failed");
    return ReplyError(res, 401, "bad_code", message);
  }
  base::Result<storage::UserRecord> user = OwnerAccount(ctx, db, *h);
  if (!user.ok()) return ReplyError(res, user.status());
  if (user->disabled) {
    (void)Audit(db, ctx, user->username, req.remote_addr, "session.login", "user:" + user->username,
                Json{{"method", "sms_code"}, {"reason", "disabled"}}, "failed");
    return ReplyError(res, 403, "disabled", "该账号已停用，请联系当地市场监管所");
  }
  storage::AccountRepository accounts(db);
  if (auto s = accounts.RecordLoginSuccess(user->id, storage::CstTimestamp(now)); !s.ok()) {
    return ReplyError(res, s);
  }
  base::Result<Principal> who = LoadPrincipal(db, user->id);
  if (!who.ok()) return ReplyError(res, who.status());
  who->must_change_password = false;  // signed in by code: no password to change
  int idle = ctx.options.idle_minutes * 60;
  Session s = ctx.sessions.Create(*who, now, idle, req.remote_addr);
  if (auto a = Audit(db, ctx, user->username, req.remote_addr, "session.login",
                     "user:" + user->username, Json{{"method", "sms_code"}});
      !a.ok()) {
    ctx.sessions.Remove(s.token);
    return ReplyError(res, a);
  }
  res.SetHeader("Set-Cookie", SessionCookie(ctx, s.token, false));
  ReplyJson(res, {{"user", PrincipalJson(s.who)},
                  {"csrf_token", s.csrf_token},
                  {"idle_timeout_seconds", idle},
                  {"password_expired", false}});
}

// The owner's household, or a 403 reply for anyone else.
const std::string* OwnHousehold(Call& c) {
  if (c.who.role != "owner" || !c.who.household_uscc.has_value()) {
    ReplyError(c.res, 403, "forbidden", "站内消息仅向经营者提供");
    return nullptr;
  }
  return &*c.who.household_uscc;
}

void Inbox(Call& c) {
  const std::string* uscc = OwnHousehold(c);
  if (!uscc) return;
  base::Result<int> limit = PageLimit(c.req, 20, 200);
  if (!limit.ok()) return ReplyError(c.res, limit.status());
  std::optional<int64_t> before;
  if (std::string b = c.req.Query("before"); !b.empty()) {
    char* end = nullptr;
    long long v = std::strtoll(b.c_str(), &end, 10);
    if (*end != '\0' || v <= 0) {
      return ReplyError(c.res, 400, "invalid_argument", "before 应为正整数");
    }
    before = v;
  }
  storage::NotificationRepository outbox(c.db);
  base::Result<std::vector<storage::Notification>> page = outbox.Inbox(*uscc, before, *limit);
  if (!page.ok()) return ReplyError(c.res, page.status());
  base::Result<int64_t> unread = outbox.UnreadCount(*uscc);
  if (!unread.ok()) return ReplyError(c.res, unread.status());
  Json items = Json::array();
  for (const storage::Notification& n : *page) {
    items.push_back({{"id", n.id},
                     {"kind", n.kind},
                     {"subject", n.subject},
                     {"body", n.body},
                     {"sent_at", n.sent_at.value_or("")},
                     {"read", n.read_at.has_value()}});
  }
  Json next = page->size() == static_cast<size_t>(*limit) ? Json(page->back().id) : Json();
  ReplyJson(c.res, {{"items", std::move(items)}, {"unread", *unread}, {"next_before", next}});
}

void MarkRead(Call& c) {
  const std::string* uscc = OwnHousehold(c);
  if (!uscc) return;
  std::string text = c.req.Param("id");
  char* end = nullptr;
  long long id = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || id <= 0) {
    return ReplyError(c.res, 400, "invalid_argument", "消息编号应为正整数");
  }
  storage::NotificationRepository outbox(c.db);
  base::Result<bool> done = outbox.MarkRead(*uscc, id, storage::CstTimestamp(c.ctx.Now()));
  if (!done.ok()) return ReplyError(c.res, done.status());
  if (!*done) return ReplyError(c.res, 404, "not_found", "没有该消息");
  ReplyJson(c.res, {{"ok", true}});
}

}  // namespace

void AddOwnerRoutes(ApiContext& ctx) {
  ctx.router.Add("POST", "/api/v1/session/owner-code",
                 [&ctx](const HttpRequest& req, HttpResponse& res) { RequestCode(ctx, req, res); });
  ctx.router.Add("POST", "/api/v1/session/owner-login",
                 [&ctx](const HttpRequest& req, HttpResponse& res) { CodeLogin(ctx, req, res); });
  ctx.router.Add("GET", "/api/v1/messages", Guarded(ctx, Permission::kSignedIn, Inbox));
  ctx.router.Add("POST", "/api/v1/messages/{id}/read",
                 Guarded(ctx, Permission::kSignedIn, MarkRead));
}

}  // namespace getihu::server
