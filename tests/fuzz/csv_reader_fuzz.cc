// libFuzzer harness for the CSV reader: any bytes, opened as a .csv file and read to the
// end, must give rows of valid UTF-8 or a clear error — never a crash, a hang, a leak or
// undefined behaviour. The first row is matched against every feed layout.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/text.h"
#include "ingest/header_matcher.h"
#include "ingest/table_reader.h"

namespace {

using getihu::ingest::RawRow;

void CheckRow(const RawRow& row, bool header) {
  for (std::string_view f : row.fields) {
    if (!getihu::base::IsValidUtf8(f)) __builtin_trap();  // the readers promise UTF-8
  }
  if (!header) return;
  for (const getihu::ingest::FeedLayout& feed : getihu::ingest::AllFeeds()) {
    (void)getihu::ingest::MatchHeader(feed, row.fields);
  }
  (void)getihu::ingest::DetectFeeds(row.fields);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  getihu::ingest::ReaderOptions options;
  options.chunk_bytes = 16 + size % 48;  // small chunks: boundaries everywhere
  options.max_record_bytes = 4096;
  auto reader = getihu::ingest::OpenTableFromMemory(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv", options);
  if (!reader.ok()) return 0;
  RawRow row;
  for (bool header = true;; header = false) {
    auto more = (*reader)->Next(row);
    if (!more.ok() || !*more) break;
    CheckRow(row, header);
  }
  return 0;
}
