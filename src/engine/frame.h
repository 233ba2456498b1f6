// A frame: the profiles of many households held column by column (DESIGN.md "rules over
// profiles"), compact enough that a province fits in memory many times over. Each profile
// field of domain::ProfileCatalog() (except the keys `uscc` and `household_id`) is one
// Column: integers and money in the narrowest signed width that holds every value, codes as
// ids into a per-column dictionary, booleans and "is this value known" as bit maps. A value
// the pool does not have is unknown, never a default. Built once by FrameBuilder, then
// immutable and safe to read from many threads.
#ifndef GETIHU_ENGINE_FRAME_H_
#define GETIHU_ENGINE_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/profile.h"

namespace getihu::engine {

// Integers stored in 1, 2, 4 or 8 bytes each.
class PackedInts {
 public:
  int width() const { return width_; }
  size_t size() const { return size_; }
  int64_t Get(size_t i) const;
  const void* data() const { return bytes_.data(); }
  size_t bytes() const { return size_ * static_cast<size_t>(width_); }
  bool is_signed() const { return signed_; }
  // Appends `v`, widening every stored value when `v` does not fit the current width (at
  // most three times in the life of a column). Unsigned columns hold ids (v >= 0).
  explicit PackedInts(bool is_signed = true) : signed_(is_signed) {}
  void Append(int64_t v);
  void Reserve(size_t n);
  // Frees the room kept for appends.
  void ShrinkToFit();

 private:
  int width_ = 1;
  bool signed_ = true;
  size_t size_ = 0;
  std::vector<uint8_t> bytes_;
};

// Bit i of word i/64 is household i.
using BitMap = std::vector<uint64_t>;
inline bool TestBit(const BitMap& bits, size_t i) { return (bits[i >> 6] >> (i & 63)) & 1; }

struct Column {
  const domain::ProfileField* field = nullptr;
  // kBool: `bits` holds the values. kInt, kMoney: `ints`. kCode: `ints` holds ids into
  // `dictionary` (id 0 is "", the unknown code). kCodeSet: `ints` holds a bit set.
  PackedInts ints;
  BitMap bits;
  BitMap known;  // empty when every value is known
  std::vector<std::string> dictionary;

  bool IsKnown(size_t i) const { return known.empty() || TestBit(known, i); }
  size_t bytes() const;
};

class Frame {
 public:
  size_t size() const { return household_ids_.size(); }
  const std::vector<int64_t>& household_ids() const { return household_ids_; }
  // Returns the column of `name`, or nullptr when the frame has none (e.g. "uscc").
  const Column* Find(std::string_view name) const;
  const std::vector<Column>& columns() const { return columns_; }
  // The row of `household_id`, or -1.
  int64_t RowOf(int64_t household_id) const;
  // Bytes held by the profile columns (ids excluded) and in all.
  size_t ProfileBytes() const;
  size_t TotalBytes() const { return ProfileBytes() + household_ids_.size() * sizeof(int64_t); }

  // Rebuilds one household's profile from the columns (uscc left empty).
  domain::HouseholdProfile Profile(size_t row) const;

 private:
  friend class FrameBuilder;
  std::vector<int64_t> household_ids_;  // ascending when appended in id order
  std::vector<Column> columns_;
};

// Collects profiles, then packs them into a Frame. Not thread-safe.
class FrameBuilder {
 public:
  // A frame of every profile field.
  FrameBuilder();
  // A frame of the fields named in `fields` only (others have no column, and unknown names
  // are ignored); every field when `fields` is empty.
  explicit FrameBuilder(std::span<const std::string> fields);
  ~FrameBuilder();
  void Reserve(size_t n);
  void Append(const domain::HouseholdProfile& p);
  size_t size() const { return ids_.size(); }
  // Packs the columns; the builder is left empty.
  Frame Finish();

 private:
  struct Staging;
  void Reset();
  std::vector<std::string> fields_;  // empty: every field
  std::vector<int64_t> ids_;
  std::unique_ptr<Staging> staging_;
};

}  // namespace getihu::engine

#endif  // GETIHU_ENGINE_FRAME_H_
