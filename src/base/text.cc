#include "base/text.h"

#include <iconv.h>

#include <cerrno>
#include <cstdint>
#include <memory>

namespace getihu::base {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Runs iconv over the whole input; iconv_t is not thread-safe, so each call opens its own.
Result<std::string> Convert(std::string_view in, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Internal(std::string("系统不支持编码转换 ") + from + " → " + to);
  }
  std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
  std::string out;
  out.resize(in.size() * 2 + 16);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out.data();
  size_t dst_left = out.size();
  while (src_left > 0) {
    if (iconv(cd, &src, &src_left, &dst, &dst_left) != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      size_t used = static_cast<size_t>(dst - out.data());
      out.resize(out.size() * 2);
      dst = out.data() + used;
      dst_left = out.size() - used;
      continue;
    }
    size_t offset = in.size() - src_left;
    return InvalidArgument(std::string("第 ") + std::to_string(offset + 1) + " 字节处不是有效的 " +
                           from + " 编码");
  }
  out.resize(static_cast<size_t>(dst - out.data()));
  return out;
}

}  // namespace

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8:
      return "UTF-8";
    case Encoding::kUtf8Bom:
      return "UTF-8 (BOM)";
    case Encoding::kGb18030:
      return "GB18030";
  }
  return "?";
}

bool IsValidUtf8(std::string_view s, bool allow_truncated_tail) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) {
      if (!allow_truncated_tail) return false;
      for (size_t k = i + 1; k < n; ++k) {
        if ((p[k] & 0xC0) != 0x80) return false;
      }
      return true;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += len;
  }
  return true;
}

Encoding DetectEncoding(std::string_view head) {
  if (head.starts_with(kBom)) return Encoding::kUtf8Bom;
  return IsValidUtf8(head, /*allow_truncated_tail=*/true) ? Encoding::kUtf8 : Encoding::kGb18030;
}

Result<std::string> Gb18030ToUtf8(std::string_view bytes) {
  return Convert(bytes, "GB18030", "UTF-8");
}

Result<std::string> Utf8ToGb18030(std::string_view utf8) {
  return Convert(utf8, "UTF-8", "GB18030");
}

Result<std::string> DecodeToUtf8(std::string_view bytes, Encoding encoding) {
  switch (encoding) {
    case Encoding::kUtf8Bom:
      if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
      [[fallthrough]];
    case Encoding::kUtf8:
      if (!IsValidUtf8(bytes)) return InvalidArgument("文件不是有效的 UTF-8 编码");
      return std::string(bytes);
    case Encoding::kGb18030:
      return Gb18030ToUtf8(bytes);
  }
  return Internal("未知编码");
}

std::string FoldFullWidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<uint8_t>(s[i]);
    if (c == 0xEF && i + 2 < s.size()) {
      uint32_t cp = ((c & 0x0F) << 12) | ((static_cast<uint8_t>(s[i + 1]) & 0x3F) << 6) |
                    (static_cast<uint8_t>(s[i + 2]) & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out += static_cast<char>(cp - 0xFF01 + 0x21);
        i += 3;
        continue;
      }
    }
    if (s.substr(i, 3) == "\xE3\x80\x80") {  // U+3000 ideographic space
      out += ' ';
      i += 3;
      continue;
    }
    out += s[i++];
  }
  return out;
}

std::string_view TrimSpaces(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  for (;;) {
    if (!s.empty() &&
        (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
      s.remove_prefix(1);
    } else if (s.starts_with(kIdeographicSpace)) {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() &&
        (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
      s.remove_suffix(1);
    } else if (s.ends_with(kIdeographicSpace)) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return n;
}

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<uint8_t>(s[i]);
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = c;
    if (len == 3 && i + 2 < s.size()) {
      cp = ((c & 0x0F) << 12) | ((static_cast<uint8_t>(s[i + 1]) & 0x3F) << 6) |
           (static_cast<uint8_t>(s[i + 2]) & 0x3F);
    }
    width += (len == 3 && cp >= 0x2E80) || len == 4 ? 2 : 1;
    i += len;
  }
  return width;
}

std::string PadRight(std::string_view s, size_t width) {
  std::string out(s);
  for (size_t w = DisplayWidth(s); w < width; ++w) out += ' ';
  return out;
}

}  // namespace getihu::base
