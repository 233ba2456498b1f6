#include "workflows/frame_chunks.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

#include "storage/profile_query.h"

namespace getihu::workflows {

base::Status BuildFrameChunks(storage::Database& db, std::string_view region_prefix,
                              base::Date as_of, std::span<const std::string> fields,
                              size_t chunk_households,
                              const std::function<base::Status(engine::Frame)>& fn) {
  engine::FrameBuilder builder(fields);
  builder.Reserve(chunk_households);
  GETIHU_RETURN_IF_ERROR(storage::ScanProfiles(
      db, region_prefix, as_of,
      [&](const domain::HouseholdProfile& p) {
        builder.Append(p);
        if (builder.size() < chunk_households) return base::OkStatus();
        engine::Frame chunk = builder.Finish();
        builder.Reserve(chunk_households);
        return fn(std::move(chunk));
      },
      fields));
  if (builder.size() > 0) return fn(builder.Finish());
  return base::OkStatus();
}

struct FrameChunkReader::State {
  std::mutex mu;
  std::condition_variable changed;
  std::deque<engine::Frame> ready;
  bool stopped = false;  // the consumer is gone: reading ends
  bool done = false;     // reading ended, with `status`
  base::Status status;
  double seconds = 0;
};

FrameChunkReader::FrameChunkReader(std::unique_ptr<storage::Database> db, Options options)
    : db_(std::move(db)), options_(std::move(options)), state_(std::make_unique<State>()) {
  thread_ = std::thread([this] { Read(); });
}

FrameChunkReader::~FrameChunkReader() {
  {
    std::lock_guard lock(state_->mu);
    state_->stopped = true;
  }
  state_->changed.notify_all();
  thread_.join();
}

void FrameChunkReader::Read() {
  auto start = std::chrono::steady_clock::now();
  int64_t households = 0;
  State& s = *state_;
  auto hand_over = [&](engine::Frame chunk) -> base::Status {
    households += static_cast<int64_t>(chunk.size());
    if (options_.on_chunk) GETIHU_RETURN_IF_ERROR(options_.on_chunk(households));
    std::unique_lock lock(s.mu);
    s.changed.wait(lock, [&] { return s.stopped || s.ready.size() < options_.max_ahead; });
    if (s.stopped) return base::Aborted("分型批次已中止");
    s.ready.push_back(std::move(chunk));
    s.changed.notify_all();
    return base::OkStatus();
  };
  // One snapshot for the whole scan: an import committing meanwhile (PostgreSQL does not lock
  // it out) cannot leave a household's facts out of step with the household itself.
  auto scan = [&]() -> base::Status {
    GETIHU_ASSIGN_OR_RETURN(storage::Transaction read, storage::Transaction::BeginRead(*db_));
    GETIHU_RETURN_IF_ERROR(BuildFrameChunks(*db_, options_.region_prefix, options_.as_of,
                                            options_.fields, options_.chunk_households, hand_over));
    return read.Commit();
  };
  base::Status status = scan();
  {
    std::lock_guard lock(s.mu);
    s.done = true;
    s.status = std::move(status);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  s.changed.notify_all();
}

base::Result<std::optional<engine::Frame>> FrameChunkReader::Next() {
  State& s = *state_;
  std::unique_lock lock(s.mu);
  s.changed.wait(lock, [&] { return !s.ready.empty() || s.done; });
  if (s.ready.empty()) {
    GETIHU_RETURN_IF_ERROR(s.status);
    return std::optional<engine::Frame>();
  }
  std::optional<engine::Frame> chunk(std::move(s.ready.front()));
  s.ready.pop_front();
  s.changed.notify_all();
  return chunk;
}

double FrameChunkReader::seconds() const {
  std::lock_guard lock(state_->mu);
  return state_->seconds;
}

}  // namespace getihu::workflows
