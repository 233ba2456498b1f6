#include "server/tier_json.h"

#include <algorithm>
#include <map>
#include <vector>

#include "domain/industry.h"
#include "domain/region.h"
#include "engine/explain.h"
#include "server/views.h"

namespace getihu::server {
namespace {

std::string CodeName(const std::string& code) {
  if (code.size() == 1) {
    const domain::IndustrySection* s = domain::FindSection(code[0]);
    return s ? std::string(s->name) : "";
  }
  const domain::Region* r = domain::RegionTable::Builtin().Find(code);
  return r ? r->name : "";
}

}  // namespace

Json RunJson(const storage::TierRunRecord& r) {
  Json j = {{"id", r.id},
            {"as_of", r.as_of.ToString()},
            {"region", r.region_prefix},
            {"rule_set", r.rule_set_name},
            {"version", r.rule_set_version},
            {"sha256", r.rule_set_sha256},
            {"households", r.households},
            {"development", r.development},
            {"growth", r.growth},
            {"survival", r.survival},
            {"untyped", r.untyped},
            {"created_at", r.created_at},
            {"created_by", r.created_by},
            {"note", r.note},
            {"seconds", r.seconds}};
  j["based_on_run"] = r.based_on_run ? Json(*r.based_on_run) : Json(nullptr);
  return j;
}

Json ReasonCountsJson(const std::vector<storage::TierReasonCount>& counts,
                      const rules::RuleSet* set) {
  std::map<std::string, std::string> labels = {{"INSUFFICIENT_DATA", "数据不足"},
                                               {"NO_MATCH", "不满足任何判定行"},
                                               {"REVIEW_OVERRIDE", "复核改判"}};
  if (set != nullptr) {
    for (size_t row = 0; row < set->rows.size(); ++row) {
      std::string code = engine::ReasonCode(*set, static_cast<int>(row), 0);
      if (!labels.contains(code)) labels[code] = set->rows[row].label;
    }
  }
  Json out = Json::array();
  for (const storage::TierReasonCount& c : counts) {
    auto it = labels.find(c.reason);
    out.push_back({{"tier", OutcomeKey(c.outcome)},
                   {"tier_name", OutcomeName(c.outcome)},
                   {"reason", c.reason},
                   {"label", it != labels.end() ? it->second : c.reason},
                   {"households", c.households}});
  }
  return out;
}

Json ExplanationJson(const workflows::HouseholdExplanation& h) {
  const engine::Explanation& e = h.explanation;
  Json j = {{"uscc", h.uscc},
            {"run", h.run.id},
            {"as_of", h.run.as_of.ToString()},
            {"stored_tier", OutcomeKey(h.stored.outcome)},
            {"stored_tier_name", OutcomeName(h.stored.outcome)},
            {"overridden", h.stored.overridden},
            {"tier", std::string(rules::OutcomeKey(e.outcome))},
            {"reason", e.reason},
            {"label", e.label},
            {"row", e.row},
            {"summary", e.summary},
            {"agrees_with_stored", h.agrees}};
  j["missing"] = e.missing;
  j["rows"] = Json::array();
  for (const engine::RowTrace& r : e.rows) {
    Json row = {{"row", r.row},
                {"tier", std::string(rules::OutcomeKey(r.outcome))},
                {"reason", r.reason},
                {"label", r.label},
                {"result", std::string(engine::TruthName(r.result))},
                {"hit", r.hit}};
    row["clauses"] = Json::array();
    for (const engine::ClauseTrace& c : r.clauses) {
      Json cj = {{"text", c.text}, {"result", std::string(engine::TruthName(c.result))}};
      cj["comparisons"] = Json::array();
      for (const engine::ComparisonTrace& t : c.comparisons) {
        cj["comparisons"].push_back({{"text", t.text},
                                     {"value", t.value},
                                     {"threshold", t.threshold},
                                     {"result", std::string(engine::TruthName(t.result))},
                                     {"gap", t.gap}});
      }
      row["clauses"].push_back(cj);
    }
    j["rows"].push_back(row);
  }
  return j;
}

std::array<std::array<int64_t, 4>, 4> ByStored(const std::array<std::array<int64_t, 4>, 4>& m) {
  std::array<std::array<int64_t, 4>, 4> out{};
  for (size_t a = 0; a < 4; ++a) {
    for (size_t b = 0; b < 4; ++b) {
      int sa = workflows::StoredOutcome(static_cast<rules::Outcome>(a));
      int sb = workflows::StoredOutcome(static_cast<rules::Outcome>(b));
      out[static_cast<size_t>(sa)][static_cast<size_t>(sb)] = m[a][b];
    }
  }
  return out;
}

Json MatrixJson(const std::array<std::array<int64_t, 4>, 4>& m) {
  Json j = Json::array();
  for (int a = 0; a < 4; ++a) {
    for (int b = 0; b < 4; ++b) {
      int64_t n = m[static_cast<size_t>(a)][static_cast<size_t>(b)];
      if (n) {
        j.push_back({{"from", OutcomeKey(a)},
                     {"from_name", OutcomeName(a)},
                     {"to", OutcomeKey(b)},
                     {"to_name", OutcomeName(b)},
                     {"households", n}});
      }
    }
  }
  return j;
}

Json MovesJson(const std::map<std::string, engine::MoveCounts>& m) {
  std::vector<std::pair<std::string, engine::MoveCounts>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& x, const auto& y) {
    return x.second.up + x.second.down > y.second.up + y.second.down;
  });
  Json j = Json::array();
  for (const auto& [k, c] : v) {
    j.push_back({{"code", k}, {"name", CodeName(k)}, {"up", c.up}, {"down", c.down}});
  }
  return j;
}

