// Administration routes (admin role): users with roles and region scope (new accounts and
// resets get a random one-time password the user must change), departments with the feeds
// they may upload, online sessions with forced logout, and the audit log viewer. An admin
// manages only users inside their own region scope.
#include <string>

#include "server/api_internal.h"
#include "storage/account_repository.h"
#include "storage/audit_repository.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"

namespace getihu::server {
namespace {

Json UserJson(const storage::UserRecord& u, int64_t now) {
  Json j = {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"role", u.role},
            {"role_name", RoleName(u.role)},
            {"region", u.region_prefix},
            {"can_unmask", u.can_unmask},
            {"must_change_password", u.must_change_password},
            {"locked", u.locked_until.has_value() && *u.locked_until > now},
            {"disabled", u.disabled},
            {"created_at", u.created_at}};
  j["department_id"] = u.department_id ? Json(*u.department_id) : Json();
  j["household_uscc"] = u.household_uscc ? Json(*u.household_uscc) : Json();
  j["last_login_at"] = u.last_login_at ? Json(*u.last_login_at) : Json();
  return j;
}

base::Result<int64_t> PathId(const HttpRequest& req) {
  std::string t = req.Param("id");
  if (t.empty() || t.size() > 15 || t.find_first_not_of("0123456789") != std::string::npos) {
    return base::InvalidArgument("编号应为正整数");
  }
  return std::stoll(t);
}

// Applies the editable members of `body` to `u`; InvalidArgument for a bad value.
base::Status ApplyProfile(const Principal& admin, const Json& body, storage::UserRecord& u) {
  GETIHU_ASSIGN_OR_RETURN(std::string display, StringField(body, "display_name", false));
  if (!display.empty()) u.display_name = display;
  GETIHU_ASSIGN_OR_RETURN(std::string role, StringField(body, "role", false));
  if (!role.empty()) u.role = role;
  if (body.contains("region")) {
    GETIHU_ASSIGN_OR_RETURN(std::string region, StringField(body, "region", false));
    GETIHU_ASSIGN_OR_RETURN(std::string scope, AccountRegionScope(region));
    // Inside the admin's own scope, as written and as it stands for.
    GETIHU_RETURN_IF_ERROR(ScopedRegion(admin, region).status());
    GETIHU_ASSIGN_OR_RETURN(u.region_prefix, ScopedRegion(admin, scope));
  }
  if (auto it = body.find("department_id"); it != body.end()) {
    if (it->is_null()) {
      u.department_id.reset();
    } else if (it->is_number_integer()) {
      u.department_id = it->get<int64_t>();
    } else {
      return base::InvalidArgument("department_id 应为部门编号");
    }
  }
  if (body.contains("household_uscc")) {
    GETIHU_ASSIGN_OR_RETURN(std::string uscc, StringField(body, "household_uscc", false));
    if (uscc.empty()) {
      u.household_uscc.reset();
    } else {
      u.household_uscc = uscc;
    }
  }
  for (const char* flag : {"can_unmask", "disabled"}) {
    if (auto it = body.find(flag); it != body.end()) {
      if (!it->is_boolean())
        return base::InvalidArgument(std::string(flag) + " 应为 true 或 false");
      (std::string_view(flag) == "can_unmask" ? u.can_unmask : u.disabled) = it->get<bool>();
    }
  }
  if (u.role == "owner" && !u.household_uscc) {
    return base::InvalidArgument(
        "经营者账号须指定 household_uscc（所经营个体工商户的统一社会信用代码）");
  }
  if (u.role == "department" && !u.department_id) {
    return base::InvalidArgument("部门用户须指定 department_id");
  }
  return base::OkStatus();
}

void ListUsers(Call& c) {
  storage::AccountRepository accounts(c.db);
  base::Result<std::vector<storage::UserRecord>> users = accounts.ListUsers(c.who.region_prefix);
  if (!users.ok()) return ReplyError(c.res, users.status());
  Json items = Json::array();
  for (const storage::UserRecord& u : *users) items.push_back(UserJson(u, c.ctx.Now()));
  ReplyJson(c.res, {{"items", std::move(items)}});
}

void CreateUser(Call& c) {
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  base::Result<std::string> username = StringField(*body, "username", true);
  if (!username.ok()) return ReplyError(c.res, username.status());
  if (username->size() < 3 || username->size() > 64 ||
      username->find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@") !=
          std::string::npos) {
    return ReplyError(c.res, 400, "invalid_argument",
                      "用户名应为 3–64 个字母、数字或 _ . - @ 字符");
  }
  storage::UserRecord u;
  u.username = *username;
  u.display_name = *username;
  u.role = "regulator";
  u.region_prefix = c.who.region_prefix;
  if (auto s = ApplyProfile(c.who, *body, u); !s.ok()) return ReplyError(c.res, s);
  std::string password = RandomPassword();
  base::Result<std::string> hash = HashPassword(password);
  if (!hash.ok()) return ReplyError(c.res, hash.status());
  u.password_hash = *hash;
  u.password_changed_at = c.ctx.Now();
  u.must_change_password = true;
  storage::AccountRepository accounts(c.db);
  auto create = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(accounts.CreateUser(u, storage::CstTimestamp(c.ctx.Now())).status());
    return Audit(c, "user.create", "user:" + u.username,
                 Json{{"role", u.role}, {"region", u.region_prefix}});
  };
  if (auto s = storage::RunInTransaction(c.db, create); !s.ok()) return ReplyError(c.res, s);
  Json j = UserJson(u, c.ctx.Now());
  j["initial_password"] = password;  // shown once; the user must change it at first login
  ReplyJson(c.res, j, 201);
}

