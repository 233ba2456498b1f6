#include "engine/program.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "domain/household.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace getihu::engine {

using rules::Node;
using rules::NodeKind;
using rules::Op;
using VT = rules::ValueType;

struct IntChunk {
  int64_t v[kChunk];
  uint64_t known[kWords];
};

struct Workspace::Buffers {
  TruthChunk truth;
  IntChunk ints[2];
  uint8_t bytes[kChunk];
};

Workspace::Workspace() = default;
Workspace::~Workspace() = default;

Workspace::Buffers& Workspace::At(int depth) {
  auto d = static_cast<size_t>(depth);
  while (levels_.size() <= d) levels_.push_back(std::make_unique<Buffers>());
  return *levels_[d];
}

namespace internal {
namespace {

size_t WordsFor(size_t n) { return (n + 63) / 64; }

// Packs n bytes (each 0 or 1) into bits.
void PackBytes(const uint8_t* bytes, size_t n, uint64_t* words) {
  size_t w = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  for (; i + 64 <= n; i += 64, ++w) {
    auto m = [&](size_t k) -> uint64_t {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + i + k));
      return static_cast<uint64_t>(
          static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpgt_epi8(x, zero))));
    };
    words[w] = m(0) | (m(16) << 16) | (m(32) << 32) | (m(48) << 48);
  }
#endif
  for (; i < n; i += 64, ++w) {
    uint64_t word = 0;
    for (size_t k = 0; k < 64 && i + k < n; ++k) word |= static_cast<uint64_t>(bytes[i + k]) << k;
    words[w] = word;
  }
}

// The known bits of a column for [begin, begin + n), begin % 64 == 0.
void LoadKnown(const Column& c, size_t begin, size_t n, uint64_t* out) {
  size_t words = WordsFor(n);
  if (c.known.empty()) {
    std::fill(out, out + words, ~uint64_t{0});
  } else {
    std::memcpy(out, c.known.data() + begin / 64, words * 8);
  }
}

template <typename T>
const T* ColumnData(const Column& c) {
  return static_cast<const T*>(c.ints.data());
}

// Calls fn(const T* data) with the column's packed values typed by width and signedness.
template <typename Fn>
void WithColumn(const Column& c, Fn&& fn) {
  bool s = c.ints.is_signed();
  switch (c.ints.width()) {
    case 1:
      return s ? fn(ColumnData<int8_t>(c)) : fn(ColumnData<uint8_t>(c));
    case 2:
      return s ? fn(ColumnData<int16_t>(c)) : fn(ColumnData<uint16_t>(c));
    case 4:
      return s ? fn(ColumnData<int32_t>(c)) : fn(ColumnData<uint32_t>(c));
    default:
      return fn(ColumnData<int64_t>(c));
  }
}

template <typename T, typename Cmp>
void CompareLoop(const T* data, size_t n, T c, uint8_t* out, Cmp cmp) {
  for (size_t i = 0; i < n; ++i) out[i] = cmp(data[i], c) ? 1 : 0;
}

// out[i] = (data[i] OP c) for a constant already converted to the column's range.
template <typename T>
void CompareConst(const T* data, size_t n, Op op, T c, uint8_t* out) {
  switch (op) {
    case Op::kEq:
      return CompareLoop(data, n, c, out, [](T a, T b) { return a == b; });
    case Op::kNe:
      return CompareLoop(data, n, c, out, [](T a, T b) { return a != b; });
    case Op::kLt:
      return CompareLoop(data, n, c, out, [](T a, T b) { return a < b; });
    case Op::kLe:
      return CompareLoop(data, n, c, out, [](T a, T b) { return a <= b; });
    case Op::kGt:
      return CompareLoop(data, n, c, out, [](T a, T b) { return a > b; });
    default:
      return CompareLoop(data, n, c, out, [](T a, T b) { return a >= b; });
  }
}

bool CompareScalar(Op op, int64_t a, int64_t b) {
  switch (op) {
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    default:
      return a >= b;
  }
}

Op Flip(Op op) {
  switch (op) {
    case Op::kLt:
      return Op::kGt;
    case Op::kLe:
      return Op::kGe;
    case Op::kGt:
      return Op::kLt;
    case Op::kGe:
      return Op::kLe;
    default:
      return op;
  }
}