Json SimulationJson(const workflows::SimulationReport& r, bool with_movers) {
  Json j = {{"against", r.baseline.id},
            {"as_of", r.baseline.as_of.ToString()},
            {"moved", r.transitions.moved},
            {"evaluate_seconds", r.evaluate_seconds}};
  j["set"] = Json::object();
  for (const auto& [k, v] : r.what_if) j["set"][k] = rules::FormatParamValue(v);
  j["transitions"] = MatrixJson(ByStored(r.transitions.matrix));
  j["by_township"] = MovesJson(r.by_township);
  j["by_section"] = MovesJson(r.by_section);
  if (with_movers) {
    j["movers"] = Json::array();
    for (const workflows::Mover& mv : r.movers) {
      j["movers"].push_back({{"uscc", mv.uscc},
                             {"from", OutcomeKey(mv.from)},
                             {"to", OutcomeKey(mv.to)},
                             {"township", RegionJson(mv.township)},
                             {"industry", IndustryJson(mv.industry)}});
    }
  }
  return j;
}

Json DiffJson(const workflows::RunDiff& d) {
  Json j = {{"a", RunJson(d.a)},
            {"b", RunJson(d.b)},
            {"only_in_a", d.only_in_a},
            {"only_in_b", d.only_in_b}};
  j["transitions"] = MatrixJson(d.matrix);
  j["by_region"] = MovesJson(d.by_region);
  j["by_section"] = MovesJson(d.by_section);
  return j;
}

Json ObjectionJson(const storage::Objection& o, const std::string& uscc) {
  static const char* kStatus[] = {"open", "accepted", "rejected"};
  static const char* kStatusName[] = {"待处理", "已采纳", "已驳回"};
  static const char* kDecision[] = {"", "override", "data_correction", "reject"};
  int s = static_cast<int>(o.status);
  Json j = {{"id", o.id},
            {"run", o.run_id},
            {"uscc", uscc},
            {"filed_by", o.filed_by},
            {"filed_at", o.filed_at},
            {"claim", o.claim},
            {"status", kStatus[s]},
            {"status_name", kStatusName[s]},
            {"decision", kDecision[static_cast<int>(o.decision)]},
            {"reason", o.decision_reason},
            {"reviewer", o.reviewer},
            {"decided_at", o.decided_at}};
  j["requested_tier"] = o.requested_outcome ? Json(OutcomeKey(*o.requested_outcome)) : Json();
  j["override_tier"] = o.override_outcome ? Json(OutcomeKey(*o.override_outcome)) : Json();
  j["correction_batch"] = o.correction_batch_id ? Json(*o.correction_batch_id) : Json();
  return j;
}

Json ParamsJson(const rules::RuleSet& set) {
  Json out = Json::array();
  for (const rules::ParamDef& p : set.params) {
    Json steps = Json::array();
    for (const rules::ParamStep& s : p.steps) {
      steps.push_back({{"from", s.from.ToString()}, {"value", rules::FormatParamValue(s.value)}});
    }
    out.push_back({{"name", p.name}, {"label", p.label}, {"unit", p.unit}, {"steps", steps}});
  }
  return out;
}

base::Result<engine::Params> ParseWhatIf(const rules::RuleSet& set, const Json& values) {
  engine::Params out;
  if (values.is_null()) return out;
  if (!values.is_object()) return base::InvalidArgument("set 应为 {参数名: 值} 对象");
  for (const auto& [key, value] : values.items()) {
    std::string name = key.starts_with("params.") ? key.substr(7) : key;
    const rules::ParamDef* p = set.FindParam(name);
    if (!p) return base::InvalidArgument("规则集没有参数“" + name + "”");
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    base::Result<rules::ParamValue> v = rules::ParseParamValue(p->type, text);
    if (!v.ok()) return base::InvalidArgument("参数“" + name + "”：" + v.status().message());
    out[name] = *v;
  }
  return out;
}

}  // namespace getihu::server
