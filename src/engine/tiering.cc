#include "engine/tiering.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <thread>

namespace getihu::engine {
namespace {

using rules::Outcome;

size_t WordsFor(size_t n) { return (n + 63) / 64; }

bool Typed(Outcome o) { return o != Outcome::kUntyped; }

// Higher tiers have lower enum values (kDevelopment = 0).
int Rank(Outcome o) {
  switch (o) {
    case Outcome::kDevelopment:
      return 3;
    case Outcome::kGrowth:
      return 2;
    case Outcome::kSurvival:
      return 1;
    default:
      return 0;
  }
}

bool HasPrefix(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}

}  // namespace

base::Result<Tiering> Tiering::Compile(const rules::RuleSet& set, const Frame& frame,
                                       base::Date as_of, const Params& what_if) {
  if (set.rows.size() > 120) return base::InvalidArgument("决策表行数过多");
  Tiering t;
  t.set_ = &set;
  t.frame_ = &frame;
  t.as_of_ = as_of;
  t.region_ = frame.Find("region");
  // Groups: the national default, then each override that some household's region uses.
  std::vector<std::string> prefixes = {""};
  for (const rules::RegionOverride& o : set.overrides) prefixes.push_back(o.region_prefix);
  std::vector<int> used(prefixes.size(), 0);
  used[0] = 1;
  std::vector<int> region_prefix_index;
  if (t.region_) {
    for (const std::string& code : t.region_->dictionary) {
      int best = 0;
      for (size_t i = 1; i < prefixes.size(); ++i) {
        if (HasPrefix(code, prefixes[i]) &&
            prefixes[i].size() > prefixes[static_cast<size_t>(best)].size()) {
          best = static_cast<int>(i);
        }
      }
      used[static_cast<size_t>(best)] = 1;
      region_prefix_index.push_back(best);
    }
  }
  std::vector<int> group_of_prefix(prefixes.size(), -1);
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (!used[i]) continue;
    if (t.groups_.size() >= 255) return base::InvalidArgument("地区覆盖过多");
    Group g;
    g.prefix = prefixes[i];
    GETIHU_ASSIGN_OR_RETURN(g.params, set.ParamsFor(g.prefix, as_of));
    for (const auto& [name, value] : what_if) {
      auto it = g.params.find(name);
      if (it == g.params.end()) {
        return base::InvalidArgument("规则集没有参数“" + name + "”");
      }
      if (it->second.type != value.type) {
        return base::InvalidArgument("参数“" + name + "”的类型不符");
      }
      it->second = value;
    }
    group_of_prefix[i] = static_cast<int>(t.groups_.size());
    t.groups_.push_back(std::move(g));
  }
  for (int pi : region_prefix_index) {
    t.region_group_.push_back(static_cast<uint8_t>(group_of_prefix[static_cast<size_t>(pi)]));
  }
  for (Group& g : t.groups_) {
    for (const rules::DecisionRow& row : set.rows) {
      std::vector<Program> clauses;
      for (const rules::Clause& c : row.clauses) {
        auto p = Program::Compile(*c.rule.root, frame, g.params, as_of);
        if (!p.ok()) {
          return base::InvalidArgument("第 " + std::to_string(row.line) + " 行：" +
                                       p.status().message());
        }
        clauses.push_back(std::move(*p));
      }
      g.clauses.push_back(std::move(clauses));
    }
  }
  for (size_t r = 0; r < set.rows.size(); ++r) {
    int h = -1;
    Outcome o = set.rows[r].outcome;
    if (Typed(o)) {
      for (size_t k = r; k-- > 0;) {
        Outcome ok = set.rows[k].outcome;
        if (Typed(ok) && Rank(ok) > Rank(o)) {
          if (h < 0 || Rank(ok) < Rank(set.rows[static_cast<size_t>(h)].outcome)) {
            h = static_cast<int>(k);
          }
        }
      }
    }
    t.higher_.push_back(h);
  }
  return t;
}

const Params& Tiering::ParamsForRegion(std::string_view region) const {
  size_t best = 0;
  for (size_t i = 1; i < groups_.size(); ++i) {
    if (HasPrefix(region, groups_[i].prefix) &&
        groups_[i].prefix.size() > groups_[best].prefix.size()) {
      best = i;
    }
  }
  return groups_[best].params;
}