// The user `id` when inside the admin's scope; replies 404 otherwise.
std::optional<storage::UserRecord> ScopedUser(Call& c) {
  base::Result<int64_t> id = PathId(c.req);
  if (!id.ok()) {
    ReplyError(c.res, id.status());
    return std::nullopt;
  }
  storage::AccountRepository accounts(c.db);
  base::Result<std::optional<storage::UserRecord>> u = accounts.GetUser(*id);
  if (!u.ok()) {
    ReplyError(c.res, u.status());
    return std::nullopt;
  }
  if (!u->has_value() || !(*u)->region_prefix.starts_with(c.who.region_prefix)) {
    ReplyError(c.res, 404, "not_found", "没有该用户");
    return std::nullopt;
  }
  return std::move(**u);
}

void UpdateUser(Call& c) {
  std::optional<storage::UserRecord> u = ScopedUser(c);
  if (!u) return;
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  if (auto s = ApplyProfile(c.who, *body, *u); !s.ok()) return ReplyError(c.res, s);
  if (u->id == c.who.user_id && (u->disabled || u->role != "admin")) {
    return ReplyError(c.res, 400, "invalid_argument", "不能停用自己或取消自己的管理员角色");
  }
  storage::AccountRepository accounts(c.db);
  auto update = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(accounts.UpdateProfile(*u));
    return Audit(c, "user.update", "user:" + u->username, *body);
  };
  if (auto s = storage::RunInTransaction(c.db, update); !s.ok()) return ReplyError(c.res, s);
  c.ctx.sessions.RemoveUser(u->id);  // the new role and scope apply from the next login
  ReplyJson(c.res, UserJson(*u, c.ctx.Now()));
}

void ResetPassword(Call& c) {
  std::optional<storage::UserRecord> u = ScopedUser(c);
  if (!u) return;
  std::string password = RandomPassword();
  base::Result<std::string> hash = HashPassword(password);
  if (!hash.ok()) return ReplyError(c.res, hash.status());
  storage::AccountRepository accounts(c.db);
  auto reset = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(accounts.SetPassword(u->id, *hash, c.ctx.Now(), true));
    return Audit(c, "user.password.reset", "user:" + u->username, Json::object());
  };
  if (auto s = storage::RunInTransaction(c.db, reset); !s.ok()) return ReplyError(c.res, s);
  c.ctx.sessions.RemoveUser(u->id);
  ReplyJson(c.res, {{"id", u->id}, {"username", u->username}, {"initial_password", password}});
}

void ForceLogout(Call& c) {
  std::optional<storage::UserRecord> u = ScopedUser(c);
  if (!u) return;
  int n = c.ctx.sessions.RemoveUser(u->id);
  if (auto s = Audit(c, "session.force_logout", "user:" + u->username, Json{{"sessions", n}});
      !s.ok()) {
    return ReplyError(c.res, s);
  }
  ReplyJson(c.res, {{"ended_sessions", n}});
}

