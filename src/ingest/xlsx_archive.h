// A .xlsx file opened as a zip archive (libzip). Parts are read as streams in chunks, never
// whole, under the zip-bomb limits of ReaderOptions: the uncompressed bytes of all parts
// together, and the compression ratio of each part. Not thread-safe.
#ifndef GETIHU_INGEST_XLSX_ARCHIVE_H_
#define GETIHU_INGEST_XLSX_ARCHIVE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ingest/table_reader.h"

struct zip;
struct zip_file;

namespace getihu::ingest {

class XlsxArchive;

// One part being read. REQUIRES: does not outlive its archive.
class PartStream {
 public:
  ~PartStream();
  PartStream(const PartStream&) = delete;
  PartStream& operator=(const PartStream&) = delete;

  // Copies up to `n` uncompressed bytes into `dst`; returns how many, 0 at the end.
  // Returns InvalidArgument when the part is corrupt or exceeds a limit.
  base::Result<size_t> Read(char* dst, size_t n);

  const std::string& name() const { return name_; }

 private:
  friend class XlsxArchive;
  PartStream(XlsxArchive& archive, zip_file* file, std::string name, uint64_t size,
             uint64_t compressed)
      : archive_(archive),
        file_(file),
        name_(std::move(name)),
        size_(size),
        compressed_(compressed) {}
  // Checks `out` bytes of this part and `total` bytes of all parts against the limits.
  base::Status CheckLimits(uint64_t out, uint64_t total) const;

  XlsxArchive& archive_;
  zip_file* file_;
  std::string name_;
  uint64_t size_;        // declared uncompressed size
  uint64_t compressed_;  // declared compressed size
  uint64_t out_ = 0;     // uncompressed bytes read so far
};

class XlsxArchive {
 public:
  // Opens the zip archive at `path`. Returns NotFound when it does not exist and
  // InvalidArgument "Excel 文件已损坏或不完整" when it is not a readable zip archive.
  static base::Result<std::unique_ptr<XlsxArchive>> OpenFile(const std::string& path,
                                                             const ReaderOptions& options);
  // Same over bytes in memory, which the archive keeps.
  static base::Result<std::unique_ptr<XlsxArchive>> OpenMemory(std::string bytes,
                                                               const ReaderOptions& options);
  ~XlsxArchive();
  XlsxArchive(const XlsxArchive&) = delete;
  XlsxArchive& operator=(const XlsxArchive&) = delete;

  // True when the archive holds part `name` (compared without case, as OPC requires).
  bool Has(std::string_view name) const;

  // Opens part `name`. Returns InvalidArgument when it is missing ("Excel 文件缺少…"),
  // encrypted, compressed with an unsupported method, or declares sizes over the limits.
  base::Result<std::unique_ptr<PartStream>> Open(std::string_view name);

  // Uncompressed bytes read from all parts so far.
  uint64_t bytes_read() const { return total_; }

 private:
  friend class PartStream;
  XlsxArchive(zip* archive, std::string bytes, const ReaderOptions& options)
      : zip_(archive), bytes_(std::move(bytes)), options_(options) {}

  zip* zip_;
  std::string bytes_;  // the file, when opened from memory
  ReaderOptions options_;
  uint64_t total_ = 0;
};

// The message for a damaged archive, with `detail` (may be empty) in parentheses.
base::Status CorruptXlsx(std::string_view detail);

}  // namespace getihu::ingest

#endif  // GETIHU_INGEST_XLSX_ARCHIVE_H_