// Sets t/f from a byte mask of results and the known bits: t = r & k, f = ~r & k.
void Finish(const uint8_t* bytes, size_t n, const uint64_t* known, TruthChunk& out) {
  PackBytes(bytes, n, out.t);
  for (size_t w = 0; w < WordsFor(n); ++w) {
    uint64_t r = out.t[w];
    out.t[w] = r & known[w];
    out.f[w] = ~r & known[w];
  }
}

}  // namespace

class IntOp {
 public:
  virtual ~IntOp() = default;
  virtual void Eval(size_t begin, size_t n, IntChunk& out, Workspace& ws, int depth) const = 0;
};

class BoolOp {
 public:
  virtual ~BoolOp() = default;
  virtual void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws, int depth) const = 0;
};

namespace {

using IntPtr = std::unique_ptr<IntOp>;
using BoolPtr = std::unique_ptr<BoolOp>;

class BoolConst : public BoolOp {
 public:
  explicit BoolConst(Truth t) : t_(t) {}
  void Eval(size_t, size_t n, TruthChunk& out, Workspace&, int) const override {
    uint64_t t = t_ == Truth::kTrue ? ~uint64_t{0} : 0, f = t_ == Truth::kFalse ? ~uint64_t{0} : 0;
    for (size_t w = 0; w < WordsFor(n); ++w) {
      out.t[w] = t;
      out.f[w] = f;
    }
  }

 private:
  Truth t_;
};

class BoolColumn : public BoolOp {
 public:
  explicit BoolColumn(const Column& c) : c_(c) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace&, int) const override {
    LoadKnown(c_, begin, n, out.f);
    const uint64_t* bits = c_.bits.data() + begin / 64;
    for (size_t w = 0; w < WordsFor(n); ++w) {
      uint64_t k = out.f[w];
      out.t[w] = bits[w] & k;
      out.f[w] = ~bits[w] & k;
    }
  }

 private:
  const Column& c_;
};

class IsMissing : public BoolOp {
 public:
  explicit IsMissing(const Column& c) : c_(c) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace&, int) const override {
    LoadKnown(c_, begin, n, out.f);
    for (size_t w = 0; w < WordsFor(n); ++w) out.t[w] = ~out.f[w];
  }

 private:
  const Column& c_;
};

// column OP constant, fused over the packed column.
class CompareColumnConst : public BoolOp {
 public:
  CompareColumnConst(const Column& c, Op op, int64_t value) : c_(c), op_(op), value_(value) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws, int depth) const override {
    uint8_t* bytes = ws.At(depth).bytes;
    WithColumn(c_, [&](const auto* data) {
      using T = std::remove_cv_t<std::remove_pointer_t<decltype(data)>>;
      Run<T>(data + begin, n, bytes);
    });
    uint64_t* known = ws.At(depth).ints[0].known;
    LoadKnown(c_, begin, n, known);
    Finish(bytes, n, known, out);
  }

 private:
  // Compares in T's range: a constant outside it decides every comparison at once.
  template <typename T>
  void Run(const T* data, size_t n, uint8_t* bytes) const {
    auto lo = static_cast<int64_t>(std::numeric_limits<T>::min());
    auto hi = static_cast<int64_t>(std::numeric_limits<T>::max());
    if (value_ < lo || value_ > hi) {
      // Every stored value lies on one side of the constant.
      bool all = CompareScalar(op_, value_ < lo ? hi : lo, value_);
      std::memset(bytes, all ? 1 : 0, n);
      return;
    }
    CompareConst<T>(data, n, op_, static_cast<T>(value_), bytes);
  }

  const Column& c_;
  Op op_;
  int64_t value_;
};

// A code column compared by a table over its dictionary (==, !=, in with a constant set).
class CodeLookup : public BoolOp {
 public:
  CodeLookup(const Column& c, std::vector<uint8_t> lut) : c_(c), lut_(std::move(lut)) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws, int depth) const override {
    uint8_t* bytes = ws.At(depth).bytes;
    const uint8_t* lut = lut_.data();
    WithColumn(c_, [&](const auto* data) {
      for (size_t i = 0; i < n; ++i) bytes[i] = lut[static_cast<size_t>(data[begin + i])];
    });
    uint64_t* known = ws.At(depth).ints[0].known;
    LoadKnown(c_, begin, n, known);
    Finish(bytes, n, known, out);
  }

 private:
  const Column& c_;
  std::vector<uint8_t> lut_;
};

