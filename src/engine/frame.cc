#include "engine/frame.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace getihu::engine {
namespace {

using domain::HouseholdProfile;
using domain::ProfileType;

template <typename T>
T Load(const uint8_t* p, size_t i) {
  T v;
  std::memcpy(&v, p + i * sizeof(T), sizeof(T));
  return v;
}

int WidthFor(int64_t v, bool is_signed) {
  if (is_signed) {
    if (v >= std::numeric_limits<int8_t>::min() && v <= std::numeric_limits<int8_t>::max())
      return 1;
    if (v >= std::numeric_limits<int16_t>::min() && v <= std::numeric_limits<int16_t>::max())
      return 2;
    if (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max())
      return 4;
    return 8;
  }
  if (v <= std::numeric_limits<uint8_t>::max()) return 1;
  if (v <= std::numeric_limits<uint16_t>::max()) return 2;
  if (v <= std::numeric_limits<uint32_t>::max()) return 4;
  return 8;
}

void Store(uint8_t* p, int width, bool is_signed, int64_t v) {
  switch (width) {
    case 1: {
      uint8_t b =
          is_signed ? static_cast<uint8_t>(static_cast<int8_t>(v)) : static_cast<uint8_t>(v);
      std::memcpy(p, &b, 1);
      return;
    }
    case 2: {
      uint16_t b =
          is_signed ? static_cast<uint16_t>(static_cast<int16_t>(v)) : static_cast<uint16_t>(v);
      std::memcpy(p, &b, 2);
      return;
    }
    case 4: {
      uint32_t b =
          is_signed ? static_cast<uint32_t>(static_cast<int32_t>(v)) : static_cast<uint32_t>(v);
      std::memcpy(p, &b, 4);
      return;
    }
    default:
      std::memcpy(p, &v, 8);
  }
}

void AppendBit(BitMap& bits, size_t i, bool v) {
  if ((i & 63) == 0) bits.push_back(0);
  if (v) bits.back() |= uint64_t{1} << (i & 63);
}

// One field's value in a profile.
struct FieldValue {
  bool known = true;
  int64_t value = 0;
  std::string_view code;
};

template <typename T>
FieldValue Opt(const std::optional<T>& v) {
  if (!v) return {false, 0, {}};
  if constexpr (std::is_same_v<T, base::Money>) {
    return {true, v->fen(), {}};
  } else {
    return {true, static_cast<int64_t>(*v), {}};
  }
}

// The fields a frame holds, in the order of kFrameFields; Extract switches on the index.
constexpr std::string_view kFrameFields[] = {
    "status",
    "months_in_business",
    "years_in_business",
    "region",
    "township",
    "industry",
    "section",
    "sector",
    "online",
    "annual_report_filed",
    "revenue_prev",
    "tax_paid_prev",
    "employees",
    "insured_employees",
    "housing_fund_payers",
    "trademarks",
    "patents",
    "honours",
    "abnormal_now",
    "unrepaired_penalty_12m",
    "dishonest_debtor",
    "safety_accident_12m",
    "first_loan",
    "veteran",
    "graduation_year",
    "employment_difficulty",
    "poverty_alleviated",
    "returning_migrant",
    "disabled",
    "registered_before_year",
    "credit_clean",
};

int FrameFieldIndex(std::string_view name) {
  for (size_t i = 0; i < std::size(kFrameFields); ++i) {
    if (kFrameFields[i] == name) return static_cast<int>(i);
  }
  return -1;
}

FieldValue Extract(int field, const HouseholdProfile& p) {
  auto code = [](const std::string& s) { return FieldValue{!s.empty(), 0, s}; };
  auto val = [](int64_t v) { return FieldValue{true, v, {}}; };
  switch (field) {
    case 0:  // status
      return code(p.status);
    case 1:  // months_in_business
      return val(p.months_in_business);
    case 2:  // years_in_business
      return val(p.years_in_business);
    case 3:  // region
      return code(p.region);
    case 4:  // township
      return code(p.township);
    case 5:  // industry
      return code(p.industry);
    case 6:  // section
      return code(p.section);
    case 7:  // sector
      return p.sector == 0 ? FieldValue{false, 0, {}} : val(p.sector);
    case 8:  // online
      return val(p.online);
    case 9:  // annual_report_filed
      return val(p.annual_report_filed);
    case 10:  // revenue_prev
      return Opt(p.revenue_prev);
    case 11:  // tax_paid_prev
      return Opt(p.tax_paid_prev);
    case 12:  // employees
      return Opt(p.employees);
    case 13:  // insured_employees
      return Opt(p.insured_employees);
    case 14:  // housing_fund_payers
      return Opt(p.housing_fund_payers);
    case 15:  // trademarks
      return val(p.trademarks);
    case 16:  // patents
      return val(p.patents);
    case 17:  // honours
      return val(p.honours);
    case 18:  // abnormal_now
      return val(p.abnormal_now);
    case 19:  // unrepaired_penalty_12m
      return val(p.unrepaired_penalty_12m);
    case 20:  // dishonest_debtor
      return val(p.dishonest_debtor);
    case 21:  // safety_accident_12m
      return val(p.safety_accident_12m);
    case 22:  // first_loan
      return val(p.first_loan);
    case 23:  // veteran
      return Opt(p.veteran);
    case 24:  // graduation_year
      return Opt(p.graduation_year);
    case 25:  // employment_difficulty
      return Opt(p.employment_difficulty);
    case 26:  // poverty_alleviated
      return Opt(p.poverty_alleviated);
    case 27:  // returning_migrant
      return Opt(p.returning_migrant);
    case 28:  // disabled
      return Opt(p.disabled);
    case 29:  // registered_before_year
      return val(p.registered_before_year);
    case 30:  // credit_clean
      return val(p.credit_clean());
    default:
      return {false, 0, {}};
  }
}

template <typename T>
void SetOpt(std::optional<T>& out, const Column& c, size_t row) {
  if (!c.IsKnown(row)) return;
  if constexpr (std::is_same_v<T, base::Money>) {
    out = base::Money::FromFen(c.ints.Get(row));
  } else if constexpr (std::is_same_v<T, bool>) {
    out = TestBit(c.bits, row);
  } else {
    out = static_cast<T>(c.ints.Get(row));
  }
}

}  // namespace

