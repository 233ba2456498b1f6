#include "server/api.h"

#include <algorithm>
#include <thread>

#include "domain/region.h"
#include "server/api_internal.h"
#include "storage/account_repository.h"
#include "storage/audit_repository.h"

namespace getihu::server {

ApiContext::ApiContext(ServerOptions o)
    : options(std::move(o)),
      // Enough connections that no handler thread (nor the background job) waits for one.
      pool(options.open_database,
           std::max(options.db_connections, HttpServer::HandlerThreads(options.limits) + 1)),
      limiter(options.login_attempts_per_minute, 60),
      populations(options.population_cache_bytes, options.open_database,
                  options.population_images) {
  if (!options.sms) options.sms = std::make_shared<workflows::LogSmsSender>(stderr);
}

void ReplyJson(HttpResponse& res, const Json& body, int status) {
  ReplyJsonText(res, body.dump(-1, ' ', false, Json::error_handler_t::replace), status);
}

void ReplyJsonText(HttpResponse& res, std::string body, int status) {
  res.status = status;
  res.content_type = "application/json; charset=utf-8";
  res.body = std::move(body);
}

void ReplyError(HttpResponse& res, int status, std::string_view code, std::string_view message) {
  ReplyJson(res, Json{{"error", {{"code", code}, {"message", message}}}}, status);
}

void ReplyError(HttpResponse& res, const base::Status& s) {
  switch (s.code()) {
    case base::StatusCode::kInvalidArgument:
      return ReplyError(res, 400, "invalid_argument", s.message());
    case base::StatusCode::kNotFound:
      return ReplyError(res, 404, "not_found", s.message());
    case base::StatusCode::kAlreadyExists:
      return ReplyError(res, 409, "already_exists", s.message());
    case base::StatusCode::kFailedPrecondition:
      return ReplyError(res, 409, "failed_precondition", s.message());
    case base::StatusCode::kPermissionDenied:
      return ReplyError(res, 403, "forbidden", s.message());
    case base::StatusCode::kResourceExhausted:
      return ReplyError(res, 429, "too_many_requests", s.message());
    case base::StatusCode::kAborted:
    case base::StatusCode::kUnavailable:
      return ReplyError(res, 503, "unavailable", s.message());
    default:
      return ReplyError(res, 500, "internal", "服务器内部错误：" + s.message());
  }
}

std::optional<Json> ParseBody(const HttpRequest& req, HttpResponse& res) {
  Json body = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    ReplyError(res, 400, "bad_json", "请求内容应为 JSON 对象");
    return std::nullopt;
  }
  return body;
}

base::Result<std::string> StringField(const Json& body, std::string_view name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return base::InvalidArgument("缺少字段 " + std::string(name));
    return std::string();
  }
  if (!it->is_string()) return base::InvalidArgument("字段 " + std::string(name) + " 应为字符串");
  return it->get<std::string>();
}

base::Result<int> PageLimit(const HttpRequest& req, int fallback, int max) {
  std::string text = req.Query("limit");
  if (text.empty()) return fallback;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || v > 1'000'000) {
      return base::InvalidArgument("limit 应为 1–" + std::to_string(max) + " 的整数");
    }
    v = v * 10 + (c - '0');
  }
  if (v < 1 || v > max) {
    return base::InvalidArgument("limit 应为 1–" + std::to_string(max) + " 的整数");
  }
  return v;
}

base::Status Audit(storage::Database& db, const ApiContext& ctx, std::string_view actor,
                   std::string_view remote_addr, std::string_view action, std::string_view target,
                   const Json& detail, std::string_view result) {
  storage::AuditRepository repo(db, *ctx.options.clock);
  storage::AuditEvent ev;
  ev.actor = std::string(actor);
  ev.action = std::string(action);
  ev.target = std::string(target);
  ev.detail = detail.dump(-1, ' ', false, Json::error_handler_t::replace);
  ev.ip = std::string(remote_addr);
  ev.result = storage::AuditResultFromCode(result).value_or(storage::AuditResult::kFailed);
  return repo.Append(ev).status();
}

