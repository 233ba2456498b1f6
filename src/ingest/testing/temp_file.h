// Temporary files for tests: fresh paths, and a file that removes itself.
#ifndef GETIHU_INGEST_TESTING_TEMP_FILE_H_
#define GETIHU_INGEST_TESTING_TEMP_FILE_H_

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace getihu::ingest::testing {

// A fresh path in $TMPDIR (or /tmp) ending with `suffix`; nothing is created there.
inline std::string TempPath(std::string_view suffix) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/getihu-XXXXXX";
  int fd = mkstemp(pattern.data());
  if (fd >= 0) ::close(fd);
  ::unlink(pattern.c_str());
  return pattern + std::string(suffix);
}

// A file holding `bytes`, removed when the object goes.
class TempFile {
 public:
  TempFile(std::string_view suffix, const std::string& bytes) : path_(TempPath(suffix)) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace getihu::ingest::testing

#endif  // GETIHU_INGEST_TESTING_TEMP_FILE_H_