int64_t PackedInts::Get(size_t i) const {
  const uint8_t* p = bytes_.data();
  switch (width_) {
    case 1:
      return signed_ ? Load<int8_t>(p, i) : Load<uint8_t>(p, i);
    case 2:
      return signed_ ? Load<int16_t>(p, i) : Load<uint16_t>(p, i);
    case 4:
      return signed_ ? Load<int32_t>(p, i) : static_cast<int64_t>(Load<uint32_t>(p, i));
    default:
      return Load<int64_t>(p, i);
  }
}

void PackedInts::Append(int64_t v) {
  int need = WidthFor(v, signed_);
  if (need > width_) {
    size_t room = std::max(size_, bytes_.size() / static_cast<size_t>(width_));
    std::vector<uint8_t> wider(room * static_cast<size_t>(need));
    for (size_t i = 0; i < size_; ++i) {
      Store(wider.data() + i * static_cast<size_t>(need), need, signed_, Get(i));
    }
    bytes_ = std::move(wider);
    width_ = need;
  }
  // bytes_ grows ahead of the values (doubling), so that an append stores without resizing.
  size_t at = size_ * static_cast<size_t>(width_);
  if (at + static_cast<size_t>(width_) > bytes_.size()) {
    bytes_.resize(std::max<size_t>(64, 2 * bytes_.size()));
  }
  Store(bytes_.data() + at, width_, signed_, v);
  ++size_;
}

void PackedInts::Reserve(size_t n) {
  if (bytes_.size() < n * static_cast<size_t>(width_))
    bytes_.resize(n * static_cast<size_t>(width_));
}

void PackedInts::ShrinkToFit() {
  bytes_.resize(size_ * static_cast<size_t>(width_));
  bytes_.shrink_to_fit();
}

size_t Column::bytes() const {
  size_t n = ints.bytes() + bits.size() * 8 + known.size() * 8;
  for (const std::string& s : dictionary) n += s.size();
  return n;
}

const Column* Frame::Find(std::string_view name) const {
  for (const Column& c : columns_) {
    if (c.field->name == name) return &c;
  }
  return nullptr;
}

int64_t Frame::RowOf(int64_t household_id) const {
  auto it = std::lower_bound(household_ids_.begin(), household_ids_.end(), household_id);
  if (it != household_ids_.end() && *it == household_id) return it - household_ids_.begin();
  for (size_t i = 0; i < household_ids_.size(); ++i) {  // not appended in id order
    if (household_ids_[i] == household_id) return static_cast<int64_t>(i);
  }
  return -1;
}

size_t Frame::ProfileBytes() const {
  size_t n = 0;
  for (const Column& c : columns_) n += c.bytes();
  return n;
}

