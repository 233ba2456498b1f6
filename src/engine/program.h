// The vector evaluator: a checked boolean rule compiled against one frame, one set of
// parameter values and one as-of date, then run over the frame in chunks of kChunk
// households. Each chunk's result is two bit maps, "true" and "false"; a household in
// neither is unknown (Kleene logic, the same meaning as scalar_eval.h, which the tests hold it
// to). Comparisons of a column with a constant run as one fused loop over the packed column;
// constant subtrees are folded at compile time. A Program is immutable and thread-safe; each
// thread passes its own Workspace.
#ifndef GETIHU_ENGINE_PROGRAM_H_
#define GETIHU_ENGINE_PROGRAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "engine/frame.h"
#include "engine/scalar_eval.h"
#include "rules/ast.h"

namespace getihu::engine {

inline constexpr size_t kChunk = 4096;  // households per chunk (fits L1/L2 with its buffers)
inline constexpr size_t kWords = kChunk / 64;

struct TruthChunk {
  uint64_t t[kWords];  // bit set: the rule is true for the household
  uint64_t f[kWords];  // bit set: false; neither: unknown
};

// Per-thread scratch buffers, grown on demand by expression depth.
class Workspace {
 public:
  Workspace();
  ~Workspace();
  struct Buffers;
  Buffers& At(int depth);

 private:
  std::vector<std::unique_ptr<Buffers>> levels_;
};

namespace internal {
class BoolOp;
}

class Program {
 public:
  // Compiles `root` (a checked boolean rule). InvalidArgument when the rule reads a field the
  // frame does not hold (the keys `uscc` and `household_id`).
  static base::Result<Program> Compile(const rules::Node& root, const Frame& frame,
                                       const Params& params, base::Date as_of);

  // Evaluates households [begin, begin + n). REQUIRES: begin % 64 == 0, 0 < n <= kChunk,
  // begin + n <= frame size. Bits at positions >= n are unspecified.
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws) const;

  // Convenience for tests and small frames: the truth for every household.
  std::vector<Truth> EvalAll() const;

 private:
  std::shared_ptr<const internal::BoolOp> root_;
  const Frame* frame_ = nullptr;
};

}  // namespace getihu::engine

#endif  // GETIHU_ENGINE_PROGRAM_H_
