#include "workflows/tier_run.h"

#include <array>
#include <chrono>
#include <map>
#include <set>

#include "rules/profile_fields.h"
#include "storage/audit_repository.h"
#include "storage/household_repository.h"
#include "storage/profile_query.h"
#include "workflows/frame_chunks.h"
#include "workflows/tier_tally.h"

namespace getihu::workflows {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Outcomes of a stored run, by frame row (255 where the run has no result).
base::Result<std::vector<uint8_t>> StoredOutcomes(storage::TierRepository& repo, int64_t run,
                                                  const engine::Frame& frame) {
  std::vector<uint8_t> out(frame.size(), 255);
  const std::vector<int64_t>& ids = frame.household_ids();
  size_t i = 0;
  GETIHU_RETURN_IF_ERROR(repo.ScanResults(run, [&](const storage::TierResultRow& r) {
    while (i < ids.size() && ids[i] < r.household_id) ++i;
    if (i < ids.size() && ids[i] == r.household_id) {
      out[i] = static_cast<uint8_t>(OutcomeFromStored(r.outcome));
    }
    return base::OkStatus();
  }));
  return out;
}

std::string CodeAt(const engine::Frame& frame, std::string_view column, size_t row) {
  const engine::Column* c = frame.Find(column);
  if (!c || !c->IsKnown(row)) return "";
  return c->dictionary[static_cast<size_t>(c->ints.Get(row))];
}

}  // namespace

int StoredOutcome(rules::Outcome o) {
  switch (o) {
    case rules::Outcome::kDevelopment:
      return storage::kOutcomeDevelopment;
    case rules::Outcome::kGrowth:
      return storage::kOutcomeGrowth;
    case rules::Outcome::kSurvival:
      return storage::kOutcomeSurvival;
    default:
      return storage::kOutcomeUntyped;
  }
}

rules::Outcome OutcomeFromStored(int stored) {
  switch (stored) {
    case storage::kOutcomeDevelopment:
      return rules::Outcome::kDevelopment;
    case storage::kOutcomeGrowth:
      return rules::Outcome::kGrowth;
    case storage::kOutcomeSurvival:
      return rules::Outcome::kSurvival;
    default:
      return rules::Outcome::kUntyped;
  }
}

base::Result<engine::Frame> BuildFrame(storage::Database& db, std::string_view region_prefix,
                                       base::Date as_of, std::span<const std::string> fields) {
  engine::FrameBuilder builder(fields);
  GETIHU_RETURN_IF_ERROR(storage::ScanProfiles(
      db, region_prefix, as_of,
      [&](const domain::HouseholdProfile& p) {
        builder.Append(p);
        return base::OkStatus();
      },
      fields));
  return builder.Finish();
}

std::vector<std::string> FieldsUsed(const rules::RuleSet& set) {
  std::set<std::string> names = {"region"};  // regional overrides and grouping
  for (const rules::DecisionRow& row : set.rows) {
    names.insert(row.rule.fields_used.begin(), row.rule.fields_used.end());
  }
  return {names.begin(), names.end()};
}

namespace {

// The outcome by household.
using Overrides = std::map<int64_t, int>;

// The accepted override decisions of the review round on `options.review_of`.
base::Result<Overrides> AcceptedOverrides(storage::TierRepository& repo,
                                          const TierRunOptions& options) {
  Overrides overrides;
  if (!options.review_of) return overrides;
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierRunRecord> base,
                          repo.GetRun(*options.review_of));
  if (!base) {
    return base::NotFound("没有编号为 " + std::to_string(*options.review_of) + " 的分型批次");
  }
  GETIHU_ASSIGN_OR_RETURN(
      std::vector<storage::Objection> accepted,
      repo.ListObjections(*options.review_of, storage::ObjectionStatus::kAccepted));
  for (const storage::Objection& o : accepted) {
    if (o.decision == storage::DecisionKind::kOverride && o.override_outcome) {
      overrides[o.household_id] = *o.override_outcome;
    }
  }
  return overrides;
}

// The run's record but for its counts and time.
storage::TierRunRecord RunRecord(const rules::RuleSet& set, std::string_view rule_text,
                                 const TierRunOptions& options) {
  storage::TierRunRecord run;
  run.rule_set_name = set.name;
  run.rule_set_version = set.version;
  run.rule_set_sha256 = set.sha256;
  run.rule_set_text = std::string(rule_text);
  run.params_json = "{}";
  run.as_of = options.as_of;
  run.region_prefix = options.region_prefix;
  run.based_on_run = options.review_of;
  run.created_by = options.created_by;
  run.note = options.note;
  return run;
}

