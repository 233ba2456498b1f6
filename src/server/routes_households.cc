// Household routes: search within the caller's region (by USCC, name, township, industry,
// status, tier of a run), and the detail of one household — registered items masked unless
// the caller may and asks to unmask (audited), every record the pool holds by date, and the
// tier history. Owners reach only their own household.
#include <optional>
#include <string>

#include "server/api_internal.h"
#include "server/views.h"
#include "storage/household_query.h"
#include "storage/household_repository.h"
#include "storage/tier_repository.h"

namespace getihu::server {
namespace {

base::Result<int64_t> ParseId(std::string_view text, std::string_view what) {
  if (text.empty()) return int64_t{0};
  int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || v > (int64_t{1} << 50)) {
      return base::InvalidArgument(std::string(what) + " 应为正整数");
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

// The newest run whose region covers the caller's scope, if any.
base::Result<std::optional<int64_t>> LatestRunId(storage::Database& db) {
  return db.QueryInt("SELECT max(id) FROM tier_runs");
}

void Search(Call& c) {
  storage::HouseholdFilter f;
  base::Result<std::string> region = ScopedRegion(c.who, c.req.Query("region"));
  if (!region.ok()) return ReplyError(c.res, region.status());
  f.region_prefix = *region;
  f.township_code = c.req.Query("township");
  if (!f.township_code.empty() &&
      (f.township_code.size() != 9 || !f.township_code.starts_with(f.region_prefix.substr(
                                          0, std::min<size_t>(6, f.region_prefix.size()))))) {
    return ReplyError(c.res, 400, "invalid_argument", "乡镇（街道）代码应为本辖区内的 9 位代码");
  }
  f.industry_prefix = c.req.Query("industry");
  if (f.industry_prefix.size() > 4 ||
      f.industry_prefix.find_first_not_of("0123456789") != std::string::npos) {
    return ReplyError(c.res, 400, "invalid_argument", "行业代码应为 2–4 位数字");
  }
  f.status = c.req.Query("status");
  if (!f.status.empty() && !domain::ParseHouseholdStatusCode(f.status)) {
    return ReplyError(c.res, 400, "invalid_argument",
                      "status 只能是 active、suspended、deregistered、revoked、converted");
  }
  f.text = c.req.Query("q");
  if (f.text.size() > 100) return ReplyError(c.res, 400, "invalid_argument", "查询文字过长");
  base::Result<int64_t> after = ParseId(c.req.Query("cursor"), "cursor");
  if (!after.ok()) return ReplyError(c.res, after.status());
  f.after_id = *after;
  base::Result<int> limit = PageLimit(c.req, 50, 500);
  if (!limit.ok()) return ReplyError(c.res, limit.status());
  f.limit = *limit + 1;  // one more tells whether there is a next page
  base::Result<int64_t> run = ParseId(c.req.Query("run"), "run");
  if (!run.ok()) return ReplyError(c.res, run.status());
  if (*run > 0) {
    f.run_id = *run;
  } else {
    base::Result<std::optional<int64_t>> latest = LatestRunId(c.db);
    if (!latest.ok()) return ReplyError(c.res, latest.status());
    f.run_id = *latest;
  }
  if (std::string tier = c.req.Query("tier"); !tier.empty()) {
    std::optional<int> o = OutcomeFromText(tier);
    if (!o) {
      return ReplyError(c.res, 400, "invalid_argument",
                        "tier 只能是 development、growth、survival、untyped");
    }
    if (!f.run_id) return ReplyError(c.res, 409, "failed_precondition", "还没有分型批次");
    f.outcome = *o;
  }
  base::Result<std::vector<storage::HouseholdRow>> rows = storage::SearchHouseholds(c.db, f);
  if (!rows.ok()) return ReplyError(c.res, rows.status());
  Json items = Json::array();
  Json next = nullptr;
  for (size_t i = 0; i < rows->size(); ++i) {
    if (static_cast<int>(i) == *limit) {
      next = std::to_string((*rows)[i - 1].id);
      break;
    }
    items.push_back(HouseholdRowJson((*rows)[i]));
  }
  Json body = {{"items", std::move(items)}, {"next_cursor", next}};
  if (f.run_id) body["run"] = *f.run_id;
  ReplyJson(c.res, body);
}

}  // namespace

std::optional<domain::Household> VisibleHousehold(Call& c, const std::string& uscc) {
  if (uscc.size() != 18) {
    ReplyError(c.res, 400, "invalid_argument", "统一社会信用代码应为 18 位");
    return std::nullopt;
  }
  storage::HouseholdRepository repo(c.db);
  base::Result<std::optional<domain::Household>> h = repo.FindHousehold(uscc);
  if (!h.ok()) {
    ReplyError(c.res, h.status());
    return std::nullopt;
  }
  // Outside the scope and unknown give the same answer, so nobody learns what exists elsewhere.
  bool staff = Has(c.who, Permission::kHouseholds) || Has(c.who, Permission::kTierRead);
  base::Status access = CheckHousehold(c.who, uscc, h->has_value() ? (*h)->region_code : "");
  if (staff && (!h->has_value() || !access.ok())) {
    ReplyError(c.res, 404, "not_found", "在您的管辖区域内没有找到该个体工商户：" + uscc);
    return std::nullopt;
  }
  if (!access.ok()) {
    ReplyError(c.res, access);
    return std::nullopt;
  }
  if (!h->has_value()) {
    ReplyError(c.res, 404, "not_found", "没有找到该个体工商户：" + uscc);
    return std::nullopt;
  }
  return std::move(**h);
}

namespace {

base::Status BeginRead(Call& c, std::optional<storage::Transaction>& read) {
  GETIHU_ASSIGN_OR_RETURN(storage::Transaction t, storage::Transaction::BeginRead(c.db));
  read.emplace(std::move(t));
  return base::OkStatus();
}

void Detail(Call& c) {
  std::string uscc = c.req.Param("uscc");
  bool unmask = c.req.Query("unmask") == "1" || c.req.Query("unmask") == "true";
  // Owners see their own data in full; staff need the permission, and every look is audited.
  bool audited = unmask && c.who.role != "owner";
  // One snapshot for every read (on SQLite one read lock instead of one per query); an
  // audited look writes its audit record first and reads after it.
  std::optional<storage::Transaction> read;
  if (!audited) {
    if (base::Status s = BeginRead(c, read); !s.ok()) return ReplyError(c.res, s);
  }
  std::optional<domain::Household> h = VisibleHousehold(c, uscc);
  if (!h) return;
  if (audited) {
    if (!c.who.can_unmask) {
      (void)Audit(c, "household.unmask", "household:" + uscc, Json::object(), "denied");
      return ReplyError(c.res, 403, "forbidden", "您没有查看完整个人信息的权限");
    }
    if (auto s = Audit(c, "household.unmask", "household:" + uscc, Json::object()); !s.ok()) {
      return ReplyError(c.res, s);
    }
    if (base::Status s = BeginRead(c, read); !s.ok()) return ReplyError(c.res, s);
  }
  const Json body = HouseholdJson(*h, unmask || c.who.role == "owner");
  base::Result<std::vector<storage::RecordTable>> records = storage::HouseholdRecords(c.db, h->id);
  if (!records.ok()) return ReplyError(c.res, records.status());
  storage::TierRepository tiers(c.db);
  base::Result<std::vector<storage::TierHistoryEntry>> history = tiers.History(h->id);
  if (!history.ok()) return ReplyError(c.res, history.status());
  Json tier_history = Json::array();
  for (const storage::TierHistoryEntry& e : *history) {
    tier_history.push_back({{"run", e.run_id},
                            {"as_of", e.as_of.ToString()},
                            {"rule_set_version", e.rule_set_version},
                            {"tier", OutcomeKey(e.outcome)},
                            {"tier_name", OutcomeName(e.outcome)},
                            {"overridden", e.overridden}});
  }
  if (auto s = read->Commit(); !s.ok()) return ReplyError(c.res, s);
  // The household's members, then "records" written straight as text (AppendRecordTablesJson),
  // "tier" (the latest) and "tier_history".
  auto dump = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
  std::string out = dump(body);
  out.pop_back();  // the household object's closing brace
  out += ",\"records\":";
  AppendRecordTablesJson(out, *records);
  if (!history->empty()) out += ",\"tier\":" + dump(tier_history.back());
  out += ",\"tier_history\":" + dump(tier_history) + "}";
  ReplyJsonText(c.res, std::move(out));
}

}  // namespace

void AddHouseholdRoutes(ApiContext& ctx) {
  // A text search may scan the pool: off the event loops.
  ctx.router.Add("GET", "/api/v1/households", Guarded(ctx, Permission::kHouseholds, Search),
                 {.blocking = true});
  ctx.router.Add("GET", "/api/v1/households/{uscc}", Guarded(ctx, Permission::kSignedIn, Detail));
}

}  // namespace getihu::server
