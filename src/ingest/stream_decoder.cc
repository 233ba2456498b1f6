#include "ingest/stream_decoder.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace getihu::ingest {
namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// The first byte at or after `p` that is not ASCII, or `end`; 8 bytes at a time.
const uint8_t* SkipAscii(const uint8_t* p, const uint8_t* end) {
  while (end - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    if (uint64_t high = word & kHighBits; high != 0) {
      return p + __builtin_ctzll(high) / 8;  // little-endian: lowest byte first
    }
    p += 8;
  }
  while (p < end && *p < 0x80) ++p;
  return p;
}

// The valid range of the second byte after lead byte `c` (Unicode Table 3-7), and the
// sequence length; 0 for a byte that cannot start a sequence.
int SequenceLength(uint8_t c, uint8_t& lo, uint8_t& hi) {
  lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c == 0xE0) return lo = 0xA0, 3;
  if (c == 0xED) return hi = 0x9F, 3;
  if (c >= 0xE1 && c <= 0xEF) return 3;
  if (c == 0xF0) return lo = 0x90, 4;
  if (c == 0xF4) return hi = 0x8F, 4;
  if (c >= 0xF1 && c <= 0xF3) return 4;
  return 0;
}

}  // namespace

Utf8Prefix CheckUtf8Prefix(std::string_view bytes) {
  const auto* begin = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = begin + bytes.size();
  const uint8_t* p = begin;
  for (;;) {
    p = SkipAscii(p, end);
    // A run of multibyte characters; most Chinese text is 3-byte sequences led by
    // E1..EC or EE..EF, whose only constraint is two continuation bytes.
    while (p < end && *p >= 0x80) {
      uint8_t c = *p;
      if (c >= 0xE1 && c != 0xED && c <= 0xEF && end - p >= 3 && (p[1] & 0xC0) == 0x80 &&
          (p[2] & 0xC0) == 0x80) {
        p += 3;
        continue;
      }
      uint8_t lo, hi;
      int len = SequenceLength(c, lo, hi);
      if (len == 0) return {static_cast<size_t>(p - begin), true};
      for (int k = 1; k < len; ++k) {
        if (p + k == end) return {static_cast<size_t>(p - begin), false};
        uint8_t b = p[k];
        if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) {
          return {static_cast<size_t>(p - begin), true};
        }
      }
      p += len;
    }
    if (p == end) return {bytes.size(), false};
  }
}

base::Result<std::unique_ptr<Gb18030Decoder>> Gb18030Decoder::Create() {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return base::Internal("系统不支持 GB18030 编码转换");
  }
  return std::unique_ptr<Gb18030Decoder>(new Gb18030Decoder(cd));
}

Gb18030Decoder::~Gb18030Decoder() { iconv_close(static_cast<iconv_t>(cd_)); }

Gb18030Decoder::Outcome Gb18030Decoder::Convert(std::string_view in, char* out, size_t out_size) {
  char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write
  size_t src_left = in.size();
  char* dst = out;
  size_t dst_left = out_size;
  Outcome o;
  if (iconv(static_cast<iconv_t>(cd_), &src, &src_left, &dst, &dst_left) ==
      static_cast<size_t>(-1)) {
    o.stop = errno == EINVAL  ? Stop::kIncomplete
             : errno == E2BIG ? Stop::kOutputFull
                              : Stop::kInvalid;
  }
  o.consumed = in.size() - src_left;
  o.produced = out_size - dst_left;
  return o;
}

}  // namespace getihu::ingest