base::Status AppendRunAudit(storage::Database& db, const rules::RuleSet& set,
                            const TierRunOptions& options, int64_t run_id, int64_t households) {
  storage::AuditEvent audit;
  audit.actor = options.created_by;
  audit.action = options.review_of ? "tier.rerun" : "tier.run";
  audit.target = "run:" + std::to_string(run_id);
  audit.detail = "{\"as_of\":\"" + options.as_of.ToString() + "\",\"region\":\"" +
                 JsonEscape(options.region_prefix) + "\",\"rule_set_sha256\":\"" + set.sha256 +
                 "\",\"households\":" + std::to_string(households) + "}";
  return storage::AuditRepository(db, base::SystemClock()).Append(audit).status();
}

// Reads the whole frame, evaluates it on every core, then stores the run in one transaction.
base::Result<TierRunReport> RunSequential(storage::Database& db, const rules::RuleSet& set,
                                          std::string_view rule_text, const TierRunOptions& options,
                                          TierTally& tally, Clock::time_point start) {
  TierRunReport report;
  GETIHU_ASSIGN_OR_RETURN(engine::Frame frame,
                          BuildFrame(db, options.region_prefix, options.as_of, FieldsUsed(set)));
  report.frame_seconds = Since(start);
  report.frame_bytes = frame.TotalBytes();

  auto eval_start = Clock::now();
  GETIHU_ASSIGN_OR_RETURN(engine::Tiering tiering,
                          engine::Tiering::Compile(set, frame, options.as_of));
  engine::TierResults results;
  tiering.Evaluate(results, options.threads);
  report.evaluate_seconds = Since(eval_start);

  auto persist_start = Clock::now();
  std::vector<storage::TierResultRow> rows;
  tally.Add(frame, results, rows);
  storage::TierRunRecord& run = report.run;
  run = RunRecord(set, rule_text, options);
  tally.FillCounts(run);
  report.reasons = tally.Reasons();
  storage::TierRepository repo(db);
  GETIHU_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(db));
  run.seconds = Since(start);
  GETIHU_ASSIGN_OR_RETURN(int64_t id, repo.InsertRun(run, report.reasons));
  GETIHU_RETURN_IF_ERROR(repo.InsertResults(id, rows));
  run.seconds = Since(start);
  GETIHU_RETURN_IF_ERROR(repo.SetRunSeconds(id, run.seconds));
  GETIHU_RETURN_IF_ERROR(AppendRunAudit(db, set, options, id, run.households));
  GETIHU_RETURN_IF_ERROR(tx.Commit());
  report.persist_seconds = Since(persist_start);
  return report;
}

// Reads the frame chunk by chunk on `reader` (another thread) while this thread evaluates and
// stores the chunks read so far on `db`: the run is inserted first with zero counts, and its
// counts follow its results, all in one transaction.
base::Result<TierRunReport> RunPipelined(storage::Database& db,
                                         std::unique_ptr<storage::Database> reader,
                                         const rules::RuleSet& set, std::string_view rule_text,
                                         const TierRunOptions& options, TierTally& tally,
                                         Clock::time_point start) {
  TierRunReport report;
  storage::TierRepository repo(db);
  storage::TierRunRecord& run = report.run;
  run = RunRecord(set, rule_text, options);
  GETIHU_ASSIGN_OR_RETURN(storage::Transaction tx, storage::Transaction::Begin(db));
  GETIHU_ASSIGN_OR_RETURN(int64_t id, repo.InsertRun(run, {}));
  FrameChunkReader chunks(std::move(reader), {.region_prefix = options.region_prefix,
                                              .as_of = options.as_of,
                                              .fields = FieldsUsed(set),
                                              .chunk_households = options.chunk_households,
                                              .on_chunk = options.on_chunk_read});
  engine::TierResults results;
  std::vector<storage::TierResultRow> rows;
  for (bool any = false;;) {
    GETIHU_ASSIGN_OR_RETURN(std::optional<engine::Frame> chunk, chunks.Next());
    // An empty region still compiles the rules once, for the errors a sequential run gives.
    if (!chunk && any) break;
    if (!chunk) chunk = engine::FrameBuilder(FieldsUsed(set)).Finish();
    any = true;
    auto eval_start = Clock::now();
    GETIHU_ASSIGN_OR_RETURN(engine::Tiering tiering,
                            engine::Tiering::Compile(set, *chunk, options.as_of));
    tiering.Evaluate(results, 1);  // the other core reads the next chunk
    tally.Add(*chunk, results, rows);
    report.evaluate_seconds += Since(eval_start);
    report.frame_bytes += chunk->TotalBytes();
    auto persist_start = Clock::now();
    GETIHU_RETURN_IF_ERROR(repo.InsertResults(id, rows));
    report.persist_seconds += Since(persist_start);
  }
  report.frame_seconds = chunks.seconds();
  auto persist_start = Clock::now();
  tally.FillCounts(run);
  report.reasons = tally.Reasons();
  run.seconds = Since(start);
  GETIHU_RETURN_IF_ERROR(repo.FinishRun(run, report.reasons));
  GETIHU_RETURN_IF_ERROR(AppendRunAudit(db, set, options, id, run.households));
  GETIHU_RETURN_IF_ERROR(tx.Commit());
  report.persist_seconds += Since(persist_start);
  return report;
}

}  // namespace

