#include "cli/import_command.h"

#include <algorithm>
#include <cstdio>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/text.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "cli/report_command.h"
#include "domain/region.h"
#include "ingest/feed_layout.h"
#include "ingest/field_parser.h"
#include "storage/batch_repository.h"
#include "storage/quality_query.h"
#include "workflows/import.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;

Json ReportJson(const std::string& file, const base::Result<workflows::ImportReport>& r) {
  Json j;
  j["file"] = file;
  if (!r.ok()) {
    j["error"] = {{"code", std::string(base::StatusCodeName(r.status().code()))},
                  {"message", r.status().message()}};
    return j;
  }
  j["feed"] = r->feed;
  j["batch_id"] = r->batch_id;
  j["already_imported"] = r->already_imported;
  j["rows_read"] = r->rows_read;
  j["accepted"] = r->accepted;
  j["rejected"] = r->rejected;
  j["unchanged"] = r->unchanged;
  j["superseded"] = r->superseded;
  j["rejected_by_reason"] = Json::object();
  for (const auto& [reason, n] : r->rejected_by_reason) j["rejected_by_reason"][reason] = n;
  j["households_created"] = r->households_created;
  j["households_updated"] = r->households_updated;
  j["seconds"] = r->seconds;
  j["rows_per_second"] = r->seconds > 0 ? static_cast<double>(r->rows_read) / r->seconds : 0.0;
  j["rejects_file"] = r->rejects_path;
  j["sha256"] = r->sha256;
  return j;
}

void PrintReport(const std::string& file, const base::Result<workflows::ImportReport>& r) {
  if (isatty(STDERR_FILENO)) std::fprintf(stderr, "\r\033[K");  // clear the progress line
  if (!r.ok()) {
    std::printf("%s：未导入。%s\n", file.c_str(), r.status().message().c_str());
    return;
  }
  if (r->already_imported) {
    std::printf("%s：该文件已于批次 %lld 导入，本次未做任何更改\n", file.c_str(),
                static_cast<long long>(r->batch_id));
    return;
  }
  std::printf("%s（%s）：批次 %lld，读取 %llu 行，导入 %llu 行，拒绝 %llu 行", file.c_str(),
              r->feed.c_str(), static_cast<long long>(r->batch_id),
              static_cast<unsigned long long>(r->rows_read),
              static_cast<unsigned long long>(r->accepted),
              static_cast<unsigned long long>(r->rejected));
  if (r->unchanged > 0)
    std::printf("（其中 %llu 行与已有数据相同）", static_cast<unsigned long long>(r->unchanged));
  if (r->superseded > 0) {
    std::printf("（其中 %llu 行更正了以前批次的数据，旧值已保留）",
                static_cast<unsigned long long>(r->superseded));
  }
  std::printf("\n  新增 %lld 户，更新 %lld 户；用时 %.2f 秒，每秒 %.0f 行\n",
              static_cast<long long>(r->households_created),
              static_cast<long long>(r->households_updated), r->seconds,
              r->seconds > 0 ? static_cast<double>(r->rows_read) / r->seconds : 0.0);
  for (const auto& [reason, n] : r->rejected_by_reason) {
    std::printf("  拒绝原因：%s %llu 行\n", reason.c_str(), static_cast<unsigned long long>(n));
  }
  if (!r->rejects_path.empty())
    std::printf("  错误行文件（可在 Excel 中修改后重新导入）：%s\n", r->rejects_path.c_str());
}

}  // namespace

int RunImport(const std::string& db_path, const ImportArgs& a, bool json) {
  workflows::ImportOptions options;
  options.as_of = base::SystemClock().Today();
  if (!a.as_of.empty()) {
    auto d = base::Date::Parse(a.as_of);
    if (!d.ok()) return ReportError(d.status().WithContext("--as-of"), json);
    options.as_of = *d;
  }
  options.reader.sheet = a.sheet;
  if (!json && isatty(STDERR_FILENO)) {
    options.progress = [](uint64_t rows) {
      std::fprintf(stderr, "\r  已处理 %llu 行…", static_cast<unsigned long long>(rows));
      std::fflush(stderr);
    };
  }
  std::vector<std::pair<std::string, base::Result<workflows::ImportReport>>> results;
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  if (!a.dir.empty()) {
    if (!a.args.empty())
      return ReportError(base::InvalidArgument("使用 --dir 时不要再列出文件"), json);
    auto r = workflows::ImportDirectory(**db, a.dir, options);
    if (!r.ok()) return ReportError(r.status(), json);
    results = std::move(*r);
  } else {
    if (a.args.size() < 2) {
      return ReportError(base::InvalidArgument("用法：getihu import 数据类型 文件…（数据类型见 "
                                               "getihu feeds），或 getihu import --dir 目录"),
                         json);
    }
    const ingest::FeedLayout* feed = ingest::FindFeed(a.args[0]);
    if (feed == nullptr) {
      return ReportError(
          base::NotFound("没有名为“" + a.args[0] + "”的部门数据，可用 getihu feeds 查看"), json);
    }
    if (!a.rejects.empty() && a.args.size() > 2) {
      return ReportError(base::InvalidArgument("--rejects 只能用于单个文件"), json);
    }
    options.rejects_path = a.rejects;
    for (size_t i = 1; i < a.args.size(); ++i) {
      results.push_back({a.args[i], workflows::ImportFile(**db, *feed, a.args[i], options)});
    }
  }
  bool all_clean = true;
  Json out = Json::array();
  for (const auto& [file, r] : results) {
    all_clean = all_clean && r.ok() && r->rejected == 0;
    if (json) {
      out.push_back(ReportJson(file, r));
    } else {
      PrintReport(file, r);
    }
  }
  if (json) std::printf("%s\n", out.dump(2).c_str());
  // What the statistics read, made ready now that the pool changed: the first report after a
  // large import then reads the images instead of the whole pool.
  const bool changed = std::any_of(results.begin(), results.end(), [](const auto& fr) {
    return fr.second.ok() && !fr.second->already_imported;
  });
  if (changed) PrepareImagesAfterImport(db_path, **db, options.as_of, json);
  return all_clean ? kExitOk : kExitInvalidInput;
}

