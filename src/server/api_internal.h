// Shared by the route files of the API (not for other layers): the server's context, the
// guarded call every protected route receives, JSON replies and errors, and audit records.
#ifndef GETIHU_SERVER_API_INTERNAL_H_
#define GETIHU_SERVER_API_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/household.h"
#include "server/access.h"
#include "server/api.h"
#include "server/connection_pool.h"
#include "server/http.h"
#include "server/jobs.h"
#include "server/population_cache.h"
#include "server/session.h"
#include "storage/database.h"

namespace getihu::server {

using Json = nlohmann::ordered_json;

struct ApiContext {
  explicit ApiContext(ServerOptions o);

  ServerOptions options;
  ConnectionPool pool;
  SessionStore sessions;
  LoginLimiter limiter;
  OwnerCodeStore owner_codes;
  JobRunner jobs;
  PopulationCache populations;
  Router router;

  int64_t Now() const { return options.clock->NowUnixSeconds(); }
};

// A request that passed the access check: the caller, their session and a database
// connection held for the request.
struct Call {
  const HttpRequest& req;
  HttpResponse& res;
  ApiContext& ctx;
  const Session& session;
  const Principal& who;
  storage::Database& db;
};

using GuardedHandler = std::function<void(Call&)>;

// The access check of every protected route, in one place: a live session from the cookie,
// the CSRF token on every write, a forced password change before anything else, the
// permission, then a pooled connection for the handler.
Handler Guarded(ApiContext& ctx, Permission permission, GuardedHandler handler);

void ReplyJson(HttpResponse& res, const Json& body, int status = 200);
// The same for a body already written as JSON text.
void ReplyJsonText(HttpResponse& res, std::string body, int status = 200);
void ReplyError(HttpResponse& res, int status, std::string_view code, std::string_view message);
// Maps a Status to its HTTP status and error code.
void ReplyError(HttpResponse& res, const base::Status& status);
// The body as a JSON object; replies 400 and returns nullopt when it is not one.
std::optional<Json> ParseBody(const HttpRequest& req, HttpResponse& res);
// Reads a string member ("" when absent); a member of another type is an error.
base::Result<std::string> StringField(const Json& body, std::string_view name, bool required);

// Appends to the audit log (who, when, what, from where, result). Errors are returned: a
// write whose audit record cannot be stored must not be reported as done.
base::Status Audit(storage::Database& db, const ApiContext& ctx, std::string_view actor,
                   std::string_view remote_addr, std::string_view action, std::string_view target,
                   const Json& detail, std::string_view result = "ok");
inline base::Status Audit(Call& c, std::string_view action, std::string_view target,
                          const Json& detail, std::string_view result = "ok") {
  return Audit(c.db, c.ctx, c.who.username, c.req.remote_addr, action, target, detail, result);
}

// Limit for list pages: `limit` query parameter within [1, max], default `fallback`.
base::Result<int> PageLimit(const HttpRequest& req, int fallback, int max);

// Route groups (one file each).
void AddSessionRoutes(ApiContext& ctx);
void AddHouseholdRoutes(ApiContext& ctx);
void AddImportRoutes(ApiContext& ctx);
void AddTierRoutes(ApiContext& ctx);
void AddStatsRoutes(ApiContext& ctx);
void AddAdminRoutes(ApiContext& ctx);
void AddWebRoutes(ApiContext& ctx);

// The household with this USCC when the caller may see it (access.h); replies 400/403/404
// and returns nullopt otherwise. Staff get 404 both for unknown households and for those
// outside their region, so nobody learns what exists elsewhere.
std::optional<domain::Household> VisibleHousehold(Call& c, const std::string& uscc);

// The Set-Cookie value carrying a session token (`clear`: the one that removes it).
std::string SessionCookie(const ApiContext& ctx, const std::string& token, bool clear);
void AddOwnerRoutes(ApiContext& ctx);
void AddSettingsRoutes(ApiContext& ctx);
void AddAttachmentRoutes(ApiContext& ctx);

// Principal of a stored user (with the department's feeds); NotFound when gone.
base::Result<Principal> LoadPrincipal(storage::Database& db, int64_t user_id);
Json PrincipalJson(const Principal& who);

}  // namespace getihu::server

#endif  // GETIHU_SERVER_API_INTERNAL_H_