void Tiering::Evaluate(TierResults& out, int threads) const {
  size_t n = frame_->size();
  out.outcome.resize(n);
  out.row.resize(n);
  out.failed.resize(n);
  out.unknown.resize(n);
  size_t chunks = (n + kChunk - 1) / kChunk;
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads =
      static_cast<int>(std::min<size_t>(static_cast<size_t>(threads), std::max<size_t>(1, chunks)));
  std::vector<std::vector<int64_t>> counts(static_cast<size_t>(threads),
                                           std::vector<int64_t>(set_->rows.size() + 1, 0));
  if (threads == 1) {
    EvaluateRange(0, chunks, out, counts[0]);
  } else {
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) {
      size_t a = chunks * static_cast<size_t>(i) / static_cast<size_t>(threads);
      size_t b = chunks * static_cast<size_t>(i + 1) / static_cast<size_t>(threads);
      pool.emplace_back([this, a, b, &out, &counts, i] {
        EvaluateRange(a, b, out, counts[static_cast<size_t>(i)]);
      });
    }
    for (std::thread& th : pool) th.join();
  }
  out.row_counts.assign(set_->rows.size(), 0);
  out.no_match = 0;
  std::fill(std::begin(out.outcome_counts), std::end(out.outcome_counts), 0);
  for (const auto& c : counts) {
    for (size_t r = 0; r < set_->rows.size(); ++r) out.row_counts[r] += c[r];
    out.no_match += c.back();
  }
  for (size_t r = 0; r < set_->rows.size(); ++r) {
    out.outcome_counts[static_cast<size_t>(set_->rows[r].outcome)] += out.row_counts[r];
  }
  out.outcome_counts[static_cast<size_t>(Outcome::kUntyped)] += out.no_match;
}

namespace {

// kSpread[b] has byte i equal to bit i of b: eight households' bits as eight bytes.
constexpr std::array<uint64_t, 256> MakeSpread() {
  std::array<uint64_t, 256> t{};
  for (size_t b = 0; b < 256; ++b) {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v |= static_cast<uint64_t>((b >> i) & 1) << (8 * i);
    t[b] = v;
  }
  return t;
}
constexpr std::array<uint64_t, 256> kSpread = MakeSpread();

// Adds `value` (< 256) to the byte of each household whose bit is set in `bits`.
inline void SpreadAdd(uint64_t bits, uint64_t value, uint64_t lanes[8]) {
  if (!bits) return;
  for (size_t m = 0; m < 8; ++m) lanes[m] |= kSpread[(bits >> (8 * m)) & 0xFF] * value;
}

}  // namespace