// A constant honour kind `in honours`.
class HonourHas : public BoolOp {
 public:
  HonourHas(const Column& c, int bit) : c_(c), bit_(bit) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws, int depth) const override {
    uint8_t* bytes = ws.At(depth).bytes;
    WithColumn(c_, [&](const auto* data) {
      for (size_t i = 0; i < n; ++i) {
        bytes[i] = bit_ < 0
                       ? 0
                       : static_cast<uint8_t>((static_cast<uint64_t>(data[begin + i]) >> bit_) & 1);
      }
    });
    uint64_t* known = ws.At(depth).ints[0].known;
    LoadKnown(c_, begin, n, known);
    Finish(bytes, n, known, out);
  }

 private:
  const Column& c_;
  int bit_;
};

// Row-by-row fallback for the rare shapes: code field against code field, a code field `in
// honours`. Uses the scalar evaluator on the node.
class RowByRow : public BoolOp {
 public:
  RowByRow(const Node& node, const Frame& frame, const Params& params, base::Date as_of)
      : node_(node), frame_(frame), params_(params), as_of_(as_of) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace&, int) const override {
    std::fill(out.t, out.t + WordsFor(n), 0);
    std::fill(out.f, out.f + WordsFor(n), 0);
    ScalarContext ctx{&frame_, 0, &params_, as_of_};
    for (size_t i = 0; i < n; ++i) {
      ctx.row = begin + i;
      Truth t = EvalScalar(node_, ctx).truth();
      if (t == Truth::kTrue) out.t[i / 64] |= uint64_t{1} << (i % 64);
      if (t == Truth::kFalse) out.f[i / 64] |= uint64_t{1} << (i % 64);
    }
  }

 private:
  const Node& node_;
  const Frame& frame_;
  Params params_;
  base::Date as_of_;
};

class Not : public BoolOp {
 public:
  explicit Not(BoolPtr a) : a_(std::move(a)) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws, int depth) const override {
    a_->Eval(begin, n, out, ws, depth + 1);
    for (size_t w = 0; w < WordsFor(n); ++w) std::swap(out.t[w], out.f[w]);
  }

 private:
  BoolPtr a_;
};

// n-ary && or || (Kleene): and: t = ∧t, f = ∨f; or: t = ∨t, f = ∧f.
class Junction : public BoolOp {
 public:
  Junction(bool is_and, std::vector<BoolPtr> parts) : and_(is_and), parts_(std::move(parts)) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws, int depth) const override {
    parts_[0]->Eval(begin, n, out, ws, depth + 1);
    TruthChunk& tmp = ws.At(depth).truth;
    size_t words = WordsFor(n);
    for (size_t p = 1; p < parts_.size(); ++p) {
      parts_[p]->Eval(begin, n, tmp, ws, depth + 1);
      for (size_t w = 0; w < words; ++w) {
        if (and_) {
          out.t[w] &= tmp.t[w];
          out.f[w] |= tmp.f[w];
        } else {
          out.t[w] |= tmp.t[w];
          out.f[w] &= tmp.f[w];
        }
      }
    }
  }

 private:
  bool and_;
  std::vector<BoolPtr> parts_;
};

// ---- integer-valued (int, money, date) expressions ----

class IntConst : public IntOp {
 public:
  explicit IntConst(const Value& v) : known_(v.known), value_(v.i) {}
  void Eval(size_t, size_t n, IntChunk& out, Workspace&, int) const override {
    std::fill(out.v, out.v + n, value_);
    std::fill(out.known, out.known + WordsFor(n), known_ ? ~uint64_t{0} : 0);
  }

 private:
  bool known_;
  int64_t value_;
};

class IntColumn : public IntOp {
 public:
  explicit IntColumn(const Column& c) : c_(c) {}
  void Eval(size_t begin, size_t n, IntChunk& out, Workspace&, int) const override {
    WithColumn(c_, [&](const auto* data) {
      for (size_t i = 0; i < n; ++i) out.v[i] = static_cast<int64_t>(data[begin + i]);
    });
    LoadKnown(c_, begin, n, out.known);
  }

 private:
  const Column& c_;
};

