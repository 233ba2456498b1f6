// Session routes: login (rate-limited, lock-out after repeated failures), logout, the
// current user, and the password change every first login and expired password leads to.
#include <string>

#include "server/api_internal.h"
#include "storage/account_repository.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"

namespace getihu::server {

std::string SessionCookie(const ApiContext& ctx, const std::string& token, bool clear) {
  std::string c =
      "getihu_session=" + (clear ? std::string() : token) + "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) c += "; Max-Age=0";
  if (ctx.options.secure_cookie) c += "; Secure";
  return c;
}

namespace {

// A hash to verify against when the user does not exist, so the answer takes as long.
const std::string& DummyHash() {
  static const std::string hash = *HashPassword("getihu-no-such-user");
  return hash;
}

void Login(ApiContext& ctx, const HttpRequest& req, HttpResponse& res) {
  std::optional<Json> body = ParseBody(req, res);
  if (!body) return;
  base::Result<std::string> username = StringField(*body, "username", true);
  base::Result<std::string> password = StringField(*body, "password", true);
  if (!username.ok()) return ReplyError(res, username.status());
  if (!password.ok()) return ReplyError(res, password.status());
  if (username->size() > 64 || password->size() > 256) {
    return ReplyError(res, 400, "invalid_argument", "用户名或密码过长");
  }
  int64_t now = ctx.Now();
  if (!ctx.limiter.Allow("ip:" + req.remote_addr, now) ||
      !ctx.limiter.Allow("user:" + *username, now)) {
    return ReplyError(res, 429, "too_many_requests", "登录尝试过于频繁，请一分钟后再试");
  }
  base::Result<ConnectionPool::Lease> lease = ctx.pool.Acquire();
  if (!lease.ok()) return ReplyError(res, lease.status());
  storage::Database& db = lease->db();
  storage::AccountRepository accounts(db);
  base::Result<std::optional<storage::UserRecord>> found = accounts.FindUser(*username);
  if (!found.ok()) return ReplyError(res, found.status());
  auto fail = [&](int status, std::string_view code, const std::string& message,
                  std::string_view why) {
    (void)Audit(db, ctx, *username, req.remote_addr, "session.login", "user:" + *username,
                Json{{"reason", why}}, "failed");
    ReplyError(res, status, code, message);
  };
  if (!found->has_value() || (*found)->disabled) {
    VerifyPassword(DummyHash(), *password);
    return fail(401, "bad_credentials", "用户名或密码错误",
                found->has_value() ? "disabled" : "unknown_user");
  }
  storage::UserRecord& user = **found;
  if (user.locked_until.has_value() && *user.locked_until > now) {
    int64_t minutes = (*user.locked_until - now + 59) / 60;
    return fail(403, "locked",
                "连续登录失败次数过多，账号已锁定，请 " + std::to_string(minutes) + " 分钟后再试",
                "locked");
  }
  if (!VerifyPassword(user.password_hash, *password)) {
    int failures = user.failed_logins + 1;
    if (user.locked_until.has_value()) failures = 1;  // an expired lock starts a new count
    std::optional<int64_t> lock;
    if (failures >= ctx.options.lockout_failures) {
      lock = now + int64_t{ctx.options.lockout_minutes} * 60;
    }
    if (auto s = accounts.RecordLoginFailure(user.id, lock ? 0 : failures, lock); !s.ok()) {
      return ReplyError(res, s);
    }
    if (lock) {
      return fail(403, "locked",
                  "连续 " + std::to_string(ctx.options.lockout_failures) +
                      " 次密码错误，账号已锁定 " + std::to_string(ctx.options.lockout_minutes) +
                      " 分钟",
                  "locked_now");
    }
    return fail(401, "bad_credentials",
                "用户名或密码错误（再错 " +
                    std::to_string(ctx.options.lockout_failures - failures) + " 次将锁定账号）",
                "bad_password");
  }
  if (auto s = accounts.RecordLoginSuccess(user.id, storage::CstTimestamp(now)); !s.ok()) {
    return ReplyError(res, s);
  }
  base::Result<Principal> who = LoadPrincipal(db, user.id);
  if (!who.ok()) return ReplyError(res, who.status());
  bool expired =
      now - user.password_changed_at > int64_t{ctx.options.password_policy.max_age_days} * 86400;
  who->must_change_password = user.must_change_password || expired;
  int idle =
      (user.role == "admin" ? ctx.options.admin_idle_minutes : ctx.options.idle_minutes) * 60;
  Session s = ctx.sessions.Create(*who, now, idle, req.remote_addr);
  if (auto a = Audit(db, ctx, user.username, req.remote_addr, "session.login",
                     "user:" + user.username, Json::object());
      !a.ok()) {
    ctx.sessions.Remove(s.token);
    return ReplyError(res, a);
  }
  res.SetHeader("Set-Cookie", SessionCookie(ctx, s.token, false));
  ReplyJson(res, {{"user", PrincipalJson(s.who)},
                  {"csrf_token", s.csrf_token},
                  {"idle_timeout_seconds", idle},
                  {"password_expired", expired}});
}

void Logout(Call& c) {
  c.ctx.sessions.Remove(c.session.token);
  (void)Audit(c, "session.logout", "user:" + c.who.username, Json::object());
  c.res.SetHeader("Set-Cookie", SessionCookie(c.ctx, "", true));
  ReplyJson(c.res, {{"ok", true}});
}

void Me(Call& c) {
  ReplyJson(c.res, {{"user", PrincipalJson(c.who)},
                    {"csrf_token", c.session.csrf_token},
                    {"idle_timeout_seconds", c.session.idle_limit_seconds}});
}

void ChangePassword(Call& c) {
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  base::Result<std::string> old_pw = StringField(*body, "old_password", true);
  base::Result<std::string> new_pw = StringField(*body, "new_password", true);
  if (!old_pw.ok()) return ReplyError(c.res, old_pw.status());
  if (!new_pw.ok()) return ReplyError(c.res, new_pw.status());
  storage::AccountRepository accounts(c.db);
  base::Result<std::optional<storage::UserRecord>> user = accounts.GetUser(c.who.user_id);
  if (!user.ok()) return ReplyError(c.res, user.status());
  if (!user->has_value()) return ReplyError(c.res, 401, "unauthenticated", "用户不存在");
  if (!VerifyPassword((*user)->password_hash, *old_pw)) {
    (void)Audit(c, "user.password.change", "user:" + c.who.username,
                Json{{"reason", "bad_old_password"}}, "failed");
    return ReplyError(c.res, 400, "bad_old_password", "原密码不正确");
  }
  const PasswordPolicy& policy = c.ctx.options.password_policy;
  if (auto s = CheckPasswordPolicy(*new_pw, c.who.username, policy); !s.ok()) {
    return ReplyError(c.res, s);
  }
  base::Result<std::vector<std::string>> history =
      accounts.PasswordHistory(c.who.user_id, policy.history);
  if (!history.ok()) return ReplyError(c.res, history.status());
  for (const std::string& h : *history) {
    if (VerifyPassword(h, *new_pw)) {
      return ReplyError(c.res, 400, "invalid_argument",
                        "新密码不能与最近 " + std::to_string(policy.history) + " 次使用的密码相同");
    }
  }
  base::Result<std::string> hash = HashPassword(*new_pw);
  if (!hash.ok()) return ReplyError(c.res, hash.status());
  auto change = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(accounts.SetPassword(c.who.user_id, *hash, c.ctx.Now(), false));
    return Audit(c, "user.password.change", "user:" + c.who.username, Json::object());
  };
  if (auto s = storage::RunInTransaction(c.db, change); !s.ok()) return ReplyError(c.res, s);
  Principal updated = c.who;
  updated.must_change_password = false;
  c.ctx.sessions.UpdatePrincipal(updated);
  ReplyJson(c.res, {{"ok", true}, {"user", PrincipalJson(updated)}});
}

}  // namespace

void AddSessionRoutes(ApiContext& ctx) {
  ctx.router.Add("POST", "/api/v1/session/login",
                 [&ctx](const HttpRequest& req, HttpResponse& res) { Login(ctx, req, res); });
  ctx.router.Add("POST", "/api/v1/session/logout", Guarded(ctx, Permission::kSignedIn, Logout));
  ctx.router.Add("GET", "/api/v1/session", Guarded(ctx, Permission::kSignedIn, Me));
  ctx.router.Add("POST", "/api/v1/session/password",
                 Guarded(ctx, Permission::kSignedIn, ChangePassword));
}

}  // namespace getihu::server