base::Result<TierRunReport> RunTiering(storage::Database& db, const rules::RuleSet& set,
                                       std::string_view rule_text, const TierRunOptions& options) {
  auto start = Clock::now();
  storage::TierRepository repo(db);
  GETIHU_ASSIGN_OR_RETURN(Overrides overrides, AcceptedOverrides(repo, options));
  TierTally tally(set, std::move(overrides));
  base::Result<TierRunReport> report = [&]() -> base::Result<TierRunReport> {
    if (options.open_reader) {
      // Without a second connection the run reads first, then writes.
      if (auto reader = options.open_reader(); reader.ok()) {
        return RunPipelined(db, std::move(*reader), set, rule_text, options, tally, start);
      }
    }
    return RunSequential(db, set, rule_text, options, tally, start);
  }();
  if (report.ok()) report->overrides_applied = tally.overrides_applied();
  return report;
}

base::Result<rules::RuleSet> RuleSetOfRun(const storage::TierRunRecord& run) {
  return rules::ParseRuleSet(run.rule_set_text, run.rule_set_name + ".toml",
                             rules::ProfileFields());
}

base::Result<HouseholdExplanation> ExplainHousehold(storage::Database& db, std::string_view uscc,
                                                    std::optional<int64_t> run_id) {
  storage::TierRepository repo(db);
  if (!run_id) {
    GETIHU_ASSIGN_OR_RETURN(std::vector<storage::TierRunRecord> runs, repo.ListRuns());
    if (runs.empty()) return base::NotFound("还没有分型批次；请先运行 getihu tier run");
    run_id = runs.front().id;
  }
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierRunRecord> run, repo.GetRun(*run_id));
  if (!run) return base::NotFound("没有编号为 " + std::to_string(*run_id) + " 的分型批次");
  storage::HouseholdRepository households(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> id, households.FindHouseholdId(uscc));
  if (!id)
    return base::NotFound("数据资源池中没有统一社会信用代码为 " + std::string(uscc) +
                          " 的个体工商户");
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierResultRow> stored,
                          repo.GetResult(*run_id, *id));
  if (!stored) {
    return base::NotFound("分型批次 " + std::to_string(*run_id) +
                          " 不包含该户（不在批次的地区范围内，或在基准日之后登记）");
  }
  GETIHU_ASSIGN_OR_RETURN(rules::RuleSet set, RuleSetOfRun(*run));
  GETIHU_ASSIGN_OR_RETURN(std::optional<domain::HouseholdProfile> profile,
                          storage::LoadProfile(db, *id, run->as_of));
  if (!profile) return base::NotFound("该户在基准日尚未登记");
  engine::FrameBuilder builder;
  builder.Append(*profile);
  engine::Frame frame = builder.Finish();
  GETIHU_ASSIGN_OR_RETURN(engine::Tiering tiering,
                          engine::Tiering::Compile(set, frame, run->as_of));
  HouseholdExplanation out;
  out.uscc = std::string(uscc);
  out.run = *run;
  out.stored = *stored;
  out.explanation = engine::Explain(tiering, 0);
  out.agrees = stored->overridden || StoredOutcome(out.explanation.outcome) == stored->outcome;
  return out;
}

