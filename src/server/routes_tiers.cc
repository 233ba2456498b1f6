// Tier-run routes: list and read runs inside the caller's region, start a run (a background
// job), explain one household's result clause by clause (owners: their own), simulate new
// thresholds against a run, compare two runs, and the review round — objections and
// decisions, each audited.
#include <atomic>
#include <filesystem>
#include <string>

#include "rules/builtin_rule_sets.h"
#include "rules/profile_fields.h"
#include "server/api_internal.h"
#include "server/tier_export.h"
#include "server/tier_json.h"
#include "server/views.h"
#include "storage/household_repository.h"
#include "storage/notification_repository.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"
#include "workflows/notifications.h"
#include "workflows/parameters.h"
#include "workflows/tier_run.h"

namespace getihu::server {
namespace {

base::Result<int64_t> PathId(const HttpRequest& req, std::string_view name) {
  std::string text = req.Param(name);
  if (text.empty() || text.size() > 15 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return base::InvalidArgument(std::string(name) + " 应为正整数");
  }
  return std::stoll(text);
}

// The run, when it exists and lies inside the caller's region; replies otherwise.
std::optional<storage::TierRunRecord> VisibleRun(Call& c, std::string_view param) {
  base::Result<int64_t> id = PathId(c.req, param);
  if (!id.ok()) {
    ReplyError(c.res, id.status());
    return std::nullopt;
  }
  storage::TierRepository repo(c.db);
  base::Result<std::optional<storage::TierRunRecord>> run = repo.GetRun(*id);
  if (!run.ok()) {
    ReplyError(c.res, run.status());
    return std::nullopt;
  }
  if (!run->has_value() || !(*run)->region_prefix.starts_with(c.who.region_prefix)) {
    ReplyError(c.res, 404, "not_found",
               "在您的管辖区域内没有编号为 " + std::to_string(*id) + " 的分型批次");
    return std::nullopt;
  }
  return std::move(**run);
}

// A rule set from the request: inline TOML text, or a built-in name (default when neither).
struct RequestRules {
  rules::RuleSet set;
  std::string text;
};
base::Result<RequestRules> RulesFromBody(const Json& body) {
  GETIHU_ASSIGN_OR_RETURN(std::string text, StringField(body, "rules_text", false));
  GETIHU_ASSIGN_OR_RETURN(std::string name, StringField(body, "rules", false));
  RequestRules out;
  if (!text.empty()) {
    out.text = std::move(text);
    GETIHU_ASSIGN_OR_RETURN(out.set,
                            rules::ParseRuleSet(out.text, "提交的规则集", rules::ProfileFields()));
    return out;
  }
  if (name.empty()) name = std::string(rules::kDefaultTiering);
  std::string_view builtin = rules::BuiltinRuleSetText(name);
  if (builtin.empty()) return base::NotFound("没有名为“" + name + "”的内置规则集");
  out.text = std::string(builtin);
  GETIHU_ASSIGN_OR_RETURN(out.set,
                          rules::ParseRuleSet(out.text, name + ".toml", rules::ProfileFields()));
  return out;
}

void ListRuns(Call& c) {
  storage::TierRepository repo(c.db);
  base::Result<std::vector<storage::TierRunRecord>> runs = repo.ListRuns();
  if (!runs.ok()) return ReplyError(c.res, runs.status());
  Json items = Json::array();
  for (const storage::TierRunRecord& r : *runs) {
    if (r.region_prefix.starts_with(c.who.region_prefix)) items.push_back(RunJson(r));
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

void GetRun(Call& c) {
  std::optional<storage::TierRunRecord> run = VisibleRun(c, "id");
  if (!run) return;
  storage::TierRepository repo(c.db);
  base::Result<std::vector<storage::TierReasonCount>> reasons = repo.ReasonCounts(run->id);
  if (!reasons.ok()) return ReplyError(c.res, reasons.status());
  Json j = RunJson(*run);
  base::Result<rules::RuleSet> set = workflows::RuleSetOfRun(*run);
  j["reasons"] = ReasonCountsJson(*reasons, set.ok() ? &*set : nullptr);
  if (set.ok()) j["params"] = ParamsJson(*set);
  if (c.req.Query("rules_text") == "1") j["rules_text"] = run->rule_set_text;
  ReplyJson(c.res, j);
}

void StartRun(Call& c) {
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  base::Result<std::string> as_of_text = StringField(*body, "as_of", true);
  if (!as_of_text.ok()) return ReplyError(c.res, as_of_text.status());
  base::Result<base::Date> as_of = base::Date::Parse(*as_of_text);
  if (!as_of.ok()) return ReplyError(c.res, 400, "invalid_argument", "as_of 应为 YYYY-MM-DD 日期");
  base::Result<std::string> region_text = StringField(*body, "region", false);
  if (!region_text.ok()) return ReplyError(c.res, region_text.status());
  base::Result<std::string> region = ScopedRegion(c.who, *region_text);
  if (!region.ok()) return ReplyError(c.res, region.status());
  base::Result<RequestRules> loaded = RulesFromBody(*body);
  if (!loaded.ok()) return ReplyError(c.res, loaded.status());
  base::Result<std::string> note = StringField(*body, "note", false);
  if (!note.ok()) return ReplyError(c.res, note.status());
  workflows::TierRunOptions options;
  options.as_of = *as_of;
  options.region_prefix = *region;
  options.created_by = c.who.username;
  options.note = *note;
  options.threads = c.ctx.options.job_threads;
  if (auto it = body->find("review_of"); it != body->end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return ReplyError(c.res, 400, "invalid_argument", "review_of 应为分型批次编号");
    }
    options.review_of = it->get<int64_t>();
  }
  Json detail = {{"as_of", as_of->ToString()},
                 {"region", *region},
                 {"rule_set", loaded->set.name},
                 {"sha256", loaded->set.sha256}};
  if (auto s = Audit(c, "tier.run.start", "region:" + *region, detail); !s.ok()) {
    return ReplyError(c.res, s);
  }
  ApiContext& ctx = c.ctx;
  std::string actor = c.who.username;
  std::string addr = c.req.remote_addr;
  auto rules = std::make_shared<RequestRules>(std::move(*loaded));
  Job job;
  job.kind = "tier_run";
  job.created_by = c.who.username;
  job.owner_user_id = c.who.user_id;
  job.region_prefix = *region;
  Job submitted = ctx.jobs.Submit(
      job,
      [&ctx, rules, options, actor, addr](const auto& report) -> base::Result<Json> {
        report("正在读取画像并判定");
        GETIHU_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, ctx.pool.Acquire(60'000));
        workflows::TierRunOptions run = options;
        // On PostgreSQL the pool is read on a second connection while the results are written
        // (the run's writes lock only its own new rows). Not on SQLite: a pipelined run holds
        // the file's write lock from start to end, and every audited request would wait for it.
        if (lease.db().dialect() == storage::Dialect::kPostgres) {
          run.open_reader = ctx.options.open_database;
        }
        GETIHU_ASSIGN_OR_RETURN(workflows::TierRunReport r,
                                workflows::RunTiering(lease.db(), rules->set, rules->text, run));
        GETIHU_RETURN_IF_ERROR(Audit(lease.db(), ctx, actor, addr, "tier.run",
                                     "run:" + std::to_string(r.run.id),
                                     Json{{"households", r.run.households}}));
        Json out = RunJson(r.run);
        out["reasons"] = ReasonCountsJson(r.reasons, &rules->set);
        out["overrides_applied"] = r.overrides_applied;
        out["frame_seconds"] = r.frame_seconds;
        out["evaluate_seconds"] = r.evaluate_seconds;
        out["persist_seconds"] = r.persist_seconds;
        return out;
      },
      ctx.Now());
  ReplyJson(c.res, {{"job", submitted.id}, {"state", submitted.state}}, 202);
}

void Explain(Call& c) {
  std::string uscc = c.req.Param("uscc");
  std::optional<domain::Household> h = VisibleHousehold(c, uscc);
  if (!h) return;
  std::optional<int64_t> run;
  if (std::string r = c.req.Query("run"); !r.empty()) {
    if (r.size() > 15 || r.find_first_not_of("0123456789") != std::string::npos) {
      return ReplyError(c.res, 400, "invalid_argument", "run 应为分型批次编号");
    }
    run = std::stoll(r);
  }
  base::Result<workflows::HouseholdExplanation> e = workflows::ExplainHousehold(c.db, uscc, run);
  if (!e.ok()) return ReplyError(c.res, e.status());
  // The household is visible; a run wider than the caller's region still explains it.
  ReplyJson(c.res, ExplanationJson(*e));
}

void SimulateRun(Call& c) {
  std::optional<storage::TierRunRecord> run = VisibleRun(c, "id");
  if (!run) return;
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  std::optional<RequestRules> custom;
  if (body->contains("rules_text") || body->contains("rules")) {
    base::Result<RequestRules> loaded = RulesFromBody(*body);
    if (!loaded.ok()) return ReplyError(c.res, loaded.status());
    custom = std::move(*loaded);
  }
  std::optional<rules::RuleSet> own;
  if (!custom) {
    base::Result<rules::RuleSet> s = workflows::RuleSetOfRun(*run);
    if (!s.ok()) return ReplyError(c.res, s.status());
    own = std::move(*s);
  }
  const rules::RuleSet& set = custom ? custom->set : *own;
  base::Result<engine::Params> what_if =
      ParseWhatIf(set, body->contains("set") ? (*body)["set"] : Json());
  if (!what_if.ok()) return ReplyError(c.res, what_if.status());
  bool movers = body->value("movers", false);
  base::Result<workflows::SimulationReport> r =
      workflows::Simulate(c.db, run->id, &set, *what_if, movers);
  if (!r.ok()) return ReplyError(c.res, r.status());
  Json j = SimulationJson(*r, movers);
  if (movers && j["movers"].size() > 10'000) {
    j["movers_truncated"] = true;
    Json first = Json::array();
    for (size_t i = 0; i < 10'000; ++i) first.push_back(j["movers"][i]);
    j["movers"] = std::move(first);
  }
  ReplyJson(c.res, j);
}

void Diff(Call& c) {
  std::optional<storage::TierRunRecord> a = VisibleRun(c, "id");
  if (!a) return;
  std::optional<storage::TierRunRecord> b = VisibleRun(c, "other");
  if (!b) return;
  base::Result<workflows::RunDiff> d = workflows::DiffRuns(c.db, a->id, b->id);
  if (!d.ok()) return ReplyError(c.res, d.status());
  ReplyJson(c.res, DiffJson(*d));
}

struct HouseholdKeys {
  std::string uscc;  // "" when the household is gone
  std::string region;
  std::string township;
};

// USCC, region and township of a stored household id.
HouseholdKeys HouseholdKey(storage::Database& db, int64_t id) {
  auto stmt = db.Prepare("SELECT uscc, region_code, township_code FROM households WHERE id = ?");
  if (!stmt.ok() || !(*stmt)->BindInt(1, id).ok()) return {};
  base::Result<bool> row = (*stmt)->Step();
  if (!row.ok() || !*row) return {};
  return {(*stmt)->ColumnText(0), (*stmt)->ColumnText(1), (*stmt)->ColumnText(2)};
}

void ListObjections(Call& c) {
  int64_t run = 0;
  if (std::string r = c.req.Query("run"); !r.empty()) {
    if (r.size() > 15 || r.find_first_not_of("0123456789") != std::string::npos) {
      return ReplyError(c.res, 400, "invalid_argument", "run 应为分型批次编号");
    }
    run = std::stoll(r);
  }
  std::optional<storage::ObjectionStatus> status;
  std::string st = c.req.Query("status");
  if (st == "open") status = storage::ObjectionStatus::kOpen;
  if (st == "accepted") status = storage::ObjectionStatus::kAccepted;
  if (st == "rejected") status = storage::ObjectionStatus::kRejected;
  if (!st.empty() && !status) {
    return ReplyError(c.res, 400, "invalid_argument", "status 只能是 open、accepted、rejected");
  }
  // The region tree's choice: a region inside the scope, or one of its townships.
  base::Result<std::string> region_filter = ScopedRegion(c.who, c.req.Query("region"));
  if (!region_filter.ok()) return ReplyError(c.res, region_filter.status());
  std::string township = c.req.Query("township");
  if (!township.empty() &&
      (township.size() != 9 || township.find_first_not_of("0123456789") != std::string::npos ||
       !township.starts_with(c.who.region_prefix))) {
    return ReplyError(c.res, 400, "invalid_argument", "township 应为管辖区域内 9 位乡镇街道代码");
  }
  storage::TierRepository repo(c.db);
  base::Result<std::vector<storage::Objection>> list = repo.ListObjections(run, status);
  if (!list.ok()) return ReplyError(c.res, list.status());
  Json items = Json::array();
  for (const storage::Objection& o : *list) {
    HouseholdKeys k = HouseholdKey(c.db, o.household_id);
    if (k.uscc.empty()) continue;
    if (c.who.role == "owner") {
      if (!c.who.household_uscc || *c.who.household_uscc != k.uscc) continue;
    } else if (!InScope(c.who, k.region) || !k.region.starts_with(*region_filter) ||
               (!township.empty() && k.township != township)) {
      continue;
    }
    items.push_back(ObjectionJson(o, k.uscc));
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

void FileObjection(Call& c) {
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  base::Result<std::string> uscc = StringField(*body, "uscc", true);
  base::Result<std::string> claim = StringField(*body, "claim", true);
  base::Result<std::string> want = StringField(*body, "want", false);
  for (const auto* f : {&uscc, &claim, &want}) {
    if (!f->ok()) return ReplyError(c.res, f->status());
  }
  if (claim->size() > 4000) {
    return ReplyError(c.res, 400, "invalid_argument", "异议内容不能超过 4000 字节");
  }
  std::optional<domain::Household> h = VisibleHousehold(c, *uscc);
  if (!h) return;
  storage::TierRepository repo(c.db);
  int64_t run_id = 0;
  if (auto it = body->find("run"); it != body->end() && it->is_number_integer()) {
    run_id = it->get<int64_t>();
  } else {
    base::Result<std::vector<storage::TierHistoryEntry>> history = repo.History(h->id);
    if (!history.ok()) return ReplyError(c.res, history.status());
    if (history->empty())
      return ReplyError(c.res, 409, "failed_precondition", "该户还没有分型结果");
    run_id = history->back().run_id;
  }
  // Objections are heard within the window (系统管理 → 参数设置) after the run was made.
  base::Result<std::optional<storage::TierRunRecord>> run = repo.GetRun(run_id);
  if (!run.ok()) return ReplyError(c.res, run.status());
  if (!run->has_value()) return ReplyError(c.res, 404, "not_found", "没有该分型批次");
  base::Result<int64_t> window = workflows::ReadParameter(c.db, workflows::kObjectionWindowDays);
  if (!window.ok()) return ReplyError(c.res, window.status());
  base::Result<base::Date> made = base::Date::Parse((*run)->created_at.substr(0, 10));
  if (made.ok() && c.ctx.options.clock->Today() > made->AddDays(static_cast<int32_t>(*window))) {
    return ReplyError(c.res, 409, "objection_window_closed",
                      "该批次分型结果的异议期（生成后 " + std::to_string(*window) + " 天）已于 " +
                          made->AddDays(static_cast<int32_t>(*window)).ToString() +
                          " 结束，不再受理异议");
  }
  storage::Objection o;
  o.run_id = run_id;
  o.household_id = h->id;
  o.filed_by = c.who.role == "owner" ? "经营者 " + c.who.username : c.who.username;
  o.claim = *claim;
  if (!want->empty()) {
    std::optional<int> w = OutcomeFromText(*want);
    if (!w || *w == 0) {
      return ReplyError(c.res, 400, "invalid_argument",
                        "want 只能是 development、growth、survival");
    }
    o.requested_outcome = *w;
  }
  auto file = [&]() -> base::Status {
    GETIHU_ASSIGN_OR_RETURN(int64_t id, repo.FileObjection(o));
    return Audit(c, "tier.objection.file", "household:" + *uscc,
                 Json{{"objection", id}, {"run", run_id}});
  };
  if (auto s = storage::RunInTransaction(c.db, file); !s.ok()) return ReplyError(c.res, s);
  ReplyJson(c.res, ObjectionJson(o, *uscc), 201);
}

void Decide(Call& c) {
  base::Result<int64_t> id = PathId(c.req, "id");
  if (!id.ok()) return ReplyError(c.res, id.status());
  std::optional<Json> body = ParseBody(c.req, c.res);
  if (!body) return;
  storage::TierRepository repo(c.db);
  base::Result<std::optional<storage::Objection>> o = repo.GetObjection(*id);
  if (!o.ok()) return ReplyError(c.res, o.status());
  HouseholdKeys keys = o->has_value() ? HouseholdKey(c.db, (*o)->household_id) : HouseholdKeys();
  const std::string& uscc = keys.uscc;
  if (!o->has_value() || uscc.empty() || !InScope(c.who, keys.region)) {
    return ReplyError(c.res, 404, "not_found", "在您的管辖区域内没有该异议");
  }
  base::Result<std::string> decision = StringField(*body, "decision", true);
  base::Result<std::string> reason = StringField(*body, "reason", true);
  base::Result<std::string> tier = StringField(*body, "tier", false);
  for (const auto* f : {&decision, &reason, &tier}) {
    if (!f->ok()) return ReplyError(c.res, f->status());
  }
  storage::DecisionKind kind;
  if (*decision == "override") {
    kind = storage::DecisionKind::kOverride;
  } else if (*decision == "data_correction") {
    kind = storage::DecisionKind::kDataCorrection;
  } else if (*decision == "reject") {
    kind = storage::DecisionKind::kReject;
  } else {
    return ReplyError(
        c.res, 400, "invalid_argument",
        "decision 只能是 override（改判）、data_correction（数据更正）、reject（驳回）");
  }
  std::optional<int> to;
  if (!tier->empty()) {
    to = OutcomeFromText(*tier);
    if (!to) return ReplyError(c.res, 400, "invalid_argument", "tier 无效：" + *tier);
  }
  std::optional<int64_t> batch;
  if (auto it = body->find("correction_batch"); it != body->end() && it->is_number_integer()) {
    batch = it->get<int64_t>();
  }
  // The owner learns the outcome in the portal's inbox; queued with the decision, sent once.
  storage::Notification note;
  note.channel = "in_app";
  note.kind = "objection.decided";
  note.household_uscc = uscc;
  note.subject = "分型异议处理结果";
  std::string outcome = kind == storage::DecisionKind::kReject ? "驳回（维持原分型结果）"
                        : kind == storage::DecisionKind::kOverride
                            ? "改判为" + std::string(OutcomeName(to.value_or(0)))
                            : "更正数据后重新认定";
  note.body = "您于 " + (*o)->filed_at.substr(0, 10) + " 提出的分型异议已处理：" + outcome +
              "。理由：" + *reason;
  note.dedupe_key = "objection:" + std::to_string(*id) + ":decided";
  storage::NotificationRepository outbox(c.db);
  auto decide = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(repo.DecideObjection(*id, kind, to, *reason, c.who.username, batch));
    GETIHU_RETURN_IF_ERROR(Audit(c, "tier.objection.decide", "objection:" + std::to_string(*id),
                                 Json{{"decision", *decision}, {"household", uscc}}));
    return outbox.Enqueue(note, storage::CstTimestamp(c.ctx.Now())).status();
  };
  if (auto s = storage::RunInTransaction(c.db, decide); !s.ok()) return ReplyError(c.res, s);
  // Delivery after the commit; what fails stays queued for the next round.
  (void)workflows::DispatchPending(c.db, *c.ctx.options.sms, *c.ctx.options.clock, 50);
  base::Result<std::optional<storage::Objection>> after = repo.GetObjection(*id);
  if (!after.ok() || !after->has_value()) return ReplyJson(c.res, {{"ok", true}});
  ReplyJson(c.res, ObjectionJson(**after, uscc));
}

void Export(Call& c) {
  std::optional<storage::TierRunRecord> run = VisibleRun(c, "id");
  if (!run) return;
  std::string format = c.req.Query("format");
  if (format.empty()) format = "national";
  if (format != "national" && format != "xlsx") {
    return ReplyError(c.res, 400, "invalid_argument", "format 只能是 national 或 xlsx");
  }
  static std::atomic<uint64_t> seq{0};
  std::string ext = format == "xlsx" ? ".xlsx" : ".csv";
  std::string out = c.ctx.options.work_dir + "/export-" + std::to_string(run->id) + "-" +
                    std::to_string(seq.fetch_add(1)) + ext;
  base::Result<int64_t> n = ExportTierRun(
      c.db, run->id, format == "xlsx" ? ExportLayout::kStaff : ExportLayout::kNational, out,
      *c.ctx.options.clock);
  if (!n.ok()) return ReplyError(c.res, n.status());
  if (auto s = Audit(c, "tier.export", "run:" + std::to_string(run->id),
                     Json{{"format", format}, {"households", *n}});
      !s.ok()) {
    std::error_code ec;
    std::filesystem::remove(out, ec);
    return ReplyError(c.res, s);
  }
  c.res.file = out;
  c.res.remove_file_after = true;
  c.res.content_type = format == "xlsx"
                           ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                           : "text/csv; charset=utf-8";
  c.res.SetHeader("Content-Disposition",
                  "attachment; filename*=UTF-8''tier-run-" + std::to_string(run->id) + ext);
}

void GetJob(Call& c) {
  base::Result<int64_t> id = PathId(c.req, "id");
  if (!id.ok()) return ReplyError(c.res, id.status());
  std::optional<Job> job = c.ctx.jobs.Get(*id);
  if (!job || (job->owner_user_id != c.who.user_id && c.who.role != "admin")) {
    return ReplyError(c.res, 404, "not_found", "没有该任务");
  }
  auto when = [](int64_t t) { return t > 0 ? Json(storage::CstTimestamp(t)) : Json(); };
  Json j = {{"id", job->id},
            {"kind", job->kind},
            {"state", job->state},
            {"progress", job->progress},
            {"created_by", job->created_by},
            {"created_at", when(job->created_at)},
            {"started_at", when(job->started_at)},
            {"finished_at", when(job->finished_at)}};
  if (job->state == "succeeded") j["result"] = job->result;
  if (job->state == "failed") j["error"] = job->error;
  ReplyJson(c.res, j);
}

}  // namespace

void AddTierRoutes(ApiContext& ctx) {
  Router& r = ctx.router;
  r.Add("GET", "/api/v1/tier-runs", Guarded(ctx, Permission::kTierRead, ListRuns));
  r.Add("POST", "/api/v1/tier-runs", Guarded(ctx, Permission::kTierManage, StartRun));
  r.Add("GET", "/api/v1/tier-runs/{id}", Guarded(ctx, Permission::kTierRead, GetRun),
        {.blocking = true});  // counts over the run's results
  r.Add("POST", "/api/v1/tier-runs/{id}/simulate",
        Guarded(ctx, Permission::kTierRead, SimulateRun));
  r.Add("GET", "/api/v1/tier-runs/{id}/diff/{other}", Guarded(ctx, Permission::kTierRead, Diff),
        {.blocking = true});
  r.Add("GET", "/api/v1/tier-runs/{id}/export", Guarded(ctx, Permission::kTierManage, Export),
        {.blocking = true});
  r.Add("GET", "/api/v1/households/{uscc}/explanation",
        Guarded(ctx, Permission::kSignedIn, Explain));
  r.Add("GET", "/api/v1/objections", Guarded(ctx, Permission::kObject, ListObjections));
  r.Add("POST", "/api/v1/objections", Guarded(ctx, Permission::kObject, FileObjection));
  r.Add("POST", "/api/v1/objections/{id}/decision", Guarded(ctx, Permission::kReview, Decide));
  r.Add("GET", "/api/v1/jobs/{id}", Guarded(ctx, Permission::kSignedIn, GetJob));
}

}  // namespace getihu::server
