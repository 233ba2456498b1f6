// Finds the bytes that matter to CSV (',', '\n' and '"') 64 bytes at a time: one pass of
// SIMD compares gives a bit mask per block, and each field boundary then costs a
// count-trailing-zeros. Internal to the CSV reader. Not thread-safe.
#ifndef GETIHU_INGEST_CSV_SCANNER_H_
#define GETIHU_INGEST_CSV_SCANNER_H_

#include <cstdint>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace getihu::ingest {

// Bytes past the end of the data that a scanner may read (but never reports).
inline constexpr int kCsvScanPadding = 64;

class CsvScanner {
 public:
  // Scans from `p` up to `end`. REQUIRES: kCsvScanPadding readable bytes after `end`.
  CsvScanner(const char* p, const char* end) : end_(end) { Reset(p); }

  // Restarts the scan at `p`.
  void Reset(const char* p) {
    base_ = p;
    mask_ = Mask(p);
  }

  // The next ',', '\n' or '"' not yet returned, or `end`.
  const char* Next() {
    while (mask_ == 0) {
      base_ += 64;
      if (base_ >= end_) return end_;
      mask_ = Mask(base_);
    }
    const char* q = base_ + __builtin_ctzll(mask_);
    mask_ &= mask_ - 1;
    return q < end_ ? q : end_;
  }

 private:
  // Bit i is set when p[i] is ',', '\n' or '"'.
  static uint64_t Mask(const char* p) {
    uint64_t mask = 0;
#ifdef __SSE2__
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"');
    for (int i = 0; i < 4; ++i) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, newline)),
                                 _mm_cmpeq_epi8(v, quote));
      mask |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(hit))} << (16 * i);
    }
#else
    for (int i = 0; i < 64; ++i) {
      if (p[i] == ',' || p[i] == '\n' || p[i] == '"') mask |= uint64_t{1} << i;
    }
#endif
    return mask;
  }

  const char* base_;
  const char* const end_;
  uint64_t mask_;
};

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_CSV_SCANNER_H_