base::Result<SimulationReport> Simulate(storage::Database& db, int64_t baseline_run,
                                        const rules::RuleSet* set, const engine::Params& what_if,
                                        bool list_movers) {
  storage::TierRepository repo(db);
  GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierRunRecord> run, repo.GetRun(baseline_run));
  if (!run) return base::NotFound("没有编号为 " + std::to_string(baseline_run) + " 的分型批次");
  std::optional<rules::RuleSet> own;
  if (!set) {
    GETIHU_ASSIGN_OR_RETURN(own, RuleSetOfRun(*run));
    set = &*own;
  }
  std::vector<std::string> fields = FieldsUsed(*set);
  fields.push_back("township");  // movers are counted by township and section
  fields.push_back("section");
  GETIHU_ASSIGN_OR_RETURN(engine::Frame frame,
                          BuildFrame(db, run->region_prefix, run->as_of, fields));
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> before, StoredOutcomes(repo, baseline_run, frame));
  auto start = Clock::now();
  GETIHU_ASSIGN_OR_RETURN(engine::Tiering tiering,
                          engine::Tiering::Compile(*set, frame, run->as_of, what_if));
  engine::TierResults results;
  tiering.Evaluate(results);
  // Households the baseline did not cover (registered later) are left out of the comparison.
  std::vector<uint8_t> after = results.outcome;
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i] == 255) before[i] = after[i];
  }
  SimulationReport report;
  report.transitions = engine::CompareOutcomes(before, after);
  report.evaluate_seconds = Since(start);
  report.baseline = *run;
  report.what_if = what_if;
  report.by_township = engine::MoversBy(frame, "township", report.transitions, before, after);
  report.by_section = engine::MoversBy(frame, "section", report.transitions, before, after);
  if (list_movers) {
    storage::HouseholdRepository households(db);
    for (size_t row : report.transitions.movers) {
      Mover m;
      m.household_id = frame.household_ids()[row];
      m.from = StoredOutcome(static_cast<rules::Outcome>(before[row]));
      m.to = StoredOutcome(static_cast<rules::Outcome>(after[row]));
      m.township = CodeAt(frame, "township", row);
      m.industry = CodeAt(frame, "industry", row);
      report.movers.push_back(std::move(m));
    }
    // USCCs, in one pass over the keys.
    std::map<int64_t, Mover*> by_id;
    for (Mover& m : report.movers) by_id[m.household_id] = &m;
    if (!by_id.empty()) {
      GETIHU_RETURN_IF_ERROR(
          households.ScanHouseholdKeys([&](std::string_view uscc, int64_t id, base::Date) {
            if (auto it = by_id.find(id); it != by_id.end()) it->second->uscc = std::string(uscc);
          }));
    }
  }
  return report;
}

base::Result<RunDiff> DiffRuns(storage::Database& db, int64_t a, int64_t b) {
  storage::TierRepository repo(db);
  RunDiff diff;
  for (int64_t id : {a, b}) {
    GETIHU_ASSIGN_OR_RETURN(std::optional<storage::TierRunRecord> run, repo.GetRun(id));
    if (!run) return base::NotFound("没有编号为 " + std::to_string(id) + " 的分型批次");
    (id == a ? diff.a : diff.b) = *run;
  }
  std::string prefix = diff.a.region_prefix.size() < diff.b.region_prefix.size()
                           ? diff.a.region_prefix
                           : diff.b.region_prefix;
  const std::vector<std::string> fields = {"region", "section"};  // registration only
  GETIHU_ASSIGN_OR_RETURN(engine::Frame frame,
                          BuildFrame(db, prefix, std::max(diff.a.as_of, diff.b.as_of), fields));
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> before, StoredOutcomes(repo, a, frame));
  GETIHU_ASSIGN_OR_RETURN(std::vector<uint8_t> after, StoredOutcomes(repo, b, frame));
  for (size_t i = 0; i < frame.size(); ++i) {
    if (before[i] == 255 && after[i] == 255) continue;
    if (before[i] == 255) {
      ++diff.only_in_b;
      continue;
    }
    if (after[i] == 255) {
      ++diff.only_in_a;
      continue;
    }
    int from = StoredOutcome(static_cast<rules::Outcome>(before[i]));
    int to = StoredOutcome(static_cast<rules::Outcome>(after[i]));
    ++diff.matrix[static_cast<size_t>(from)][static_cast<size_t>(to)];
  }
  engine::Transitions t = engine::CompareOutcomes(before, after);
  std::vector<size_t> movers;
  for (size_t row : t.movers) {
    if (before[row] != 255 && after[row] != 255) movers.push_back(row);
  }
  t.movers = movers;
  diff.by_region = engine::MoversBy(frame, "region", t, before, after);
  diff.by_section = engine::MoversBy(frame, "section", t, before, after);
  return diff;
}

}  // namespace getihu::workflows