void ListSessions(Call& c) {
  Json items = Json::array();
  for (const Session& s : c.ctx.sessions.List(c.ctx.Now())) {
    if (!s.who.region_prefix.starts_with(c.who.region_prefix)) continue;
    items.push_back({{"user_id", s.who.user_id},
                     {"username", s.who.username},
                     {"role", s.who.role},
                     {"remote_addr", s.remote_addr},
                     {"created_at", storage::CstTimestamp(s.created_at)},
                     {"last_seen", storage::CstTimestamp(s.last_seen)}});
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

void ListDepartments(Call& c) {
  storage::AccountRepository accounts(c.db);
  base::Result<std::vector<storage::Department>> list = accounts.ListDepartments();
  if (!list.ok()) return ReplyError(c.res, list.status());
  Json items = Json::array();
  for (const storage::Department& d : *list) {
    items.push_back({{"id", d.id}, {"code", d.code}, {"name", d.name}, {"feeds", d.feeds}});
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

void CreateDepartment(Call& c) {
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  base::Result<std::string> code = StringField(*body, "code", true);
  base::Result<std::string> name = StringField(*body, "name", true);
  if (!code.ok()) return ReplyError(c.res, code.status());
  if (!name.ok()) return ReplyError(c.res, name.status());
  storage::Department d{0, *code, *name, {}};
  if (auto it = body->find("feeds"); it != body->end()) {
    if (!it->is_array()) return ReplyError(c.res, 400, "invalid_argument", "feeds 应为数组");
    for (const Json& f : *it) {
      if (!f.is_string()) return ReplyError(c.res, 400, "invalid_argument", "feeds 应为字符串数组");
      d.feeds.push_back(f.get<std::string>());
    }
  }
  storage::AccountRepository accounts(c.db);
  auto create = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(accounts.CreateDepartment(d).status());
    return Audit(c, "department.create", "department:" + d.code, Json{{"feeds", d.feeds}});
  };
  if (auto s = storage::RunInTransaction(c.db, create); !s.ok()) return ReplyError(c.res, s);
  ReplyJson(c.res, {{"id", d.id}, {"code", d.code}, {"name", d.name}, {"feeds", d.feeds}}, 201);
}

void ListAudit(Call& c) {
  base::Result<int> limit = PageLimit(c.req, 100, storage::kMaxAuditPage);
  if (!limit.ok()) return ReplyError(c.res, limit.status());
  storage::AuditFilter f;
  f.limit = *limit;
  f.actor = c.req.Query("actor");
  f.action_prefix = c.req.Query("action");
  f.target_prefix = c.req.Query("target");
  if (std::string r = c.req.Query("result"); !r.empty()) {
    f.result = storage::AuditResultFromCode(r);
    if (!f.result)
      return ReplyError(c.res, 400, "invalid_argument", "result 只能是 ok、denied、failed");
  }
  for (const char* key : {"cursor", "from", "to"}) {
    std::string t = c.req.Query(key);
    if (t.empty()) continue;
    if (t.size() > 15 || t.find_first_not_of("0123456789") != std::string::npos) {
      return ReplyError(c.res, 400, "invalid_argument",
                        std::string(key) + " 应为整数（from/to 为 Unix 秒）");
    }
    int64_t v = std::stoll(t);
    (std::string_view(key) == "cursor" ? f.before_id
     : std::string_view(key) == "from" ? f.from_unix
                                       : f.to_unix) = v;
  }
  storage::AuditRepository repo(c.db, *c.ctx.options.clock);
  base::Result<storage::AuditPage> page = repo.List(f);
  if (!page.ok()) return ReplyError(c.res, page.status());
  Json items = Json::array();
  for (const storage::AuditEvent& e : page->events) {
    Json detail = Json::parse(e.detail, nullptr, false);
    items.push_back({{"id", e.id},
                     {"at", e.at},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"target", e.target},
                     {"ip", e.ip},
                     {"result", storage::AuditResultCode(e.result)},
                     {"detail", detail.is_discarded() ? Json(e.detail) : detail}});
  }
  Json next = page->next_before_id ? Json(std::to_string(*page->next_before_id)) : Json();
  ReplyJson(c.res, {{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace

void AddAdminRoutes(ApiContext& ctx) {
  Router& r = ctx.router;
  r.Add("GET", "/api/v1/users", Guarded(ctx, Permission::kAdmin, ListUsers));
  r.Add("POST", "/api/v1/users", Guarded(ctx, Permission::kAdmin, CreateUser));
  r.Add("PATCH", "/api/v1/users/{id}", Guarded(ctx, Permission::kAdmin, UpdateUser));
  r.Add("POST", "/api/v1/users/{id}/password-reset",
        Guarded(ctx, Permission::kAdmin, ResetPassword));
  r.Add("POST", "/api/v1/users/{id}/logout", Guarded(ctx, Permission::kAdmin, ForceLogout));
  r.Add("GET", "/api/v1/sessions", Guarded(ctx, Permission::kAdmin, ListSessions));
  r.Add("GET", "/api/v1/departments", Guarded(ctx, Permission::kAdmin, ListDepartments));
  r.Add("POST", "/api/v1/departments", Guarded(ctx, Permission::kAdmin, CreateDepartment));
  r.Add("GET", "/api/v1/audit", Guarded(ctx, Permission::kAudit, ListAudit), {.blocking = true});
}

}  // namespace getihu::server
