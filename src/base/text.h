// Text helpers: UTF-8 validation, the byte-order mark, GB18030 (as Excel writes CSV in
// China) to UTF-8, and full-width → half-width folding for matching headers and codes.
// Free functions; thread-safe.
#ifndef GETIHU_BASE_TEXT_H_
#define GETIHU_BASE_TEXT_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::base {

enum class Encoding { kUtf8, kUtf8Bom, kGb18030 };

// Returns "UTF-8", "UTF-8 (BOM)" or "GB18030".
std::string_view EncodingName(Encoding e);

// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF).
// A sequence cut off at the very end counts as valid when `allow_truncated_tail` is set,
// so a prefix of a large file can be sniffed.
bool IsValidUtf8(std::string_view bytes, bool allow_truncated_tail = false);

// Guesses the encoding of a file from its first bytes: a UTF-8 BOM, else valid UTF-8,
// else GB18030 (which accepts any byte sequence Excel produces).
Encoding DetectEncoding(std::string_view head);

// Converts GB18030 bytes to UTF-8. Returns InvalidArgument naming the byte offset of
// the first invalid sequence.
Result<std::string> Gb18030ToUtf8(std::string_view bytes);
// Converts UTF-8 to GB18030 (used to produce test files as Excel would).
Result<std::string> Utf8ToGb18030(std::string_view utf8);

// Decodes a whole buffer to UTF-8 given its encoding (drops a BOM).
Result<std::string> DecodeToUtf8(std::string_view bytes, Encoding encoding);

// Folds full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space U+3000 to
// a space; other characters are kept. Input must be valid UTF-8.
std::string FoldFullWidth(std::string_view utf8);

// Removes ASCII whitespace and U+3000 at both ends.
std::string_view TrimSpaces(std::string_view utf8);

// Number of code points in valid UTF-8.
size_t Utf8Length(std::string_view utf8);

// Columns the text takes in a terminal: CJK and full-width characters count two.
size_t DisplayWidth(std::string_view utf8);
// `utf8` followed by spaces up to `width` display columns (unchanged when already wider).
std::string PadRight(std::string_view utf8, size_t width);

}  // namespace getihu::base

#endif  // GETIHU_BASE_TEXT_H_