domain::HouseholdProfile Frame::Profile(size_t row) const {
  HouseholdProfile p;
  p.household_id = household_ids_[row];
  for (const Column& c : columns_) {
    std::string_view name = c.field->name;
    auto code = [&]() -> std::string { return c.dictionary[static_cast<size_t>(c.ints.Get(row))]; };
    auto i = [&]() { return static_cast<int>(c.ints.Get(row)); };
    auto b = [&]() { return TestBit(c.bits, row); };
    if (name == "status") p.status = code();
    if (name == "months_in_business") p.months_in_business = i();
    if (name == "years_in_business") p.years_in_business = i();
    if (name == "region") p.region = code();
    if (name == "township") p.township = code();
    if (name == "industry") p.industry = code();
    if (name == "section") p.section = code();
    if (name == "sector") p.sector = c.IsKnown(row) ? i() : 0;
    if (name == "online") p.online = b();
    if (name == "annual_report_filed") p.annual_report_filed = b();
    if (name == "revenue_prev") SetOpt(p.revenue_prev, c, row);
    if (name == "tax_paid_prev") SetOpt(p.tax_paid_prev, c, row);
    if (name == "employees") SetOpt(p.employees, c, row);
    if (name == "insured_employees") SetOpt(p.insured_employees, c, row);
    if (name == "housing_fund_payers") SetOpt(p.housing_fund_payers, c, row);
    if (name == "trademarks") p.trademarks = i();
    if (name == "patents") p.patents = i();
    if (name == "honours") p.honours = static_cast<uint32_t>(c.ints.Get(row));
    if (name == "abnormal_now") p.abnormal_now = b();
    if (name == "unrepaired_penalty_12m") p.unrepaired_penalty_12m = b();
    if (name == "dishonest_debtor") p.dishonest_debtor = b();
    if (name == "safety_accident_12m") p.safety_accident_12m = b();
    if (name == "first_loan") p.first_loan = b();
    if (name == "veteran") SetOpt(p.veteran, c, row);
    if (name == "graduation_year") SetOpt(p.graduation_year, c, row);
    if (name == "employment_difficulty") SetOpt(p.employment_difficulty, c, row);
    if (name == "poverty_alleviated") SetOpt(p.poverty_alleviated, c, row);
    if (name == "returning_migrant") SetOpt(p.returning_migrant, c, row);
    if (name == "disabled") SetOpt(p.disabled, c, row);
    if (name == "registered_before_year") p.registered_before_year = b();
  }
  return p;
}

namespace {
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
}  // namespace

struct FrameBuilder::Staging {
  struct Col {
    const domain::ProfileField* field = nullptr;
    int index = -1;  // into kFrameFields
    PackedInts ints;
    BitMap bits;
    BitMap known;
    bool any_unknown = false;
    std::vector<std::string> dictionary;
    std::unordered_map<std::string, int64_t, TextHash, std::equal_to<>> ids;
    int64_t last_id = 0;  // the id of the code appended last: neighbours often share one
  };
  std::vector<Col> cols;
};

FrameBuilder::FrameBuilder() { Reset(); }

FrameBuilder::FrameBuilder(std::span<const std::string> fields)
    : fields_(fields.begin(), fields.end()) {
  Reset();
}

void FrameBuilder::Reset() {
  ids_.clear();
  staging_ = std::make_unique<Staging>();
  for (const domain::ProfileField& f : domain::ProfileCatalog()) {
    if (f.name == "uscc" || f.name == "household_id") continue;
    if (!fields_.empty() && std::find(fields_.begin(), fields_.end(), f.name) == fields_.end()) {
      continue;
    }
    Staging::Col c;
    c.field = &f;
    c.index = FrameFieldIndex(f.name);
    c.ints = PackedInts(f.type != ProfileType::kCode && f.type != ProfileType::kCodeSet);
    if (f.type == ProfileType::kCode) {
      c.dictionary.push_back("");
      c.ids.emplace("", 0);
    }
    staging_->cols.push_back(std::move(c));
  }
}

FrameBuilder::~FrameBuilder() = default;

void FrameBuilder::Reserve(size_t n) {
  ids_.reserve(n);
  for (Staging::Col& c : staging_->cols) {
    if (c.field->type == ProfileType::kBool) {
      c.bits.reserve(n / 64 + 1);
    } else {
      c.ints.Reserve(n);
    }
    c.known.reserve(n / 64 + 1);
  }
}

void FrameBuilder::Append(const domain::HouseholdProfile& p) {
  size_t row = ids_.size();
  ids_.push_back(p.household_id);
  for (Staging::Col& c : staging_->cols) {
    FieldValue v = Extract(c.index, p);
    AppendBit(c.known, row, v.known);
    c.any_unknown |= !v.known;
    switch (c.field->type) {
      case ProfileType::kBool:
        AppendBit(c.bits, row, v.known && v.value != 0);
        break;
      case ProfileType::kCode: {
        if (v.code != c.dictionary[static_cast<size_t>(c.last_id)]) {
          auto it = c.ids.find(v.code);
          if (it == c.ids.end()) {
            it =
                c.ids.emplace(std::string(v.code), static_cast<int64_t>(c.dictionary.size())).first;
            c.dictionary.emplace_back(v.code);
          }
          c.last_id = it->second;
        }
        c.ints.Append(c.last_id);
        break;
      }
      default:
        c.ints.Append(v.known ? v.value : 0);
    }
  }
}

Frame FrameBuilder::Finish() {
  Frame frame;
  frame.household_ids_ = std::move(ids_);
  ids_.clear();
  for (Staging::Col& c : staging_->cols) {
    Column col;
    col.field = c.field;
    col.ints = std::move(c.ints);
    col.ints.ShrinkToFit();
    col.bits = std::move(c.bits);
    col.bits.shrink_to_fit();
    if (c.any_unknown) {
      col.known = std::move(c.known);
      col.known.shrink_to_fit();
    }
    col.dictionary = std::move(c.dictionary);
    frame.columns_.push_back(std::move(col));
  }
  Reset();
  return frame;
}

}  // namespace getihu::engine
