// A file of named arrays of fixed-size values, for data derived from the pool that is costly
// to derive and cheap to read back (analytics/pool_image.h): written once, atomically, and read
// through a read-only memory map without parsing. The file is a cache local to one machine:
// values are stored in the machine's byte order, and a file that does not hold what its header
// says is refused rather than trusted.
//
// Layout: a header (magic "GTHCOLS1", the array count, the caller's tag of up to 96 bytes),
// a table of contents (each array's name, element size, count and offset), then the arrays,
// each starting on an 8-byte boundary. ColumnWriter is thread-compatible; a ColumnFile may be
// read from many threads.
#ifndef GETIHU_BASE_COLUMN_FILE_H_
#define GETIHU_BASE_COLUMN_FILE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/status.h"

namespace getihu::base {

inline constexpr size_t kColumnNameBytes = 24;  // the longest name, with its terminating 0
inline constexpr size_t kColumnTagBytes = 96;   // the longest tag

class ColumnWriter {
 public:
  // `tag` says what the file holds (e.g. the format version and the pool's revision); a
  // reader names the tag it expects.
  explicit ColumnWriter(std::string tag) : tag_(std::move(tag)) {}

  // Adds an array. The values must stay alive until Write returns.
  template <typename T>
  void Add(std::string_view name, std::span<const T> values) {
    static_assert(std::is_trivially_copyable_v<T>);
    arrays_.push_back({std::string(name), sizeof(T), values.size(), values.data()});
  }
  template <typename T>
  void Add(std::string_view name, const std::vector<T>& values) {
    Add(name, std::span<const T>(values));
  }

  // Writes the file: into a temporary file beside `path`, flushed to the disk, then renamed
  // over `path`, so that a reader sees the whole of the old file or the whole of the new one
  // and a crash leaves no partial file behind. InvalidArgument for a name or tag too long;
  // Unavailable when the file system refuses.
  Status Write(const std::string& path) const;

 private:
  struct Array {
    std::string name;
    size_t element_bytes;
    size_t count;
    const void* data;
  };
  std::string tag_;
  std::vector<Array> arrays_;
};

class ColumnFile {
 public:
  // Maps the file at `path`. NotFound when there is none; DataLoss when it is not a column file
  // with tag `tag`, or its contents run past its end.
  static Result<ColumnFile> Open(const std::string& path, std::string_view tag);

  ColumnFile(ColumnFile&& other) noexcept;
  ColumnFile& operator=(ColumnFile&& other) noexcept;
  ColumnFile(const ColumnFile&) = delete;
  ColumnFile& operator=(const ColumnFile&) = delete;
  ~ColumnFile();

  // The array `name` as values of type T, valid while this object lives. DataLoss when there
  // is no such array or its element size is not sizeof(T).
  template <typename T>
  Result<std::span<const T>> Get(std::string_view name) const {
    static_assert(std::is_trivially_copyable_v<T>);
    GETIHU_ASSIGN_OR_RETURN(Found f, Find(name, sizeof(T)));
    return std::span<const T>(static_cast<const T*>(f.data), f.count);
  }

  size_t bytes() const { return size_; }

 private:
  struct Found {
    const void* data;
    size_t count;
  };
  ColumnFile(const void* map, size_t size) : map_(map), size_(size) {}
  Result<Found> Find(std::string_view name, size_t element_bytes) const;

  const void* map_ = nullptr;
  size_t size_ = 0;
};

}  // namespace getihu::base

#endif  // GETIHU_BASE_COLUMN_FILE_H_
