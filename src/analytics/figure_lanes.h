// Counting households into their figures a word at a time: a household's FigureBits spread into
// 6-bit lanes of a 64-bit word (bit k to bits 6k …), so that one addition counts it in all ten
// figures at once; a lane holds up to 63 households before it is folded into 32-bit counters.
// Rows go to kSets independent words in turn, so that consecutive rows do not wait on each
// other's addition (a chain through memory of about 5 cycles a row). Internal to analytics.
#ifndef GETIHU_ANALYTICS_FIGURE_LANES_H_
#define GETIHU_ANALYTICS_FIGURE_LANES_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "analytics/population.h"

namespace getihu::analytics::lanes {

inline constexpr int kLaneBits = 6;
inline constexpr size_t kLaneMax = (1 << kLaneBits) - 1;
inline constexpr size_t kSets = 4;
// Rows per chunk: each of the kSets words sees at most kLaneMax of them.
inline constexpr size_t kChunk = kSets * kLaneMax;

// FigureBits value → its lanes.
inline const std::array<uint64_t, 1 << kFigureBits>& SpreadBits() {
  static const std::array<uint64_t, 1 << kFigureBits> table = [] {
    std::array<uint64_t, 1 << kFigureBits> t{};
    for (size_t b = 0; b < t.size(); ++b) {
      for (int k = 0; k < kFigureBits; ++k) t[b] |= uint64_t{(b >> k) & 1} << (kLaneBits * k);
    }
    return t;
  }();
  return table;
}

// Adds the lanes of `word` to `counts` (figure k to counts[k]).
inline void Fold(uint64_t word, uint32_t* counts) {
  for (int k = 0; k < kFigureBits; ++k) {
    counts[k] += static_cast<uint32_t>((word >> (kLaneBits * k)) & kLaneMax);
  }
}

// Adds the figures of rows [begin, end) to counts[k] (figure k).
inline void CountFigures(const uint16_t* bits, size_t begin, size_t end, uint32_t* counts) {
  const uint64_t* spread = SpreadBits().data();
  for (size_t i = begin; i < end;) {
    const size_t stop = std::min(end, i + kChunk);
    uint64_t w[kSets] = {};
    for (; i + kSets <= stop; i += kSets) {
      for (size_t s = 0; s < kSets; ++s) w[s] += spread[bits[i + s]];
    }
    for (size_t s = 0; i < stop; ++i, ++s) w[s] += spread[bits[i]];
    for (size_t s = 0; s < kSets; ++s) Fold(w[s], counts);
  }
}

// Adds the figures of rows [begin, end) to counts[group[i] & 3][k]: four groups (tiers,
// sectors) by a byte per row. With `rows`, also the rows of each group to rows[g] (a group can
// hold households without any figure).
inline void CountFiguresBy4(const uint16_t* bits, const uint8_t* group, size_t begin, size_t end,
                            uint32_t (*counts)[kFigureBits], uint64_t* rows = nullptr) {
  const uint64_t* spread = SpreadBits().data();
  for (size_t i = begin; i < end;) {
    const size_t stop = std::min(end, i + kChunk);
    uint64_t w[kSets][4] = {};
    for (; i + kSets <= stop; i += kSets) {
      for (size_t s = 0; s < kSets; ++s) w[s][group[i + s] & 3] += spread[bits[i + s]];
    }
    for (size_t s = 0; i < stop; ++i, ++s) w[s][group[i] & 3] += spread[bits[i]];
    for (size_t s = 0; s < kSets; ++s) {
      for (size_t g = 0; g < 4; ++g) Fold(w[s][g], counts[g]);
    }
  }
  if (rows != nullptr) {
    uint64_t n[kSets][4] = {};
    size_t i = begin;
    for (; i + kSets <= end; i += kSets) {
      for (size_t s = 0; s < kSets; ++s) ++n[s][group[i + s] & 3];
    }
    for (; i < end; ++i) ++n[0][group[i] & 3];
    for (size_t s = 0; s < kSets; ++s) {
      for (size_t g = 0; g < 4; ++g) rows[g] += n[s][g];
    }
  }
}

}  // namespace getihu::analytics::lanes

#endif  // GETIHU_ANALYTICS_FIGURE_LANES_H_
