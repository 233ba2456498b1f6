// Decoding text that arrives in chunks: a fast UTF-8 check that tolerates a character cut
// at the end of a chunk, and a GB18030 → UTF-8 converter that carries such a character
// over to the next chunk. Used by the CSV reader. Not thread-safe (one per reader).
#ifndef GETIHU_INGEST_STREAM_DECODER_H_
#define GETIHU_INGEST_STREAM_DECODER_H_

#include <cstddef>
#include <memory>
#include <string_view>

#include "base/status.h"

namespace getihu::ingest {

struct Utf8Prefix {
  size_t valid = 0;      // length of the longest prefix made of whole, valid characters
  bool invalid = false;  // an invalid sequence starts at `valid` (else what follows, if
                         // anything, is the start of a character cut off by the end)
};

// Checks `bytes` as UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
Utf8Prefix CheckUtf8Prefix(std::string_view bytes);

class Gb18030Decoder {
 public:
  enum class Stop {
    kDone,        // all input consumed
    kIncomplete,  // the input ends inside a character; keep the rest for the next chunk
    kOutputFull,  // `out` is full; call again with the rest
    kInvalid,     // the input at `consumed` is not GB18030
  };
  struct Outcome {
    size_t consumed = 0;
    size_t produced = 0;
    Stop stop = Stop::kDone;
  };

  // Returns Internal when the C library has no GB18030 converter.
  static base::Result<std::unique_ptr<Gb18030Decoder>> Create();
  ~Gb18030Decoder();

  // Converts as much of `in` as possible into `out[0, out_size)`.
  Outcome Convert(std::string_view in, char* out, size_t out_size);

 private:
  explicit Gb18030Decoder(void* cd) : cd_(cd) {}
  void* cd_;  // iconv_t
};

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_STREAM_DECODER_H_
