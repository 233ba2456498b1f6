#include "cli/tier_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/text.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/tier_export.h"
#include "domain/industry.h"
#include "domain/region.h"
#include "engine/explain.h"
#include "rules/builtin_rule_sets.h"
#include "rules/profile_fields.h"
#include "rules/rule_set.h"
#include "server/tier_json.h"
#include "storage/audit_repository.h"
#include "storage/household_repository.h"
#include "storage/tier_repository.h"
#include "storage/transaction_retry.h"
#include "workflows/tier_run.h"

namespace getihu::cli {
namespace {

using server::ByStored;
using server::ExplanationJson;
using server::MatrixJson;
using server::MovesJson;
using server::RunJson;

using Json = nlohmann::ordered_json;

const char* kStoredNames[] = {"未分型", "生存型", "成长型", "发展型"};
const char* kStoredKeys[] = {"untyped", "survival", "growth", "development"};

std::string StoredName(int o) { return o >= 0 && o < 4 ? kStoredNames[o] : "?"; }
std::string StoredKey(int o) { return o >= 0 && o < 4 ? kStoredKeys[o] : "?"; }

std::optional<int> StoredFromKey(std::string_view key) {
  for (int i = 0; i < 4; ++i) {
    if (key == kStoredKeys[i] || key == kStoredNames[i]) return i;
  }
  return std::nullopt;
}

std::string Pct(int64_t n, int64_t total) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%",
                total ? 100.0 * static_cast<double>(n) / static_cast<double>(total) : 0.0);
  return buf;
}

