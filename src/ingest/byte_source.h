// Where a reader's bytes come from: a file read sequentially, or a buffer in memory.
// Not thread-safe.
#ifndef GETIHU_INGEST_BYTE_SOURCE_H_
#define GETIHU_INGEST_BYTE_SOURCE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "base/status.h"

namespace getihu::ingest {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Copies up to `n` bytes into `dst`; returns how many, 0 only at the end.
  // Returns Unavailable when the file cannot be read.
  virtual base::Result<size_t> Read(char* dst, size_t n) = 0;
};

// Opens `path` for sequential reading. Returns NotFound, PermissionDenied or
// InvalidArgument (a directory) with a Chinese message naming the path.
base::Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path);

// Returns the first `n` bytes of the file at `path` (fewer when it is shorter), with the
// errors of OpenFileSource.
base::Result<std::string> ReadFileHead(const std::string& path, size_t n);

// A source over `bytes`, which it owns.
std::unique_ptr<ByteSource> MemorySource(std::string bytes);

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_BYTE_SOURCE_H_
