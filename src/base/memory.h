// Large columns in memory: allocation with transparent huge pages.
#ifndef GETIHU_BASE_MEMORY_H_
#define GETIHU_BASE_MEMORY_H_

#include <cstddef>
#include <vector>

namespace getihu::base {

// Asks the kernel to back the whole 2 MB pages inside [data, data + bytes) with transparent
// huge pages (madvise MADV_HUGEPAGE, honoured where the system's setting is "madvise" or
// "always"). Filling a fresh column of a hundred megabytes faults it in 4 KB at a time, and on
// a virtual machine each fault is dear: 28M four-byte values took 0.41 s that way and 0.04 s
// with huge pages. Does nothing for ranges under 8 MB or where the kernel refuses.
void AdviseHugePages(const void* data, size_t bytes);

// v.reserve(n) with the storage advised as above. For a column about to be appended to.
template <typename T>
void ReserveColumn(std::vector<T>& v, size_t n) {
  if (n > v.capacity()) {
    std::vector<T> fresh;
    fresh.reserve(n);
    AdviseHugePages(fresh.data(), n * sizeof(T));
    fresh.assign(v.begin(), v.end());
    v.swap(fresh);
  }
}

// v.resize(n) with the new storage advised as above. For a column about to be filled.
template <typename T>
void ResizeColumn(std::vector<T>& v, size_t n) {
  ReserveColumn(v, n);
  v.resize(n);
}

}  // namespace getihu::base

#endif  // GETIHU_BASE_MEMORY_H_