// A rule set from --rules: a file path, or the name of a built-in set (default when empty).
struct LoadedRules {
  rules::RuleSet set;
  std::string text;
};
base::Result<LoadedRules> LoadRules(const std::string& spec) {
  LoadedRules out;
  std::string name = spec.empty() ? std::string(rules::kDefaultTiering) : spec;
  if (std::filesystem::exists(name)) {
    std::ifstream in(name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.text = ss.str();
    GETIHU_ASSIGN_OR_RETURN(
        out.set, rules::ParseRuleSet(out.text, std::filesystem::path(name).filename().string(),
                                     rules::ProfileFields()));
    return out;
  }
  std::string_view builtin = rules::BuiltinRuleSetText(name);
  if (builtin.empty()) {
    return base::NotFound("找不到规则集“" + name + "”：既不是文件，也不是内置规则集（内置：" +
                          std::string(rules::kDefaultTiering) + "）");
  }
  out.text = std::string(builtin);
  GETIHU_ASSIGN_OR_RETURN(out.set,
                          rules::ParseRuleSet(out.text, name + ".toml", rules::ProfileFields()));
  return out;
}

base::Result<std::string> RegionPrefix(const std::string& region) {
  if (region.empty()) return std::string();
  const domain::Region* r = domain::RegionTable::Builtin().Find(region);
  if (r == nullptr) return base::InvalidArgument("区划代码“" + region + "”不存在");
  std::string code = r->code.substr(0, std::min<size_t>(6, r->code.size()));
  // Province "500000" → "50", prefecture "500100" → "5001", county as is.
  while (code.size() > 2 && code.ends_with("00")) code.resize(code.size() - 2);
  return code;
}

void PrintWarnings(const rules::RuleSet& set) {
  for (const rules::RuleSetWarning& w : set.warnings) {
    std::fprintf(stderr, "规则集警告（第 %d 行）：%s\n", w.line, w.message.c_str());
  }
}

void PrintRunCounts(const storage::TierRunRecord& r, int64_t closed) {
  int64_t typed = r.development + r.growth + r.survival;
  int64_t stock = r.households - closed;
  std::printf("  参与判定 %lld 户：发展型 %lld（%s），成长型 %lld（%s），生存型 %lld（%s）\n",
              static_cast<long long>(typed), static_cast<long long>(r.development),
              Pct(r.development, typed).c_str(), static_cast<long long>(r.growth),
              Pct(r.growth, typed).c_str(), static_cast<long long>(r.survival),
              Pct(r.survival, typed).c_str());
  if (closed >= 0) {
    std::printf(
        "  在册（存续、歇业）%lld 户，参与判定占 %s；未分型 %lld 户（含已注销、吊销 %lld 户）\n",
        static_cast<long long>(stock), Pct(typed, stock).c_str(), static_cast<long long>(r.untyped),
        static_cast<long long>(closed));
  } else {
    std::printf("  未分型 %lld 户\n", static_cast<long long>(r.untyped));
  }
}

// ---- tier run ----

struct RunArgs {
  std::string as_of, rules, region, note, by = "system";
  int64_t review_of = 0;
};

int RunRun(const std::string& db_path, const RunArgs& a, bool json) {
  auto as_of = base::Date::Parse(a.as_of);
  if (!as_of.ok()) return ReportError(base::InvalidArgument("--as-of 日期无效：" + a.as_of), json);
  auto prefix = RegionPrefix(a.region);
  if (!prefix.ok()) return ReportError(prefix.status(), json);
  auto loaded = LoadRules(a.rules);
  if (!loaded.ok()) return ReportError(loaded.status(), json);
  if (!json) PrintWarnings(loaded->set);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  workflows::TierRunOptions options;
  options.as_of = *as_of;
  options.region_prefix = *prefix;
  options.created_by = a.by;
  options.note = a.note;
  if (a.review_of > 0) options.review_of = a.review_of;
  // The pool is read on a second connection while the results are written on this one.
  options.open_reader = [&db_path] { return OpenDatabase(db_path); };
  auto report = workflows::RunTiering(**db, loaded->set, loaded->text, options);
  if (!report.ok()) return ReportError(report.status(), json);
  const storage::TierRunRecord& r = report->run;
  if (json) {
    Json j = RunJson(r);
    j["reasons"] = Json::array();
    for (const auto& c : report->reasons) {
      j["reasons"].push_back(
          {{"outcome", StoredKey(c.outcome)}, {"reason", c.reason}, {"households", c.households}});
    }
    j["overrides_applied"] = report->overrides_applied;
    j["frame_bytes"] = report->frame_bytes;
    j["frame_seconds"] = report->frame_seconds;
    j["evaluate_seconds"] = report->evaluate_seconds;
    j["persist_seconds"] = report->persist_seconds;
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("分型批次 %lld：基准日 %s，规则集 %s %s（%s…），%s%lld 户\n",
              static_cast<long long>(r.id), r.as_of.ToString().c_str(), r.rule_set_name.c_str(),
              r.rule_set_version.c_str(), r.rule_set_sha256.substr(0, 12).c_str(),
              r.region_prefix.empty() ? "" : ("区划 " + r.region_prefix + " ").c_str(),
              static_cast<long long>(r.households));
  int64_t closed = 0;
  for (const auto& c : report->reasons) {
    if (c.reason == "DEREGISTERED") closed += c.households;
  }
  PrintRunCounts(r, closed);
  std::printf("  按原因：\n");
  for (const auto& c : report->reasons) {
    std::printf("    %-8s %-22s %lld\n", StoredName(c.outcome).c_str(), c.reason.c_str(),
                static_cast<long long>(c.households));
  }
  if (options.review_of) {
    std::printf("  复核：应用了批次 %lld 的 %lld 项改判\n",
                static_cast<long long>(*options.review_of),
                static_cast<long long>(report->overrides_applied));
  }
  std::printf("  用时：读取画像 %.2f 秒（%.1f MiB），判定 %.3f 秒，保存 %.2f 秒\n",
              report->frame_seconds, static_cast<double>(report->frame_bytes) / 1048576.0,
              report->evaluate_seconds, report->persist_seconds);
  return kExitOk;
}

int RunRuns(const std::string& db_path, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::TierRepository repo(**db);
  auto runs = repo.ListRuns();
  if (!runs.ok()) return ReportError(runs.status(), json);
  if (json) {
    Json out = Json::array();
    for (const auto& r : *runs) out.push_back(RunJson(r));
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  if (runs->empty()) std::printf("还没有分型批次；请运行 getihu tier run --as-of YYYY-07-01\n");
  for (const auto& r : *runs) {
    std::printf("批次 %lld  基准日 %s  %s %s  %s%lld 户  %s %s%s\n", static_cast<long long>(r.id),
                r.as_of.ToString().c_str(), r.rule_set_name.c_str(), r.rule_set_version.c_str(),
                r.region_prefix.empty() ? "" : ("区划 " + r.region_prefix + "  ").c_str(),
                static_cast<long long>(r.households), r.created_at.c_str(), r.created_by.c_str(),
                r.based_on_run
                    ? ("（复核批次 " + std::to_string(*r.based_on_run) + " 后重新判定）").c_str()
                    : "");
    auto reasons = repo.ReasonCounts(r.id);
    int64_t closed = reasons.ok() ? 0 : -1;
    if (reasons.ok()) {
      for (const auto& c : *reasons) {
        if (c.reason == "DEREGISTERED") closed += c.households;
      }
    }
    PrintRunCounts(r, closed);
  }
  return kExitOk;
}

// ---- tier explain ----

int RunExplain(const std::string& db_path, const std::string& uscc, int64_t run, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto h =
      workflows::ExplainHousehold(**db, uscc, run > 0 ? std::optional<int64_t>(run) : std::nullopt);
  if (!h.ok()) return ReportError(h.status(), json);
  if (json) {
    std::printf("%s\n", ExplanationJson(*h).dump(2).c_str());
    return kExitOk;
  }
  const engine::Explanation& e = h->explanation;
  std::printf("%s 在分型批次 %lld（基准日 %s）中：%s%s\n", uscc.c_str(),
              static_cast<long long>(h->run.id), h->run.as_of.ToString().c_str(),
              StoredName(h->stored.outcome).c_str(), h->stored.overridden ? "（复核改判）" : "");
  std::printf("%s\n", e.summary.c_str());
  if (!h->agrees) {
    std::printf("注意：按当前数据重新计算的结果（%s）与保存的结果不同，数据在判定后有更正。\n",
                std::string(rules::OutcomeName(e.outcome)).c_str());
  }
  std::printf("\n逐行判定：\n");
  for (const engine::RowTrace& r : e.rows) {
    bool exclusion = r.outcome == rules::Outcome::kUntyped;
    std::string result = exclusion && r.result == engine::Truth::kFalse
                             ? "不适用"
                             : std::string(engine::TruthName(r.result));
    std::printf("  第 %d 行 [%s] %s：%s%s\n", r.row + 1,
                std::string(rules::OutcomeName(r.outcome)).c_str(), r.label.c_str(), result.c_str(),
                r.hit ? "  ← 命中" : "");
    if (exclusion && !r.hit) continue;  // eligibility rows that do not apply: one line each
    for (const engine::ClauseTrace& c : r.clauses) {
      for (const engine::ComparisonTrace& t : c.comparisons) {
        std::printf("      %s %s：%s",
                    t.result == engine::Truth::kTrue    ? "✓"
                    : t.result == engine::Truth::kFalse ? "✗"
                                                        : "?",
                    t.text.c_str(), t.value.c_str());
        if (!t.threshold.empty() && t.threshold != t.value)
          std::printf("（要求 %s）", t.threshold.c_str());
        if (!t.gap.empty()) std::printf("，%s", t.gap.c_str());
        std::printf("\n");
      }
    }
  }
  if (!e.missing.empty()) {
    std::string m;
    for (const std::string& s : e.missing) m += (m.empty() ? "" : "、") + s;
    std::printf("缺少的数据：%s\n", m.c_str());
  }
  return kExitOk;
}

// ---- tier diff / simulate ----

void PrintMatrix(const std::array<std::array<int64_t, 4>, 4>& m, const char* from, const char* to) {
  std::printf("  %s＼%s      发展型      成长型      生存型      未分型\n", from, to);
  for (int a : {3, 2, 1, 0}) {
    std::printf("  %-10s", StoredName(a).c_str());
    for (int b : {3, 2, 1, 0}) {
      std::printf("%12lld",
                  static_cast<long long>(m[static_cast<size_t>(a)][static_cast<size_t>(b)]));
    }
    std::printf("\n");
  }
}

// The Chinese name of a region, township or industry-section code ("" when unknown).
std::string CodeName(const std::string& code) {
  if (code.size() == 1) {
    const domain::IndustrySection* s = domain::FindSection(code[0]);
    return s ? std::string(s->name) : "";
  }
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  return r ? r->name : "";
}

void PrintMoves(const char* title, const std::map<std::string, engine::MoveCounts>& m,
                size_t limit) {
  if (m.empty()) return;
  std::vector<std::pair<std::string, engine::MoveCounts>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) {
    return x.second.up + x.second.down > y.second.up + y.second.down;
  });
  std::printf("%s（变动最多的 %zu 个）：\n", title, std::min(limit, v.size()));
  for (size_t i = 0; i < v.size() && i < limit; ++i) {
    std::printf("  %s %s 上调 %lld，下调 %lld\n", base::PadRight(v[i].first, 10).c_str(),
                base::PadRight(CodeName(v[i].first), 26).c_str(),
                static_cast<long long>(v[i].second.up), static_cast<long long>(v[i].second.down));
  }
}

int RunDiff(const std::string& db_path, int64_t a, int64_t b, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto d = workflows::DiffRuns(**db, a, b);
  if (!d.ok()) return ReportError(d.status(), json);
  if (json) {
    Json j = {{"a", a}, {"b", b}, {"only_in_a", d->only_in_a}, {"only_in_b", d->only_in_b}};
    j["transitions"] = MatrixJson(d->matrix);
    j["by_region"] = MovesJson(d->by_region);
    j["by_section"] = MovesJson(d->by_section);
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("分型批次 %lld（%s）→ %lld（%s）的变化：\n", static_cast<long long>(a),
              d->a.as_of.ToString().c_str(), static_cast<long long>(b),
              d->b.as_of.ToString().c_str());
  PrintMatrix(d->matrix, "原", "新");
  std::printf("  仅在批次 %lld 中：%lld 户；仅在批次 %lld 中：%lld 户\n", static_cast<long long>(a),
              static_cast<long long>(d->only_in_a), static_cast<long long>(b),
              static_cast<long long>(d->only_in_b));
  PrintMoves("按区县", d->by_region, 20);
  PrintMoves("按行业门类", d->by_section, 20);
  return kExitOk;
}

struct SimulateArgs {
  int64_t against = 0;
  std::vector<std::string> sets;
  std::string rules;
  bool list = false;
};

int RunSimulate(const std::string& db_path, const SimulateArgs& a, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  std::optional<LoadedRules> loaded;
  if (!a.rules.empty()) {
    auto l = LoadRules(a.rules);
    if (!l.ok()) return ReportError(l.status(), json);
    loaded = std::move(*l);
  }
  // Parameter types come from the rule set that will be evaluated.
  storage::TierRepository repo(**db);
  auto run = repo.GetRun(a.against);
  if (!run.ok()) return ReportError(run.status(), json);
  if (!*run)
    return ReportError(base::NotFound("没有编号为 " + std::to_string(a.against) + " 的分型批次"),
                       json);
  std::optional<rules::RuleSet> own;
  if (!loaded) {
    auto s = workflows::RuleSetOfRun(**run);
    if (!s.ok()) return ReportError(s.status(), json);
    own = std::move(*s);
  }
  const rules::RuleSet& set = loaded ? loaded->set : *own;
  engine::Params what_if;
  for (const std::string& kv : a.sets) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) {
      return ReportError(
          base::InvalidArgument("--set 需要写成 参数名=值，例如 growth_revenue_min=¥80000"), json);
    }
    std::string name = kv.substr(0, eq);
    if (name.starts_with("params.")) name = name.substr(7);
    const rules::ParamDef* p = set.FindParam(name);
    if (!p) return ReportError(base::InvalidArgument("规则集没有参数“" + name + "”"), json);
    auto v = rules::ParseParamValue(p->type, kv.substr(eq + 1));
    if (!v.ok())
      return ReportError(base::InvalidArgument("参数“" + name + "”：" + v.status().message()),
                         json);
    what_if[name] = *v;
  }
  auto r = workflows::Simulate(**db, a.against, &set, what_if, a.list);
  if (!r.ok()) return ReportError(r.status(), json);
  auto m = ByStored(r->transitions.matrix);
  if (json) {
    Json j = {{"against", a.against},
              {"moved", r->transitions.moved},
              {"evaluate_seconds", r->evaluate_seconds}};
    j["set"] = Json::object();
    for (const auto& [k, v] : what_if) j["set"][k] = rules::FormatParamValue(v);
    j["transitions"] = MatrixJson(m);
    j["by_township"] = MovesJson(r->by_township);
    j["by_section"] = MovesJson(r->by_section);
    if (a.list) {
      j["movers"] = Json::array();
      for (const auto& mv : r->movers) {
        j["movers"].push_back({{"uscc", mv.uscc},
                               {"from", StoredKey(mv.from)},
                               {"to", StoredKey(mv.to)},
                               {"township", mv.township},
                               {"industry", mv.industry}});
      }
    }
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("模拟：以分型批次 %lld（基准日 %s）为基准，", static_cast<long long>(a.against),
              r->baseline.as_of.ToString().c_str());
  for (const auto& [k, v] : what_if) {
    const rules::ParamDef* p = set.FindParam(k);
    std::printf("%s（%s）改为 %s；", p && !p->label.empty() ? p->label.c_str() : k.c_str(),
                k.c_str(), rules::FormatParamValue(v).c_str());
  }
  std::printf("\n  共 %lld 户类型发生变化（判定用时 %.3f 秒）\n",
              static_cast<long long>(r->transitions.moved), r->evaluate_seconds);
  PrintMatrix(m, "原", "新");
  PrintMoves("按乡镇（街道）", r->by_township, 15);
  PrintMoves("按行业门类", r->by_section, 20);
  if (a.list) {
    std::printf("变化的户：\n");
    for (const auto& mv : r->movers) {
      std::printf("  %s  %s → %s  %s  %s\n", mv.uscc.c_str(), StoredName(mv.from).c_str(),
                  StoredName(mv.to).c_str(), mv.township.c_str(), mv.industry.c_str());
    }
  }
  return kExitOk;
}

// ---- review round ----

struct ObjectArgs {
  int64_t run = 0;
  std::string uscc, claim, want, by;
};

int RunObject(const std::string& db_path, const ObjectArgs& a, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::HouseholdRepository households(**db);
  auto id = households.FindHouseholdId(a.uscc);
  if (!id.ok()) return ReportError(id.status(), json);
  if (!*id)
    return ReportError(base::NotFound("没有统一社会信用代码为 " + a.uscc + " 的个体工商户"), json);
  storage::TierRepository repo(**db);
  auto result = repo.GetResult(a.run, **id);
  if (!result.ok()) return ReportError(result.status(), json);
  if (!*result)
    return ReportError(base::NotFound("分型批次 " + std::to_string(a.run) + " 中没有该户"), json);
  if (a.claim.empty()) return ReportError(base::InvalidArgument("请用 --claim 写明异议内容"), json);
  storage::Objection o;
  o.run_id = a.run;
  o.household_id = **id;
  o.filed_by = a.by;
  o.claim = a.claim;
  if (!a.want.empty()) {
    auto w = StoredFromKey(a.want);
    if (!w)
      return ReportError(
          base::InvalidArgument(
              "--want 只能是 development、growth、survival 或 发展型、成长型、生存型"),
          json);
    o.requested_outcome = *w;
  }
  auto file = [&]() -> base::Result<int64_t> {
    GETIHU_ASSIGN_OR_RETURN(int64_t id, repo.FileObjection(o));
    storage::AuditEvent ev{
        0,
        "",
        a.by,
        "tier.objection.file",
        "household:" + a.uscc,
        "{\"objection\":" + std::to_string(id) + ",\"run\":" + std::to_string(a.run) + "}"};
    GETIHU_RETURN_IF_ERROR(storage::AuditRepository(**db, base::SystemClock()).Append(ev));
    return id;
  };
  base::Result<int64_t> oid = storage::RunInTransaction(**db, file);
  if (!oid.ok()) return ReportError(oid.status(), json);
  if (json) {
    std::printf("%s\n", Json({{"objection", *oid}}).dump().c_str());
  } else {
    std::printf("已登记异议 %lld：%s 对分型批次 %lld 的结果（%s）提出异议\n",
                static_cast<long long>(*oid), a.uscc.c_str(), static_cast<long long>(a.run),
                StoredName((*result)->outcome).c_str());
  }
  return kExitOk;
}

struct DecideArgs {
  int64_t objection = 0;
  std::string override_to, reason, reviewer;
  int64_t correction_batch = 0;
  bool reject = false;
};

int RunDecide(const std::string& db_path, const DecideArgs& a, bool json) {
  int kinds = (!a.override_to.empty()) + (a.correction_batch > 0) + a.reject;
  if (kinds != 1) {
    return ReportError(
        base::InvalidArgument("请在 --override、--correction-batch、--reject 中选择且只选择一项"),
        json);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::TierRepository repo(**db);
  storage::DecisionKind kind = a.reject                 ? storage::DecisionKind::kReject
                               : a.correction_batch > 0 ? storage::DecisionKind::kDataCorrection
                                                        : storage::DecisionKind::kOverride;
  std::optional<int> to;
  if (!a.override_to.empty()) {
    to = StoredFromKey(a.override_to);
    if (!to)
      return ReportError(
          base::InvalidArgument("--override 只能是 development、growth、survival、untyped"), json);
  }
  auto decide = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(repo.DecideObjection(
        a.objection, kind, to, a.reason, a.reviewer,
        a.correction_batch > 0 ? std::optional<int64_t>(a.correction_batch) : std::nullopt));
    storage::AuditEvent ev{0,
                           "",
                           a.reviewer,
                           "tier.objection.decide",
                           "objection:" + std::to_string(a.objection),
                           "{\"decision\":\"" +
                               std::string(a.reject                 ? "reject"
                                           : a.correction_batch > 0 ? "data_correction"
                                                                    : "override") +
                               "\"}"};
    return storage::AuditRepository(**db, base::SystemClock()).Append(ev).status();
  };
  if (auto s = storage::RunInTransaction(**db, decide); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("{\"ok\": true}\n");
  } else {
    std::printf("异议 %lld 已%s。复核结束后运行 getihu tier run --review-of 批次号 重新判定。\n",
                static_cast<long long>(a.objection), a.reject ? "驳回" : "采纳");
  }
  return kExitOk;
}

int RunObjections(const std::string& db_path, int64_t run, bool open_only, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::TierRepository repo(**db);
  auto list = repo.ListObjections(
      run, open_only ? std::optional(storage::ObjectionStatus::kOpen) : std::nullopt);
  if (!list.ok()) return ReportError(list.status(), json);
  const char* status_names[] = {"待处理", "已采纳", "已驳回"};
  if (json) {
    Json out = Json::array();
    for (const auto& o : *list) {
      out.push_back({{"id", o.id},
                     {"run", o.run_id},
                     {"household_id", o.household_id},
                     {"claim", o.claim},
                     {"status", status_names[static_cast<int>(o.status)]},
                     {"reason", o.decision_reason},
                     {"reviewer", o.reviewer},
                     {"filed_at", o.filed_at},
                     {"decided_at", o.decided_at}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  if (list->empty()) std::printf("没有异议\n");
  for (const auto& o : *list) {
    std::printf("异议 %lld  批次 %lld  户 %lld  %s  %s：%s%s%s\n", static_cast<long long>(o.id),
                static_cast<long long>(o.run_id), static_cast<long long>(o.household_id),
                o.filed_at.c_str(), status_names[static_cast<int>(o.status)], o.claim.c_str(),
                o.decision_reason.empty() ? "" : "；裁定理由：", o.decision_reason.c_str());
  }
  return kExitOk;
}

int RunHistory(const std::string& db_path, const std::string& uscc, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::HouseholdRepository households(**db);
  auto id = households.FindHouseholdId(uscc);
  if (!id.ok()) return ReportError(id.status(), json);
  if (!*id)
    return ReportError(base::NotFound("没有统一社会信用代码为 " + uscc + " 的个体工商户"), json);
  storage::TierRepository repo(**db);
  auto h = repo.History(**id);
  if (!h.ok()) return ReportError(h.status(), json);
  if (json) {
    Json out = Json::array();
    for (const auto& e : *h) {
      out.push_back({{"run", e.run_id},
                     {"as_of", e.as_of.ToString()},
                     {"version", e.rule_set_version},
                     {"outcome", StoredKey(e.outcome)},
                     {"overridden", e.overridden}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  if (h->empty()) std::printf("该户还没有分型结果\n");
  for (const auto& e : *h) {
    std::printf("%s  批次 %lld  %s%s  （规则 %s）\n", e.as_of.ToString().c_str(),
                static_cast<long long>(e.run_id), StoredName(e.outcome).c_str(),
                e.overridden ? "（复核改判）" : "", e.rule_set_version.c_str());
  }
  return kExitOk;
}

int RunRules(const std::string& spec, bool json) {
  auto loaded = LoadRules(spec);
  if (!loaded.ok()) return ReportError(loaded.status(), json);
  const rules::RuleSet& s = loaded->set;
  if (json) {
    Json j = {{"name", s.name},
              {"version", s.version},
              {"title", s.title},
              {"effective_on", s.effective_on.ToString()},
              {"sha256", s.sha256}};
    j["params"] = Json::array();
    for (const auto& p : s.params) {
      j["params"].push_back({{"name", p.name},
                             {"label", p.label},
                             {"unit", p.unit},
                             {"value", rules::FormatParamValue(p.steps.back().value)}});
    }
    j["rows"] = Json::array();
    for (const auto& r : s.rows) {
      j["rows"].push_back({{"outcome", std::string(rules::OutcomeKey(r.outcome))},
                           {"reason", r.reason},
                           {"label", r.label},
                           {"when", r.when}});
    }
    j["warnings"] = Json::array();
    for (const auto& w : s.warnings)
      j["warnings"].push_back({{"line", w.line}, {"message", w.message}});
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("%s（%s %s，%s 起施行，SHA-256 %s）\n参数：\n", s.title.c_str(), s.name.c_str(),
              s.version.c_str(), s.effective_on.ToString().c_str(), s.sha256.c_str());
  for (const auto& p : s.params) {
    std::printf("  %-28s %-20s %s\n", p.name.c_str(), p.label.c_str(),
                rules::FormatParamValue(p.steps.back().value).c_str());
  }
  for (const auto& o : s.overrides) {
    std::printf("  地区覆盖 %s（%s）：", o.region_prefix.c_str(), o.label.c_str());
    for (const auto& [k, steps] : o.params)
      std::printf("%s = %s ", k.c_str(), rules::FormatParamValue(steps.back().value).c_str());
    std::printf("\n");
  }
  std::printf("判定表（自上而下，首个满足的行生效）：\n");
  for (size_t i = 0; i < s.rows.size(); ++i) {
    const auto& r = s.rows[i];
    std::string when = r.when;  // continuation lines indented under the first
    for (size_t at = 0; (at = when.find('\n', at)) != std::string::npos; at += 7) {
      when.replace(at, 1, "\n      ");
    }
    std::printf("  %2zu. %s %-20s %s\n      %s\n", i + 1,
                std::string(rules::OutcomeName(r.outcome)).c_str(), r.reason.c_str(),
                r.label.c_str(), when.c_str());
  }
  for (const auto& w : s.warnings) std::printf("警告（第 %d 行）：%s\n", w.line, w.message.c_str());
  return kExitOk;
}

}  // namespace

void AddTierCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  CLI::App* tier = app.add_subcommand("tier", "个体工商户分型：判定、解释、对比、模拟、复核与导出");
  tier->require_subcommand(1);

  static RunArgs run;
  CLI::App* r =
      tier->add_subcommand("run", "按基准日对全部（或某区划的）个体工商户分型并保存为一个批次");
  r->add_option("--as-of", run.as_of, "基准日 YYYY-MM-DD（通常为 7 月 1 日）")->required();
  r->add_option("--rules", run.rules, "规则集：文件路径或内置名称（默认 default-tiering）");
  r->add_option("--region", run.region, "只判定该区划（省、市、区县代码）");
  r->add_option("--review-of", run.review_of, "复核后重新判定：应用该批次已采纳的异议改判");
  r->add_option("--note", run.note, "备注");
  r->add_option("--by", run.by, "操作人");
  r->callback([&exit_code, g] { exit_code = RunRun(*g.db_path, run, *g.json); });

  tier->add_subcommand("runs", "列出分型批次")->callback([&exit_code, g] {
    exit_code = RunRuns(*g.db_path, *g.json);
  });

  static std::string uscc;
  static int64_t run_id = 0;
  CLI::App* e =
      tier->add_subcommand("explain", "解释一户的分型结果：逐行、逐项条件，差多少达到上一类型");
  e->add_option("uscc", uscc, "统一社会信用代码")->required();
  e->add_option("--run", run_id, "分型批次（默认最新）");
  e->callback([&exit_code, g] { exit_code = RunExplain(*g.db_path, uscc, run_id, *g.json); });

  static int64_t diff_a = 0, diff_b = 0;
  CLI::App* d = tier->add_subcommand("diff", "对比两个分型批次：类型转移矩阵，按区县和行业");
  d->add_option("run_a", diff_a, "原批次")->required();
  d->add_option("run_b", diff_b, "新批次")->required();
  d->callback([&exit_code, g] { exit_code = RunDiff(*g.db_path, diff_a, diff_b, *g.json); });

  static SimulateArgs sim;
  CLI::App* s =
      tier->add_subcommand("simulate", "模拟调整参数：多少户、哪些户、在哪里会改变类型（不保存）");
  s->add_option("--against", sim.against, "作为基准的分型批次")->required();
  s->add_option("--set", sim.sets, "参数名=新值，可重复，如 growth_revenue_min=¥80000");
  s->add_option("--rules", sim.rules, "改用另一个规则集文件（默认用基准批次的规则集）");
  s->add_flag("--list", sim.list, "列出类型变化的每一户");
  s->callback([&exit_code, g] { exit_code = RunSimulate(*g.db_path, sim, *g.json); });

  static ObjectArgs obj;
  CLI::App* o = tier->add_subcommand("object", "登记经营者对分型结果的异议（复核期）");
  o->add_option("uscc", obj.uscc, "统一社会信用代码")->required();
  o->add_option("--run", obj.run, "分型批次")->required();
  o->add_option("--claim", obj.claim, "异议内容")->required();
  o->add_option("--want", obj.want, "经营者认为应属的类型");
  o->add_option("--by", obj.by, "提出人")->required();
  o->callback([&exit_code, g] { exit_code = RunObject(*g.db_path, obj, *g.json); });

  static DecideArgs dec;
  CLI::App* c = tier->add_subcommand("decide", "裁定异议：改判、数据更正后采纳，或驳回");
  c->add_option("objection", dec.objection, "异议编号")->required();
  c->add_option("--override", dec.override_to,
                "采纳并改判为：development、growth、survival、untyped");
  c->add_option("--correction-batch", dec.correction_batch, "采纳：数据已由该导入批次更正");
  c->add_flag("--reject", dec.reject, "驳回");
  c->add_option("--reason", dec.reason, "裁定理由")->required();
  c->add_option("--reviewer", dec.reviewer, "复核人")->required();
  c->callback([&exit_code, g] { exit_code = RunDecide(*g.db_path, dec, *g.json); });

  static int64_t obj_run = 0;
  static bool open_only = false;
  CLI::App* ol = tier->add_subcommand("objections", "列出异议");
  ol->add_option("--run", obj_run, "只看该批次");
  ol->add_flag("--open", open_only, "只看待处理的");
  ol->callback(
      [&exit_code, g] { exit_code = RunObjections(*g.db_path, obj_run, open_only, *g.json); });

  static std::string hist_uscc;
  CLI::App* h = tier->add_subcommand("history", "一户历年的分型结果");
  h->add_option("uscc", hist_uscc, "统一社会信用代码")->required();
  h->callback([&exit_code, g] { exit_code = RunHistory(*g.db_path, hist_uscc, *g.json); });

  static std::string rules_spec;
  CLI::App* rl =
      tier->add_subcommand("rules", "显示（并检查）规则集：参数、地区覆盖、判定表和警告");
  rl->add_option("rules", rules_spec, "规则集文件或内置名称（默认 default-tiering）");
  rl->callback([&exit_code, g] { exit_code = RunRules(rules_spec, *g.json); });

  AddTierExportCommand(*tier, g, exit_code);
}

}  // namespace getihu::cli
