#include "ingest/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace getihu::ingest {
namespace {

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileSource() override { ::close(fd_); }

  base::Result<size_t> Read(char* dst, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) {
        return base::Unavailable("读取文件失败：" + path_ + "（" + std::strerror(errno) + "）");
      }
    }
  }

 private:
  int fd_;
  std::string path_;
};

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}

  base::Result<size_t> Read(char* dst, size_t n) override {
    size_t got = std::min(n, bytes_.size() - pos_);
    std::memcpy(dst, bytes_.data() + pos_, got);
    pos_ += got;
    return got;
  }

 private:
  std::string bytes_;
  size_t pos_ = 0;
};

}  // namespace

base::Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return base::NotFound("文件不存在：" + path);
    if (errno == EACCES) return base::PermissionDenied("没有权限读取文件：" + path);
    return base::Unavailable("无法打开文件：" + path + "（" + std::strerror(errno) + "）");
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return base::InvalidArgument("这是一个目录，不是文件：" + path);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<ByteSource>(new FileSource(fd, path));
}

base::Result<std::string> ReadFileHead(const std::string& path, size_t n) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenFileSource(path));
  std::string head(n, '\0');
  size_t total = 0;
  while (total < n) {
    GETIHU_ASSIGN_OR_RETURN(size_t got, source->Read(head.data() + total, n - total));
    if (got == 0) break;
    total += got;
  }
  head.resize(total);
  return head;
}

std::unique_ptr<ByteSource> MemorySource(std::string bytes) {
  return std::make_unique<StringSource>(std::move(bytes));
}

}  // namespace getihu::ingest