base::Result<Principal> LoadPrincipal(storage::Database& db, int64_t user_id) {
  storage::AccountRepository accounts(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::UserRecord> u, accounts.GetUser(user_id));
  if (!u.has_value()) return base::NotFound("用户不存在");
  Principal p;
  p.user_id = u->id;
  p.username = u->username;
  p.display_name = u->display_name;
  p.role = u->role;
  p.region_prefix = u->region_prefix;
  p.department_id = u->department_id;
  p.household_uscc = u->household_uscc;
  p.can_unmask = u->can_unmask;
  p.must_change_password = u->must_change_password;
  if (u->department_id.has_value()) {
    GETIHU_ASSIGN_OR_RETURN(std::optional<storage::Department> d,
                            accounts.GetDepartment(*u->department_id));
    if (d.has_value()) {
      p.department_name = d->name;
      p.department_feeds = d->feeds;
    }
  }
  return p;
}

namespace {
// "巴南区" for "500113", "重庆市" for "50", "全国" for "".
std::string RegionName(const std::string& prefix) {
  if (prefix.empty()) return "全国";
  std::string code = prefix;
  code.resize(6, '0');
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  return r ? r->name : prefix;
}
}  // namespace

Json PrincipalJson(const Principal& who) {
  Json j = {{"id", who.user_id},
            {"username", who.username},
            {"display_name", who.display_name},
            {"role", who.role},
            {"role_name", RoleName(who.role)},
            {"region", who.region_prefix},
            {"region_name", RegionName(who.region_prefix)},
            {"can_unmask", who.can_unmask},
            {"must_change_password", who.must_change_password}};
  if (who.department_id) {
    j["department"] = {
        {"id", *who.department_id}, {"name", who.department_name}, {"feeds", who.department_feeds}};
  }
  if (who.household_uscc) j["household_uscc"] = *who.household_uscc;
  return j;
}

Handler Guarded(ApiContext& ctx, Permission permission, GuardedHandler handler) {
  return [&ctx, permission, handler = std::move(handler)](const HttpRequest& req,
                                                          HttpResponse& res) {
    std::optional<Session> session = ctx.sessions.Touch(req.Cookie("getihu_session"), ctx.Now());
    if (!session.has_value()) {
      return ReplyError(res, 401, "unauthenticated", "未登录或登录已超时，请重新登录");
    }
    bool write = req.method != "GET";
    if (write && req.Header("x-csrf-token") != session->csrf_token) {
      return ReplyError(res, 403, "csrf", "请求缺少有效的 CSRF 令牌，请刷新页面后重试");
    }
    if (session->who.must_change_password && !req.path.starts_with("/api/v1/session")) {
      return ReplyError(res, 403, "password_change_required", "首次登录或密码已过期，请先修改密码");
    }
    base::Result<ConnectionPool::Lease> lease = ctx.pool.Acquire();
    if (!lease.ok()) return ReplyError(res, lease.status());
    Call call{req, res, ctx, *session, session->who, lease->db()};
    if (!Has(session->who, permission)) {
      // Refusals of a signed-in user are on record too.
      (void)Audit(call, "access.denied", req.method + " " + req.path, Json::object(), "denied");
      return ReplyError(res, 403, "forbidden",
                        "当前角色（" + RoleName(session->who.role) + "）无权进行此操作");
    }
    handler(call);
    if (lease->db().in_transaction()) lease->MarkBroken();
  };
}

ApiServer::ApiServer(ServerOptions options)
    : ctx_(std::make_unique<ApiContext>(std::move(options))) {
  AddSessionRoutes(*ctx_);
  AddHouseholdRoutes(*ctx_);
  AddImportRoutes(*ctx_);
  AddTierRoutes(*ctx_);
  AddStatsRoutes(*ctx_);
  AddAdminRoutes(*ctx_);
  AddOwnerRoutes(*ctx_);
  AddSettingsRoutes(*ctx_);
  AddAttachmentRoutes(*ctx_);
  AddWebRoutes(*ctx_);
  HttpLimits limits = ctx_->options.limits;
  limits.upload_dir = ctx_->options.work_dir;
  http_ = std::make_unique<HttpServer>(ctx_->router, limits);
}

ApiServer::~ApiServer() { Stop(); }

base::Status ApiServer::Start() { return http_->Bind(ctx_->options.host, ctx_->options.port); }
int ApiServer::port() const { return http_->port(); }
void ApiServer::Serve() { http_->Serve(); }
void ApiServer::Stop() { http_->Stop(); }
void ApiServer::WaitForJobs() { ctx_->jobs.WaitIdle(); }
const Router& ApiServer::router() const { return ctx_->router; }

}  // namespace getihu::server