// Arithmetic and the numeric functions; overflow and division by zero give unknown.
class IntCompute : public IntOp {
 public:
  IntCompute(std::string fn, Op op, std::vector<IntPtr> args)
      : fn_(std::move(fn)), op_(op), args_(std::move(args)) {}
  void Eval(size_t begin, size_t n, IntChunk& out, Workspace& ws, int depth) const override {
    args_[0]->Eval(begin, n, out, ws, depth + 1);
    IntChunk* b = nullptr;
    if (args_.size() > 1) {
      b = &ws.At(depth).ints[1];
      args_[1]->Eval(begin, n, *b, ws, depth + 1);
      for (size_t w = 0; w < WordsFor(n); ++w) out.known[w] &= b->known[w];
    }
    for (size_t i = 0; i < n; ++i) {
      int64_t a = out.v[i], r = 0;
      int64_t y = b ? b->v[i] : 0;
      bool bad = false;
      if (fn_.empty()) {
        switch (op_) {
          case Op::kNeg:
            bad = a == INT64_MIN;
            r = bad ? 0 : -a;
            break;
          case Op::kAdd:
            bad = __builtin_add_overflow(a, y, &r);
            break;
          case Op::kSub:
            bad = __builtin_sub_overflow(a, y, &r);
            break;
          case Op::kMul:
            bad = __builtin_mul_overflow(a, y, &r);
            break;
          default:  // kDiv
            bad = y == 0 || (a == INT64_MIN && y == -1);
            r = bad ? 0 : a / y;
        }
      } else if (fn_ == "abs") {
        bad = a == INT64_MIN;
        r = bad ? 0 : (a < 0 ? -a : a);
      } else if (fn_ == "min") {
        r = std::min(a, y);
      } else if (fn_ == "max") {
        r = std::max(a, y);
      } else if (fn_ == "days_between") {
        r = y - a;
      } else {
        auto da = base::Date::FromDays(static_cast<int32_t>(a));
        auto db = base::Date::FromDays(static_cast<int32_t>(y));
        bool in_range = a > -30000000 && a < 30000000 && y > -30000000 && y < 30000000;
        bad = !in_range;
        if (in_range) {
          r = fn_ == "months_between" ? base::Date::MonthsBetween(da, db)
                                      : base::Date::YearsBetween(da, db);
        }
      }
      out.v[i] = r;
      if (bad) out.known[i / 64] &= ~(uint64_t{1} << (i % 64));
    }
  }

 private:
  std::string fn_;  // "" for an operator
  Op op_;
  std::vector<IntPtr> args_;
};

class CompareInts : public BoolOp {
 public:
  CompareInts(Op op, IntPtr a, IntPtr b) : op_(op), a_(std::move(a)), b_(std::move(b)) {}
  void Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws, int depth) const override {
    a_->Eval(begin, n, ws.At(depth).ints[0], ws, depth + 1);
    b_->Eval(begin, n, ws.At(depth).ints[1], ws, depth + 1);
    Workspace::Buffers& buf = ws.At(depth);  // At() may have grown the levels: look again
    const IntChunk& a = buf.ints[0];
    const IntChunk& b = buf.ints[1];
    uint8_t* bytes = buf.bytes;
    for (size_t i = 0; i < n; ++i) bytes[i] = CompareScalar(op_, a.v[i], b.v[i]) ? 1 : 0;
    uint64_t known[kWords];
    for (size_t w = 0; w < WordsFor(n); ++w) known[w] = a.known[w] & b.known[w];
    Finish(bytes, n, known, out);
  }

 private:
  Op op_;
  IntPtr a_, b_;
};

// ---- compilation ----

class Compiler {
 public:
  Compiler(const Frame& frame, const Params& params, base::Date as_of)
      : frame_(frame), params_(params), as_of_(as_of) {}

