// SHA-256 of a file's bytes, as 64 lower-case hex digits: how an import recognises a file
// it has already loaded. Thread-safe.
#ifndef GETIHU_WORKFLOWS_CONTENT_HASH_H_
#define GETIHU_WORKFLOWS_CONTENT_HASH_H_

#include <string>
#include <string_view>

#include "base/status.h"

namespace getihu::workflows {

// Streams the file (bounded memory). Unavailable (Chinese) when it cannot be read.
base::Result<std::string> FileSha256(const std::string& path);
std::string Sha256Hex(std::string_view bytes);

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_CONTENT_HASH_H_
