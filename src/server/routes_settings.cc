// 系统管理's reference pages: the parameters staff set that the platform reads
// (workflows/parameters.h), the roles with what each may do (access.h), and the code
// dictionaries every page labels its codes with.
#include <algorithm>
#include <string>

#include "domain/household.h"
#include "domain/region.h"
#include "ingest/feed_layout.h"
#include "server/api_internal.h"
#include "server/views.h"
#include "storage/parameter_repository.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"
#include "workflows/parameters.h"

namespace getihu::server {
namespace {

void ListParameters(Call& c) {
  storage::ParameterRepository repo(c.db);
  base::Result<std::map<std::string, storage::StoredParameter>> stored = repo.All();
  if (!stored.ok()) return ReplyError(c.res, stored.status());
  Json items = Json::array();
  for (const workflows::ParameterSpec& p : workflows::ParameterCatalogue()) {
    base::Result<int64_t> value = workflows::ReadParameter(c.db, p.name);
    if (!value.ok()) return ReplyError(c.res, value.status());
    Json j = {{"name", p.name},        {"label", p.label},
              {"unit", p.unit},        {"description", p.description},
              {"value", *value},       {"default", p.default_value},
              {"min", p.min},          {"max", p.max},
              {"updated_by", nullptr}, {"updated_at", nullptr}};
    if (auto it = stored->find(std::string(p.name)); it != stored->end()) {
      j["updated_by"] = it->second.updated_by;
      j["updated_at"] = it->second.updated_at;
    }
    items.push_back(std::move(j));
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

void SetParameter(Call& c) {
  std::string name = c.req.Param("name");
  const workflows::ParameterSpec* spec = workflows::FindParameter(name);
  if (spec == nullptr) return ReplyError(c.res, 404, "not_found", "没有该参数");
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  auto it = body->find("value");
  if (it == body->end() || !(it->is_number_integer() || it->is_string())) {
    return ReplyError(c.res, 400, "invalid_argument", "缺少字段 value（整数）");
  }
  std::string value = it->is_string() ? it->get<std::string>() : std::to_string(it->get<int64_t>());
  base::Result<int64_t> before = workflows::ReadParameter(c.db, name);
  if (!before.ok()) return ReplyError(c.res, before.status());
  int64_t after = 0;
  auto set = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(workflows::WriteParameter(c.db, name, value, c.who.username,
                                                     storage::CstTimestamp(c.ctx.Now())));
    GETIHU_ASSIGN_OR_RETURN(after, workflows::ReadParameter(c.db, name));
    return Audit(c, "parameter.set", "parameter:" + name, Json{{"from", *before}, {"to", after}});
  };
  if (auto s = storage::RunInTransaction(c.db, set); !s.ok()) return ReplyError(c.res, s);
  ReplyJson(c.res, {{"name", name}, {"value", after}});
}

void ListRoles(Call& c) {
  Json roles = Json::array();
  for (std::string_view role : AllRoles()) {
    Principal probe;
    probe.role = std::string(role);
    Json permissions = Json::array();
    for (const PermissionInfo& p : AllPermissions()) {
      if (Has(probe, p.permission)) permissions.push_back({{"code", p.code}, {"label", p.label}});
    }
    roles.push_back(
        {{"role", role}, {"name", RoleName(role)}, {"permissions", std::move(permissions)}});
  }
  Json all = Json::array();
  for (const PermissionInfo& p : AllPermissions()) {
    all.push_back({{"code", p.code}, {"label", p.label}});
  }
  ReplyJson(c.res, {{"roles", std::move(roles)}, {"permissions", std::move(all)}});
}

void Dictionaries(Call& c) {
  Json tiers = Json::array();
  for (int outcome = 0; outcome <= 3; ++outcome) {
    tiers.push_back({{"code", outcome}, {"name", OutcomeName(outcome)}});
  }
  Json statuses = Json::array();
  for (const auto& e : domain::kHouseholdStatuses) {
    statuses.push_back({{"code", e.code}, {"name", e.name}});
  }
  Json feeds = Json::array();
  for (const ingest::FeedLayout& f : ingest::AllFeeds()) {
    feeds.push_back({{"code", f.name}, {"name", f.title}, {"department", f.department}});
  }
  Json roles = Json::array();
  for (std::string_view role : AllRoles()) {
    roles.push_back({{"code", role}, {"name", RoleName(role)}});
  }
  ReplyJson(c.res, {{"tiers", std::move(tiers)},
                    {"household_statuses", std::move(statuses)},
                    {"feeds", std::move(feeds)},
                    {"roles", std::move(roles)}});
}

Json RegionJson(const domain::Region& r) {
  bool leaf = r.level == domain::RegionLevel::kTownship ||
              domain::RegionTable::Builtin().Children(r.code).empty();
  return {{"code", r.code}, {"name", r.name}, {"leaf", leaf}};
}

// The region tree of list pages, one level at a time: without `parent`, the root of the
// caller's scope (the provinces for a national scope); with it, its direct children. Only
// regions inside the scope are listed.
void Regions(Call& c) {
  if (c.who.role == "owner") return ReplyError(c.res, 403, "forbidden", "经营者无需区划列表");
  const domain::RegionTable& table = domain::RegionTable::Builtin();
  std::string parent = c.req.Query("parent");
  Json items = Json::array();
  if (parent.empty()) {
    if (c.who.region_prefix.empty()) {
      for (const domain::Region* r : table.Children("")) items.push_back(RegionJson(*r));
    } else if (const domain::Region* r = table.Find(c.who.region_prefix)) {
      items.push_back(RegionJson(*r));
    }
    return ReplyJson(c.res, {{"items", std::move(items)}});
  }
  bool digits = parent.size() <= 9 && std::all_of(parent.begin(), parent.end(),
                                                  [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!digits) return ReplyError(c.res, 400, "invalid_argument", "parent 应为区划代码");
  // Inside the scope, or an ancestor of it whose children are filtered below.
  bool inside = parent.starts_with(c.who.region_prefix);
  if (!inside && !c.who.region_prefix.starts_with(parent)) {
    return ReplyError(c.res, 403, "forbidden", "区划 " + parent + " 不在您的管辖区域内");
  }
  for (const domain::Region* r : table.Children(parent)) {
    if (r->code.starts_with(c.who.region_prefix) || c.who.region_prefix.starts_with(r->code)) {
      items.push_back(RegionJson(*r));
    }
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

}  // namespace

void AddSettingsRoutes(ApiContext& ctx) {
  Router& r = ctx.router;
  r.Add("GET", "/api/v1/parameters", Guarded(ctx, Permission::kAdmin, ListParameters));
  r.Add("PUT", "/api/v1/parameters/{name}", Guarded(ctx, Permission::kAdmin, SetParameter));
  r.Add("GET", "/api/v1/roles", Guarded(ctx, Permission::kAdmin, ListRoles));
  r.Add("GET", "/api/v1/regions", Guarded(ctx, Permission::kSignedIn, Regions));
  r.Add("GET", "/api/v1/dictionaries", Guarded(ctx, Permission::kSignedIn, Dictionaries));
}

}  // namespace getihu::server
