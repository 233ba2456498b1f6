// The frame of a region read in chunks, for the pipelined tier run: a second connection and
// thread scan the pool while the caller evaluates and stores, on its own connection, the
// chunks read so far. Rules evaluate each household on its own, so a chunk is a frame.
#ifndef GETIHU_WORKFLOWS_FRAME_CHUNKS_H_
#define GETIHU_WORKFLOWS_FRAME_CHUNKS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/date.h"
#include "base/status.h"
#include "engine/frame.h"
#include "storage/database.h"

namespace getihu::workflows {

// Calls `fn` with the frame BuildFrame (tier_run.h) would give, cut in household id order
// into frames of `chunk_households` households (the last may hold fewer; no call for a region
// without households). Stops at the first error of the scan or of `fn`.
// REQUIRES: chunk_households > 0.
base::Status BuildFrameChunks(storage::Database& db, std::string_view region_prefix,
                              base::Date as_of, std::span<const std::string> fields,
                              size_t chunk_households,
                              const std::function<base::Status(engine::Frame)>& fn);

// Runs BuildFrameChunks on a thread of its own over a connection of its own, up to
// `max_ahead` chunks ahead of the caller. Next is called from one thread at a time; the
// destructor stops the reading and waits for the thread.
class FrameChunkReader {
 public:
  struct Options {
    std::string region_prefix;
    base::Date as_of;
    std::vector<std::string> fields;  // as BuildFrame's
    size_t chunk_households = 16384;
    size_t max_ahead = 4;
    // Called on the reading thread after each chunk with the households read so far; an
    // error ends the reading with that error.
    std::function<base::Status(int64_t households)> on_chunk;
  };

  // Starts reading. `db` must be a connection to the pool, not used elsewhere meanwhile.
  FrameChunkReader(std::unique_ptr<storage::Database> db, Options options);
  ~FrameChunkReader();
  FrameChunkReader(const FrameChunkReader&) = delete;
  FrameChunkReader& operator=(const FrameChunkReader&) = delete;

  // Waits for the next chunk. Returns nullopt after the last one, or the reading's error once
  // the chunks read before it have been taken.
  base::Result<std::optional<engine::Frame>> Next();

  // Seconds from the start until the last chunk was read. REQUIRES: Next returned nullopt.
  double seconds() const;

 private:
  struct State;
  void Read();

  std::unique_ptr<storage::Database> db_;
  const Options options_;
  std::unique_ptr<State> state_;
  std::thread thread_;
};

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_FRAME_CHUNKS_H_