  base::Result<BoolPtr> Bool(const Node& n) {
    if (IsConstant(n)) return std::make_unique<BoolConst>(Fold(n).truth());
    switch (n.kind) {
      case NodeKind::kField: {
        GETIHU_ASSIGN_OR_RETURN(const Column* c, ColumnOf(n));
        return std::make_unique<BoolColumn>(*c);
      }
      case NodeKind::kUnary: {
        GETIHU_ASSIGN_OR_RETURN(BoolPtr a, Bool(*n.children[0]));
        return std::make_unique<Not>(std::move(a));
      }
      case NodeKind::kCall: {  // is_missing (the only boolean function)
        GETIHU_ASSIGN_OR_RETURN(const Column* c, ColumnOf(*n.children[0]));
        return std::make_unique<IsMissing>(*c);
      }
      case NodeKind::kBinary:
        break;
      default:
        return base::InvalidArgument("内部错误：无法编译的布尔表达式");
    }
    if (n.op == Op::kAnd || n.op == Op::kOr) {
      std::vector<const Node*> parts;
      Flatten(n, n.op, parts);
      std::vector<BoolPtr> ops;
      for (const Node* p : parts) {
        GETIHU_ASSIGN_OR_RETURN(BoolPtr op, Bool(*p));
        ops.push_back(std::move(op));
      }
      return std::make_unique<Junction>(n.op == Op::kAnd, std::move(ops));
    }
    const Node& a = *n.children[0];
    const Node& b = *n.children[1];
    if (n.op == Op::kIn) return In(n, a, b);
    bool textual = a.type == VT::kCode || a.type == VT::kText;
    if (textual) return TextCompare(n, a, b);
    if (a.type == VT::kBool) {  // bool == bool: (a && b) || (!a && !b), via integers
      GETIHU_ASSIGN_OR_RETURN(IntPtr ia, BoolAsInt(a));
      GETIHU_ASSIGN_OR_RETURN(IntPtr ib, BoolAsInt(b));
      return std::make_unique<CompareInts>(n.op, std::move(ia), std::move(ib));
    }
    // Numeric: fuse a column with a constant.
    if (a.kind == NodeKind::kField && IsConstant(b)) return ColumnConst(a, n.op, Fold(b));
    if (b.kind == NodeKind::kField && IsConstant(a)) return ColumnConst(b, Flip(n.op), Fold(a));
    GETIHU_ASSIGN_OR_RETURN(IntPtr ia, Int(a));
    GETIHU_ASSIGN_OR_RETURN(IntPtr ib, Int(b));
    return std::make_unique<CompareInts>(n.op, std::move(ia), std::move(ib));
  }

 private:
  Value Fold(const Node& n) const {
    ScalarContext ctx{nullptr, 0, &params_, as_of_};
    return EvalScalar(n, ctx);
  }

  base::Result<const Column*> ColumnOf(const Node& field) const {
    const Column* c = frame_.Find(field.text);
    if (!c) {
      return base::InvalidArgument("字段“" + field.text + "”不能用于批量判定（它是户的标识）");
    }
    return c;
  }

  static void Flatten(const Node& n, Op op, std::vector<const Node*>& out) {
    if (n.kind == NodeKind::kBinary && n.op == op) {
      Flatten(*n.children[0], op, out);
      Flatten(*n.children[1], op, out);
    } else {
      out.push_back(&n);
    }
  }

  base::Result<BoolPtr> ColumnConst(const Node& field, Op op, const Value& c) {
    GETIHU_ASSIGN_OR_RETURN(const Column* col, ColumnOf(field));
    if (!c.known) return std::make_unique<BoolConst>(Truth::kUnknown);
    return std::make_unique<CompareColumnConst>(*col, op, c.i);
  }

  base::Result<BoolPtr> TextCompare(const Node& n, const Node& a, const Node& b) {
    bool a_const = IsConstant(a), b_const = IsConstant(b);
    if (!a_const && !b_const) return std::make_unique<RowByRow>(n, frame_, params_, as_of_);
    const Node& field = a_const ? b : a;
    Value c = Fold(a_const ? a : b);
    if (!c.known) return std::make_unique<BoolConst>(Truth::kUnknown);
    GETIHU_ASSIGN_OR_RETURN(const Column* col, ColumnOf(field));
    std::vector<uint8_t> lut;
    for (const std::string& code : col->dictionary) {
      bool eq = code == c.text;
      lut.push_back((n.op == Op::kEq) == eq ? 1 : 0);
    }
    return std::make_unique<CodeLookup>(*col, std::move(lut));
  }