void Tiering::EvaluateRange(size_t begin_chunk, size_t end_chunk, TierResults& out,
                            std::vector<int64_t>& row_counts) const {
  const size_t rows = set_->rows.size();
  Workspace ws;
  // Clause truths of the current chunk: [row][clause]; hits per row and word.
  std::vector<std::vector<TruthChunk>> truths(rows);
  for (size_t r = 0; r < rows; ++r) truths[r].resize(set_->rows[r].clauses.size());
  std::vector<uint64_t> hits((rows + 1) * kWords);    // row `rows`: no row hit
  std::vector<uint64_t> unknown_hits(rows * kWords);  // exclusion rows hit by unknown
  std::vector<uint64_t> group_mask(groups_.size() * kWords);
  std::vector<int> row_outcome(rows);
  bool narrow = true;  // every row has at most 8 clauses: masks fit the byte lanes
  for (size_t r = 0; r < rows; ++r) {
    row_outcome[r] = static_cast<int>(set_->rows[r].outcome);
    narrow &= set_->rows[r].clauses.size() <= 8;
  }
  const size_t size = frame_->size();
  const auto untyped = static_cast<uint64_t>(Outcome::kUntyped);

  for (size_t chunk = begin_chunk; chunk < end_chunk; ++chunk) {
    size_t begin = chunk * kChunk;
    size_t n = std::min(kChunk, size - begin);
    size_t words = WordsFor(n);
    uint64_t valid[kWords];
    for (size_t w = 0; w < words; ++w) {
      size_t left = n - w * 64;
      valid[w] = left >= 64 ? ~uint64_t{0} : ((uint64_t{1} << left) - 1);
    }
    // Which households use which parameter group.
    std::fill(group_mask.begin(), group_mask.end(), 0);
    if (groups_.size() == 1 || !region_) {
      std::copy(valid, valid + words, group_mask.begin());
    } else {
      for (size_t i = 0; i < n; ++i) {
        size_t g = region_group_[static_cast<size_t>(region_->ints.Get(begin + i))];
        group_mask[g * kWords + i / 64] |= uint64_t{1} << (i % 64);
      }
    }
    std::fill(hits.begin(), hits.end(), 0);
    std::fill(unknown_hits.begin(), unknown_hits.end(), 0);
    std::vector<bool> evaluated(rows, false);
    for (size_t g = 0; g < groups_.size(); ++g) {
      uint64_t undecided[kWords];
      bool any = false;
      for (size_t w = 0; w < words; ++w) {
        undecided[w] = group_mask[g * kWords + w];
        any |= undecided[w] != 0;
      }
      if (!any) continue;
      const Group& group = groups_[g];
      for (size_t r = 0; r < rows && any; ++r) {
        const std::vector<Program>& clauses = group.clauses[r];
        uint64_t t[kWords], f[kWords];
        std::fill(t, t + words, ~uint64_t{0});
        std::fill(f, f + words, uint64_t{0});
        for (size_t j = 0; j < clauses.size(); ++j) {
          TruthChunk& c = truths[r][j];
          if (groups_.size() == 1) {
            clauses[j].Eval(begin, n, c, ws);
          } else {  // keep other groups' households' truths: merge this group's in
            TruthChunk tmp;
            clauses[j].Eval(begin, n, tmp, ws);
            for (size_t w = 0; w < words; ++w) {
              uint64_t m = group_mask[g * kWords + w];
              uint64_t keep = evaluated[r] ? ~m : 0;
              c.t[w] = (c.t[w] & keep) | (tmp.t[w] & m);
              c.f[w] = (c.f[w] & keep) | (tmp.f[w] & m);
            }
          }
          for (size_t w = 0; w < words; ++w) {
            t[w] &= c.t[w];
            f[w] |= c.f[w];
          }
        }
        evaluated[r] = true;
        bool exclusion = row_outcome[r] == static_cast<int>(Outcome::kUntyped);
        any = false;
        for (size_t w = 0; w < words; ++w) {
          uint64_t hit = undecided[w] & (exclusion ? ~f[w] : t[w]);
          undecided[w] &= ~hit;
          any |= undecided[w] != 0;
          hits[r * kWords + w] |= hit;
          if (exclusion) unknown_hits[r * kWords + w] |= hit & ~t[w];
        }
      }
      for (size_t w = 0; w < words; ++w) hits[rows * kWords + w] |= undecided[w];
    }
    // Results, 64 households at a time: row, outcome and the reason masks as byte lanes.
    for (size_t w = 0; w < words; ++w) {
      uint64_t row_lanes[8] = {}, outcome_lanes[8] = {}, failed_lanes[8] = {},
               unknown_lanes[8] = {};
      uint64_t none = hits[rows * kWords + w];
      row_counts[rows] += __builtin_popcountll(none);
      SpreadAdd(none, 0xFF, row_lanes);  // row −1
      SpreadAdd(none, untyped, outcome_lanes);
      for (size_t r = 0; r < rows; ++r) {
        uint64_t hit = hits[r * kWords + w];
        if (!hit) continue;
        row_counts[r] += __builtin_popcountll(hit);
        SpreadAdd(hit, r, row_lanes);
        SpreadAdd(hit, static_cast<uint64_t>(row_outcome[r]), outcome_lanes);
        if (!narrow) continue;
        int h = higher_[r];
        bool exclusion = row_outcome[r] == static_cast<int>(Outcome::kUntyped);
        uint64_t who = exclusion ? unknown_hits[r * kWords + w] : hit;
        if (!who || (!exclusion && h < 0)) continue;
        const std::vector<TruthChunk>& ct = truths[exclusion ? r : static_cast<size_t>(h)];
        for (size_t j = 0; j < ct.size(); ++j) {
          uint64_t ft = ct[j].f[w], tt = ct[j].t[w];
          if (!exclusion) SpreadAdd(ft & who, uint64_t{1} << j, failed_lanes);
          SpreadAdd(~(ft | tt) & who, uint64_t{1} << j, unknown_lanes);
        }
      }
      size_t base = begin + w * 64;
      size_t count = std::min<size_t>(64, n - w * 64);
      uint8_t rb[64], ob[64], fb[64], ub[64];
      std::memcpy(rb, row_lanes, 64);
      std::memcpy(ob, outcome_lanes, 64);
      std::memcpy(fb, failed_lanes, 64);
      std::memcpy(ub, unknown_lanes, 64);
      std::memcpy(out.row.data() + base, rb, count);
      std::memcpy(out.outcome.data() + base, ob, count);
      for (size_t k = 0; k < count; ++k) {
        out.failed[base + k] = fb[k];
        out.unknown[base + k] = ub[k];
      }
      if (!narrow) WideMasks(w, begin, count, hits, unknown_hits, truths, out);
    }
  }
}

// The reason masks one household at a time, for rule sets with rows of more than 8 clauses.
void Tiering::WideMasks(size_t w, size_t begin, size_t count, const std::vector<uint64_t>& hits,
                        const std::vector<uint64_t>& unknown_hits,
                        const std::vector<std::vector<TruthChunk>>& truths,
                        TierResults& out) const {
  const size_t rows = set_->rows.size();
  for (size_t r = 0; r < rows; ++r) {
    bool exclusion = set_->rows[r].outcome == Outcome::kUntyped;
    int h = higher_[r];
    uint64_t who = exclusion ? unknown_hits[r * kWords + w] : hits[r * kWords + w];
    if (!exclusion && h < 0) continue;
    const std::vector<TruthChunk>& ct = truths[exclusion ? r : static_cast<size_t>(h)];
    while (who) {
      int bit = __builtin_ctzll(who);
      who &= who - 1;
      if (static_cast<size_t>(bit) >= count) break;
      uint32_t failed = 0, unknown = 0;
      for (size_t j = 0; j < ct.size(); ++j) {
        bool ft = (ct[j].f[w] >> bit) & 1, tt = (ct[j].t[w] >> bit) & 1;
        if (ft && !exclusion) failed |= 1u << j;
        if (!ft && !tt) unknown |= 1u << j;
      }
      size_t i = begin + w * 64 + static_cast<size_t>(bit);
      out.failed[i] = failed;
      out.unknown[i] = unknown;
    }
  }
}

}  // namespace getihu::engine