int RunBatches(const std::string& db_path, int limit, bool json) {
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  storage::BatchRepository repo(**db);
  auto batches = repo.ListBatches(limit);
  if (!batches.ok()) return ReportError(batches.status(), json);
  if (json) {
    Json out = Json::array();
    for (const storage::Batch& b : *batches) {
      out.push_back({{"id", b.id},
                     {"feed", b.feed},
                     {"file", b.file_name},
                     {"status", std::string(storage::BatchStatusCode(b.status))},
                     {"rows_loaded", b.rows_loaded},
                     {"rows_rejected", b.rows_rejected},
                     {"imported_at", b.imported_at},
                     {"imported_by", b.imported_by},
                     {"as_of", b.as_of ? b.as_of->ToString() : ""},
                     {"sha256", b.content_sha256}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return kExitOk;
  }
  if (batches->empty()) std::printf("还没有导入任何批次\n");
  for (const storage::Batch& b : *batches) {
    std::printf("批次 %lld  %-22s %-24s 导入 %lld 行，拒绝 %lld 行  %s  %s\n",
                static_cast<long long>(b.id), b.feed.c_str(), b.file_name.c_str(),
                static_cast<long long>(b.rows_loaded), static_cast<long long>(b.rows_rejected),
                b.imported_at.c_str(), b.imported_by.c_str());
  }
  return kExitOk;
}

int RunQuality(const std::string& db_path, const std::string& region, bool json) {
  std::string prefix;
  std::string region_name = "全部";
  if (!region.empty()) {
    const domain::Region* r = domain::RegionTable::Builtin().Find(region);
    if (r == nullptr)
      return ReportError(base::InvalidArgument("区划代码“" + region + "”不存在"), json);
    prefix = r->code.substr(0, std::min<size_t>(6, r->code.size()));
    region_name = domain::RegionTable::Builtin().FullName(r->code);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto q = storage::QueryDataQuality(**db, prefix);
  if (!q.ok()) return ReportError(q.status(), json);
  auto order = [](const std::string& feed) {
    const ingest::FeedLayout* f = ingest::FindFeed(feed);
    return f ? f - ingest::AllFeeds().data() : 1000;
  };
  std::stable_sort(q->feeds.begin(), q->feeds.end(),
                   [&](const auto& a, const auto& b) { return order(a.feed) < order(b.feed); });
  auto title = [](const std::string& feed) {
    const ingest::FeedLayout* f = ingest::FindFeed(feed);
    return f ? std::string(f->title) : feed;
  };
  if (json) {
    Json j;
    j["region"] = region;
    j["periods"] = Json::array();
    for (const auto& p : q->periods) {
      j["periods"].push_back({{"feed", p.feed},
                              {"period", p.period},
                              {"rows", p.rows},
                              {"households", p.households},
                              {"population", p.population},
                              {"coverage", p.coverage()}});
    }
    j["feeds"] = Json::array();
    for (const auto& f : q->feeds) {
      Json reasons = Json::object();
      for (const auto& [code, n] : f.rejected_by_reason) reasons[code] = n;
      j["feeds"].push_back({{"feed", f.feed},
                            {"batches", f.batches},
                            {"loaded", f.loaded},
                            {"rejected", f.rejected},
                            {"unmatched", f.unmatched},
                            {"match_rate", f.match_rate()},
                            {"rejected_by_reason", reasons}});
    }
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("数据质量（区划：%s）\n", region_name.c_str());
  std::printf("%s%s%s%s%s%s\n", base::PadRight("部门数据", 16).c_str(),
              base::PadRight("所属期", 9).c_str(), base::PadRight("记录数", 11).c_str(),
              base::PadRight("覆盖户数", 11).c_str(), base::PadRight("应有户数", 11).c_str(),
              "覆盖率");
  for (const auto& p : q->periods) {
    std::printf("%s%-9s%-11lld%-11lld%-11lld%.2f%%\n", base::PadRight(title(p.feed), 16).c_str(),
                p.period.c_str(), static_cast<long long>(p.rows),
                static_cast<long long>(p.households), static_cast<long long>(p.population),
                100 * p.coverage());
  }
  std::printf("\n各部门数据导入情况（全部批次）：\n");
  for (const auto& f : q->feeds) {
    std::printf("  %s：%lld 个批次，导入 %lld 行，拒绝 %lld 行，匹配率 %.2f%%",
                title(f.feed).c_str(), static_cast<long long>(f.batches),
                static_cast<long long>(f.loaded), static_cast<long long>(f.rejected),
                100 * f.match_rate());
    for (size_t i = 0; i < f.rejected_by_reason.size(); ++i) {
      std::printf("%s%s %lld", i == 0 ? "；拒绝原因：" : "，",
                  std::string(ingest::ReasonLabel(f.rejected_by_reason[i].first)).c_str(),
                  static_cast<long long>(f.rejected_by_reason[i].second));
    }
    std::printf("\n");
  }
  return kExitOk;
}

}  // namespace getihu::cli
