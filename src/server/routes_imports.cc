// Import routes: upload a department file (streamed to disk, imported in the background as
// one batch, progress polled through /jobs), the batch list and one batch with its refusals
// by reason, the rejects file to fix in Excel (CSV or .xlsx), and the data-quality view.
// Departments upload and see only their own feeds.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>

#include "analytics/report.h"
#include "ingest/feed_layout.h"
#include "ingest/field_parser.h"
#include "ingest/table_reader.h"
#include "ingest/table_writer.h"
#include "server/api_internal.h"
#include "storage/batch_repository.h"
#include "storage/quality_query.h"
#include "workflows/import.h"

namespace getihu::server {
namespace {

namespace fs = std::filesystem;

std::atomic<uint64_t> upload_seq{0};

std::string RejectsDir(const ApiContext& ctx) { return ctx.options.work_dir + "/rejects"; }
std::string RejectsFile(const ApiContext& ctx, int64_t batch) {
  return RejectsDir(ctx) + "/batch-" + std::to_string(batch) + ".rejects.csv";
}

Json BatchJson(const storage::Batch& b) {
  const ingest::FeedLayout* feed = ingest::FindFeed(b.feed);
  Json j = {{"id", b.id},
            {"feed", b.feed},
            {"feed_title", feed ? feed->title : ""},
            {"department", feed ? feed->department : ""},
            {"file_name", b.file_name},
            {"sha256", b.content_sha256},
            {"status", storage::BatchStatusCode(b.status)},
            {"rows_loaded", b.rows_loaded},
            {"rows_rejected", b.rows_rejected},
            {"imported_at", b.imported_at},
            {"imported_by", b.imported_by}};
  j["period"] = b.period ? Json(*b.period) : Json();
  j["as_of"] = b.as_of ? Json(b.as_of->ToString()) : Json();
  j["error"] = b.error_message ? Json(*b.error_message) : Json();
  return j;
}

bool MaySeeBatch(const Principal& who, const storage::Batch& b) {
  return who.role == "regulator" || MayUpload(who, b.feed);
}

void Upload(Call& c) {
  std::string feed_name = c.req.Query("feed");
  const ingest::FeedLayout* feed = ingest::FindFeed(feed_name);
  if (feed == nullptr) {
    return ReplyError(c.res, 400, "invalid_argument", "未知的数据类型 feed：" + feed_name);
  }
  if (!MayUpload(c.who, feed_name)) {
    (void)Audit(c, "import.upload", "feed:" + feed_name, Json::object(), "denied");
    return ReplyError(c.res, 403, "forbidden",
                      "本部门无权上传“" + std::string(feed->title) + "”数据");
  }
  std::string file_name = c.req.Query("file_name");
  std::string ext = fs::path(file_name).extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (ext != ".csv" && ext != ".xlsx") {
    return ReplyError(c.res, 400, "invalid_argument", "文件名应以 .csv 或 .xlsx 结尾");
  }
  if (file_name.size() > 200 || file_name.find('/') != std::string::npos ||
      file_name.find('\\') != std::string::npos || file_name.starts_with(".") ||
      std::any_of(file_name.begin(), file_name.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) < 0x20; })) {
    return ReplyError(c.res, 400, "invalid_argument", "文件名无效");
  }
  base::Date as_of = c.ctx.options.clock->Today();
  if (std::string a = c.req.Query("as_of"); !a.empty()) {
    base::Result<base::Date> d = base::Date::Parse(a);
    if (!d.ok()) return ReplyError(c.res, 400, "invalid_argument", "as_of 应为 YYYY-MM-DD 日期");
    as_of = *d;
  }
  if (c.req.body_bytes == 0) return ReplyError(c.res, 400, "invalid_argument", "上传的文件为空");
  // Keep the upload past this request: the job imports it later and then removes it.
  std::error_code ec;
  fs::create_directories(RejectsDir(c.ctx), ec);
  // In a directory of its own under the name it came with, which the batch records.
  std::string kept_dir = c.ctx.options.work_dir + "/upload-" + std::to_string(c.ctx.Now()) + "-" +
                         std::to_string(upload_seq.fetch_add(1));
  std::string kept = kept_dir + "/" + file_name;
  fs::create_directories(kept_dir, ec);
  if (!ec) fs::rename(c.req.body_file, kept, ec);
  if (ec) {
    fs::remove_all(kept_dir, ec);
    return ReplyError(c.res, 500, "internal", "无法保存上传的文件");
  }
  Json detail = {{"file_name", file_name}, {"bytes", c.req.body_bytes}};
  if (auto s = Audit(c, "import.upload", "feed:" + feed_name, detail); !s.ok()) {
    fs::remove_all(kept_dir, ec);
    return ReplyError(c.res, s);
  }
  ApiContext& ctx = c.ctx;
  std::string who = c.who.display_name.empty() ? c.who.username : c.who.display_name;
  std::string actor = c.who.username, addr = c.req.remote_addr;
  Job job;
  job.kind = "import";
  job.created_by = c.who.username;
  job.owner_user_id = c.who.user_id;
  job.region_prefix = c.who.region_prefix;
  Job submitted = ctx.jobs.Submit(
      job,
      [&ctx, feed, kept, kept_dir, file_name, as_of, who, actor,
       addr](const auto& report) -> base::Result<Json> {
        struct Cleanup {
          std::string path;
          ~Cleanup() {
            std::error_code e;
            fs::remove_all(path, e);
          }
        } cleanup{kept_dir};
        GETIHU_ASSIGN_OR_RETURN(ConnectionPool::Lease lease, ctx.pool.Acquire(60'000));
        workflows::ImportOptions options;
        options.as_of = as_of;
        options.imported_by = who;
        options.rejects_path = kept_dir + "/rejects.csv";
        options.progress = [&report](uint64_t rows) {
          report("已读取 " + std::to_string(rows) + " 行");
        };
        options.progress_every = 20'000;
        GETIHU_ASSIGN_OR_RETURN(
            workflows::ImportReport r,
            workflows::ImportFile(lease.db(), *feed, kept, options, *ctx.options.clock));
        if (r.already_imported) {  // the figures of the batch that loaded these bytes
          storage::BatchRepository batches(lease.db());
          GETIHU_ASSIGN_OR_RETURN(std::optional<storage::Batch> earlier,
                                  batches.FindBatch(r.batch_id));
          if (earlier) {
            r.accepted = static_cast<uint64_t>(earlier->rows_loaded);
            r.rejected = static_cast<uint64_t>(earlier->rows_rejected);
            r.rows_read = r.accepted + r.rejected;
          }
        }
        std::error_code e;
        if (!r.rejects_path.empty()) {
          fs::rename(r.rejects_path, RejectsFile(ctx, r.batch_id), e);
        }
        GETIHU_RETURN_IF_ERROR(Audit(lease.db(), ctx, actor, addr, "import.batch",
                                     "batch:" + std::to_string(r.batch_id),
                                     Json{{"accepted", r.accepted}, {"rejected", r.rejected}}));
        // What the statistics read, made ready now that the pool changed
        // (analytics::PrepareReportImages): the next report reads the images rather than the
        // whole pool. A failure leaves the import done; that report reads the pool instead.
        bool images = false;
        double images_seconds = 0;
        if (!r.already_imported && !ctx.options.population_images.dir.empty()) {
          report("正在更新统计镜像");
          const auto start = std::chrono::steady_clock::now();
          analytics::Population::LoadOptions load;
          load.open_reader = ctx.options.open_database;
          load.image = ctx.options.population_images;
          base::Result<bool> written = analytics::PrepareReportImages(lease.db(), as_of, load);
          images = written.ok() && *written;
          images_seconds =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        }
        Json reasons = Json::array();
        for (const auto& [label, n] : r.rejected_by_reason) {
          reasons.push_back({{"reason", label}, {"rows", n}});
        }
        return Json{{"batch", r.batch_id},
                    {"feed", r.feed},
                    {"file_name", file_name},
                    {"already_imported", r.already_imported},
                    {"rows_read", r.rows_read},
                    {"accepted", r.accepted},
                    {"rejected", r.rejected},
                    {"unchanged", r.unchanged},
                    {"superseded", r.superseded},
                    {"households_created", r.households_created},
                    {"households_updated", r.households_updated},
                    {"rejected_by_reason", reasons},
                    {"seconds", r.seconds},
                    {"images", images},
                    {"images_seconds", images_seconds}};
      },
      ctx.Now());
  ReplyJson(c.res, {{"job", submitted.id}, {"state", submitted.state}}, 202);
}

base::Result<int64_t> BatchId(const HttpRequest& req) {
  std::string t = req.Param("id");
  if (t.empty() || t.size() > 15 || t.find_first_not_of("0123456789") != std::string::npos) {
    return base::InvalidArgument("批次编号应为正整数");
  }
  return std::stoll(t);
}

std::optional<storage::Batch> VisibleBatch(Call& c) {
  base::Result<int64_t> id = BatchId(c.req);
  if (!id.ok()) {
    ReplyError(c.res, id.status());
    return std::nullopt;
  }
  storage::BatchRepository repo(c.db);
  base::Result<std::optional<storage::Batch>> b = repo.FindBatch(*id);
  if (!b.ok()) {
    ReplyError(c.res, b.status());
    return std::nullopt;
  }
  if (!b->has_value() || !MaySeeBatch(c.who, **b)) {
    ReplyError(c.res, 404, "not_found", "没有编号为 " + std::to_string(*id) + " 的批次");
    return std::nullopt;
  }
  return std::move(**b);
}

void ListBatches(Call& c) {
  base::Result<int> limit = PageLimit(c.req, 100, 1000);
  if (!limit.ok()) return ReplyError(c.res, limit.status());
  storage::BatchRepository repo(c.db);
  base::Result<std::vector<storage::Batch>> list = repo.ListBatches(*limit);
  if (!list.ok()) return ReplyError(c.res, list.status());
  Json items = Json::array();
  for (const storage::Batch& b : *list) {
    if (MaySeeBatch(c.who, b)) items.push_back(BatchJson(b));
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

void GetBatch(Call& c) {
  std::optional<storage::Batch> b = VisibleBatch(c);
  if (!b) return;
  Json j = BatchJson(*b);
  auto stmt = c.db.Prepare(
      "SELECT COALESCE(reason_code, 'other'), count(*) FROM rejects WHERE batch_id = ?"
      " GROUP BY COALESCE(reason_code, 'other') ORDER BY count(*) DESC, 1");
  if (!stmt.ok()) return ReplyError(c.res, stmt.status());
  if (auto s = (*stmt)->BindInt(1, b->id); !s.ok()) return ReplyError(c.res, s);
  Json reasons = Json::array();
  for (;;) {
    base::Result<bool> row = (*stmt)->Step();
    if (!row.ok()) return ReplyError(c.res, row.status());
    if (!*row) break;
    std::string code = (*stmt)->ColumnText(0);
    reasons.push_back(
        {{"reason", code}, {"label", ingest::ReasonLabel(code)}, {"rows", (*stmt)->ColumnInt(1)}});
  }
  j["rejected_by_reason"] = std::move(reasons);
  j["rejects_file"] = fs::exists(RejectsFile(c.ctx, b->id));
  ReplyJson(c.res, j);
}

void DownloadRejects(Call& c) {
  std::optional<storage::Batch> b = VisibleBatch(c);
  if (!b) return;
  std::string csv = RejectsFile(c.ctx, b->id);
  if (!fs::exists(csv)) {
    return ReplyError(c.res, 404, "not_found", "该批次没有被拒绝的行");
  }
  std::string format = c.req.Query("format");
  if (format.empty() || format == "csv") {
    c.res.content_type = "text/csv; charset=utf-8";
    c.res.file = csv;
    c.res.SetHeader("Content-Disposition",
                    "attachment; filename*=UTF-8''batch-" + std::to_string(b->id) + ".rejects.csv");
  } else if (format == "xlsx") {
    std::string out = c.ctx.options.work_dir + "/download-" + std::to_string(b->id) + "-" +
                      std::to_string(upload_seq.fetch_add(1)) + ".xlsx";
    base::Result<std::unique_ptr<ingest::TableReader>> in = ingest::OpenTable(csv);
    if (!in.ok()) return ReplyError(c.res, in.status());
    base::Result<std::unique_ptr<ingest::TableWriter>> w =
        ingest::CreateTableWriter(out, "被拒绝的行");
    if (!w.ok()) return ReplyError(c.res, w.status());
    ingest::RawRow row;
    for (;;) {
      base::Result<bool> more = (*in)->Next(row);
      if (!more.ok()) return ReplyError(c.res, more.status());
      if (!*more) break;
      if (auto s = (*w)->AddRow(row.fields); !s.ok()) return ReplyError(c.res, s);
    }
    if (auto s = (*w)->Close(); !s.ok()) return ReplyError(c.res, s);
    c.res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    c.res.file = out;
    c.res.remove_file_after = true;
    c.res.SetHeader("Content-Disposition", "attachment; filename*=UTF-8''batch-" +
                                               std::to_string(b->id) + ".rejects.xlsx");
  } else {
    return ReplyError(c.res, 400, "invalid_argument", "format 只能是 csv 或 xlsx");
  }
  if (auto s = Audit(c, "import.rejects.download", "batch:" + std::to_string(b->id),
                     Json{{"format", format.empty() ? "csv" : format}});
      !s.ok()) {
    return ReplyError(c.res, s);
  }
}

void Quality(Call& c) {
  base::Result<std::string> region = ScopedRegion(c.who, c.req.Query("region"));
  if (!region.ok()) return ReplyError(c.res, region.status());
  base::Result<storage::DataQuality> q = storage::QueryDataQuality(c.db, *region);
  if (!q.ok()) return ReplyError(c.res, q.status());
  Json periods = Json::array();
  for (const storage::FeedPeriodQuality& p : q->periods) {
    const ingest::FeedLayout* f = ingest::FindFeed(p.feed);
    periods.push_back({{"feed", p.feed},
                       {"feed_title", f ? f->title : ""},
                       {"period", p.period},
                       {"rows", p.rows},
                       {"households", p.households},
                       {"population", p.population}});
  }
  Json feeds = Json::array();
  for (const storage::FeedLoadQuality& f : q->feeds) {
    const ingest::FeedLayout* l = ingest::FindFeed(f.feed);
    Json reasons = Json::array();
    for (const auto& [code, n] : f.rejected_by_reason) {
      reasons.push_back({{"reason", code}, {"label", ingest::ReasonLabel(code)}, {"rows", n}});
    }
    feeds.push_back({{"feed", f.feed},
                     {"feed_title", l ? l->title : ""},
                     {"batches", f.batches},
                     {"loaded", f.loaded},
                     {"rejected", f.rejected},
                     {"unmatched", f.unmatched},
                     {"rejected_by_reason", reasons}});
  }
  ReplyJson(c.res, {{"region", *region}, {"periods", periods}, {"feeds", feeds}});
}

void ListFeeds(Call& c) {
  Json items = Json::array();
  for (const ingest::FeedLayout& f : ingest::AllFeeds()) {
    Json fields = Json::array();
    for (const ingest::FieldSpec& s : f.fields) {
      fields.push_back({{"key", s.key},
                        {"header", s.header},
                        {"type", ingest::FieldTypeName(s.type)},
                        {"required", s.required},
                        {"meaning", s.meaning}});
    }
    items.push_back({{"name", f.name},
                     {"title", f.title},
                     {"department", f.department},
                     {"period", f.period},
                     {"may_upload", MayUpload(c.who, f.name)},
                     {"fields", fields}});
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

}  // namespace

void AddImportRoutes(ApiContext& ctx) {
  Router& r = ctx.router;
  r.Add("GET", "/api/v1/feeds", Guarded(ctx, Permission::kSignedIn, ListFeeds));
  r.Add("POST", "/api/v1/imports", Guarded(ctx, Permission::kImport, Upload), {.streaming = true});
  r.Add("GET", "/api/v1/batches", Guarded(ctx, Permission::kImport, ListBatches));
  r.Add("GET", "/api/v1/batches/{id}", Guarded(ctx, Permission::kImport, GetBatch));
  r.Add("GET", "/api/v1/batches/{id}/rejects", Guarded(ctx, Permission::kImport, DownloadRejects),
        {.blocking = true});
  r.Add("GET", "/api/v1/quality", Guarded(ctx, Permission::kHouseholds, Quality),
        {.blocking = true});
}

}  // namespace getihu::server
