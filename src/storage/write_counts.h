// What a bulk write did to its rows. Value type.
#ifndef GETIHU_STORAGE_WRITE_COUNTS_H_
#define GETIHU_STORAGE_WRITE_COUNTS_H_

#include <cstdint>

namespace getihu::storage {

struct WriteCounts {
  int64_t inserted = 0;  // new rows
  int64_t updated = 0;   // existing rows completed or changed (see each function)
  int64_t ignored = 0;   // rows whose key was already stored, left as they were

  friend bool operator==(const WriteCounts&, const WriteCounts&) = default;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_WRITE_COUNTS_H_