  base::Result<BoolPtr> In(const Node& n, const Node& a, const Node& b) {
    bool a_const = IsConstant(a), b_const = IsConstant(b);
    if (!a_const && b_const) {  // code field in a constant set
      Value set = Fold(b);
      if (!set.known) return std::make_unique<BoolConst>(Truth::kUnknown);
      GETIHU_ASSIGN_OR_RETURN(const Column* col, ColumnOf(a));
      std::vector<uint8_t> lut;
      Value x;
      x.type = a.type;
      for (const std::string& code : col->dictionary) {
        bool hit = false;
        for (const std::string& item : set.items) {
          bool m = a.type == VT::kCode
                       ? code.size() >= item.size() && code.compare(0, item.size(), item) == 0
                       : code == item;
          if (m) {
            hit = true;
            break;
          }
        }
        lut.push_back(hit ? 1 : 0);
      }
      return std::make_unique<CodeLookup>(*col, std::move(lut));
    }
    if (a_const && !b_const) {  // constant in the honours field
      Value x = Fold(a);
      if (!x.known) return std::make_unique<BoolConst>(Truth::kUnknown);
      GETIHU_ASSIGN_OR_RETURN(const Column* col, ColumnOf(b));
      auto kind = domain::ParseHonourKindCode(x.text);
      return std::make_unique<HonourHas>(*col, kind ? static_cast<int>(*kind) : -1);
    }
    return std::make_unique<RowByRow>(n, frame_, params_, as_of_);
  }

  base::Result<IntPtr> BoolAsInt(const Node& n) {
    // A boolean as 0/1 with its known bits: evaluate it as a truth and convert.
    GETIHU_ASSIGN_OR_RETURN(BoolPtr b, Bool(n));
    class FromBool : public IntOp {
     public:
      explicit FromBool(BoolPtr b) : b_(std::move(b)) {}
      void Eval(size_t begin, size_t n, IntChunk& out, Workspace& ws, int depth) const override {
        TruthChunk& t = ws.At(depth).truth;
        b_->Eval(begin, n, t, ws, depth + 1);
        for (size_t i = 0; i < n; ++i)
          out.v[i] = static_cast<int64_t>((t.t[i / 64] >> (i % 64)) & 1);
        for (size_t w = 0; w < WordsFor(n); ++w) out.known[w] = t.t[w] | t.f[w];
      }

     private:
      BoolPtr b_;
    };
    return std::make_unique<FromBool>(std::move(b));
  }

  base::Result<IntPtr> Int(const Node& n) {
    if (IsConstant(n)) return std::make_unique<IntConst>(Fold(n));
    switch (n.kind) {
      case NodeKind::kField: {
        GETIHU_ASSIGN_OR_RETURN(const Column* c, ColumnOf(n));
        return std::make_unique<IntColumn>(*c);
      }
      case NodeKind::kUnary:
      case NodeKind::kBinary:
      case NodeKind::kCall: {
        std::vector<IntPtr> args;
        for (const auto& c : n.children) {
          GETIHU_ASSIGN_OR_RETURN(IntPtr a, Int(*c));
          args.push_back(std::move(a));
        }
        std::string fn = n.kind == NodeKind::kCall ? n.text : "";
        if (fn == "today") return base::InvalidArgument("内部错误：today() 应已折叠");
        return std::make_unique<IntCompute>(fn, n.op, std::move(args));
      }
      default:
        return base::InvalidArgument("内部错误：无法编译的数值表达式");
    }
  }

  const Frame& frame_;
  const Params& params_;
  base::Date as_of_;
};

}  // namespace
}  // namespace internal

base::Result<Program> Program::Compile(const rules::Node& root, const Frame& frame,
                                       const Params& params, base::Date as_of) {
  if (root.type != VT::kBool) return base::InvalidArgument("规则的结果必须是布尔值");
  internal::Compiler compiler(frame, params, as_of);
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<internal::BoolOp> op, compiler.Bool(root));
  Program p;
  p.root_ = std::move(op);
  p.frame_ = &frame;
  return p;
}

void Program::Eval(size_t begin, size_t n, TruthChunk& out, Workspace& ws) const {
  root_->Eval(begin, n, out, ws, 0);
}

std::vector<Truth> Program::EvalAll() const {
  std::vector<Truth> out(frame_->size());
  Workspace ws;
  TruthChunk chunk;
  for (size_t begin = 0; begin < out.size(); begin += kChunk) {
    size_t n = std::min(kChunk, out.size() - begin);
    Eval(begin, n, chunk, ws);
    for (size_t i = 0; i < n; ++i) {
      bool t = (chunk.t[i / 64] >> (i % 64)) & 1, f = (chunk.f[i / 64] >> (i % 64)) & 1;
      out[begin + i] = t ? Truth::kTrue : f ? Truth::kFalse : Truth::kUnknown;
    }
  }
  return out;
}

}  // namespace getihu::engine
