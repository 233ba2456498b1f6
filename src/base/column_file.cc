#include "base/column_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

namespace getihu::base {
namespace {

constexpr char kMagic[8] = {'G', 'T', 'H', 'C', 'O', 'L', 'S', '1'};

struct Header {
  char magic[8];
  uint64_t arrays;
  char tag[kColumnTagBytes];
};

struct Entry {
  char name[kColumnNameBytes];
  uint64_t element_bytes;
  uint64_t count;
  uint64_t offset;
};

static_assert(sizeof(Header) % 8 == 0 && sizeof(Entry) % 8 == 0);

uint64_t AlignUp(uint64_t n) { return (n + 7) & ~uint64_t{7}; }

Status WriteAll(int fd, const void* data, size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Unavailable(std::string("写入文件失败：") + std::strerror(errno));
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return OkStatus();
}

// A name for the temporary file no other writer uses at the same time.
std::string TemporaryPath(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

}  // namespace

Status ColumnWriter::Write(const std::string& path) const {
  if (tag_.size() > kColumnTagBytes) return InvalidArgument("列文件的标记过长");
  Header header{};
  std::memcpy(header.magic, kMagic, sizeof(kMagic));
  header.arrays = arrays_.size();
  std::memcpy(header.tag, tag_.data(), tag_.size());
  std::vector<Entry> entries(arrays_.size());
  uint64_t offset = sizeof(Header) + sizeof(Entry) * arrays_.size();
  for (size_t i = 0; i < arrays_.size(); ++i) {
    const Array& a = arrays_[i];
    if (a.name.empty() || a.name.size() >= kColumnNameBytes) {
      return InvalidArgument("列文件的数组名无效：" + a.name);
    }
    Entry& e = entries[i];
    std::memcpy(e.name, a.name.data(), a.name.size());
    e.element_bytes = a.element_bytes;
    e.count = a.count;
    e.offset = offset;
    offset = AlignUp(offset + a.element_bytes * a.count);
  }
  const std::string temporary = TemporaryPath(path);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Unavailable("无法创建文件 " + temporary + "：" + std::strerror(errno));
  }
  auto fail = [&](Status s) {
    ::close(fd);
    ::unlink(temporary.c_str());
    return s;
  };
  if (Status s = WriteAll(fd, &header, sizeof(header)); !s.ok()) return fail(s);
  if (Status s = WriteAll(fd, entries.data(), sizeof(Entry) * entries.size()); !s.ok()) {
    return fail(s);
  }
  uint64_t written = sizeof(Header) + sizeof(Entry) * entries.size();
  static constexpr char kZeros[8] = {};
  for (size_t i = 0; i < arrays_.size(); ++i) {
    const uint64_t n = arrays_[i].element_bytes * arrays_[i].count;
    if (Status s = WriteAll(fd, arrays_[i].data, n); !s.ok()) return fail(s);
    written += n;
    const uint64_t pad = AlignUp(written) - written;
    if (Status s = WriteAll(fd, kZeros, pad); !s.ok()) return fail(s);
    written += pad;
  }
  if (::fsync(fd) != 0)
    return fail(Unavailable(std::string("写入磁盘失败：") + std::strerror(errno)));
  if (::close(fd) != 0) {
    ::unlink(temporary.c_str());
    return Unavailable(std::string("写入文件失败：") + std::strerror(errno));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temporary.c_str());
    return Unavailable("无法写入文件 " + path + "：" + why);
  }
  return OkStatus();
}

Result<ColumnFile> ColumnFile::Open(const std::string& path, std::string_view tag) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("没有文件 " + path);
    return Unavailable("无法打开文件 " + path + "：" + std::strerror(errno));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Unavailable("无法读取文件 " + path);
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < sizeof(Header)) {
    ::close(fd);
    return DataLoss("文件不完整：" + path);
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Unavailable("无法映射文件 " + path);
  ColumnFile file(map, size);
  const auto* header = static_cast<const Header*>(map);
  char expected[kColumnTagBytes] = {};
  std::memcpy(expected, tag.data(), std::min(tag.size(), kColumnTagBytes));
  if (std::memcmp(header->magic, kMagic, sizeof(kMagic)) != 0 || tag.size() > kColumnTagBytes ||
      std::memcmp(header->tag, expected, kColumnTagBytes) != 0) {
    return DataLoss("文件不是所需的列文件：" + path);
  }
  if (header->arrays > (size - sizeof(Header)) / sizeof(Entry)) {
    return DataLoss("文件不完整：" + path);
  }
  const auto* entries = reinterpret_cast<const Entry*>(header + 1);
  for (uint64_t i = 0; i < header->arrays; ++i) {
    const Entry& e = entries[i];
    if (e.element_bytes == 0 || e.offset % 8 != 0 || e.offset > size ||
        e.count > (size - e.offset) / e.element_bytes || e.name[kColumnNameBytes - 1] != 0) {
      return DataLoss("文件不完整：" + path);
    }
  }
  return file;
}

ColumnFile::ColumnFile(ColumnFile&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)), size_(std::exchange(other.size_, 0)) {}

ColumnFile& ColumnFile::operator=(ColumnFile&& other) noexcept {
  if (this != &other) {
    if (map_ != nullptr) ::munmap(const_cast<void*>(map_), size_);
    map_ = std::exchange(other.map_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

ColumnFile::~ColumnFile() {
  if (map_ != nullptr) ::munmap(const_cast<void*>(map_), size_);
}

Result<ColumnFile::Found> ColumnFile::Find(std::string_view name, size_t element_bytes) const {
  const auto* header = static_cast<const Header*>(map_);
  const auto* entries = reinterpret_cast<const Entry*>(header + 1);
  for (uint64_t i = 0; i < header->arrays; ++i) {
    const Entry& e = entries[i];
    if (std::string_view(e.name) != name) continue;
    if (e.element_bytes != element_bytes) {
      return DataLoss("列文件中数组 " + std::string(name) + " 的元素大小不符");
    }
    return Found{static_cast<const char*>(map_) + e.offset, static_cast<size_t>(e.count)};
  }
  return DataLoss("列文件中没有数组 " + std::string(name));
}

}  // namespace getihu::base
