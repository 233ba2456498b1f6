#include "cli/report_command.h"

#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <unistd.h>

#include "analytics/population.h"
#include "analytics/report.h"
#include "analytics/vitality.h"
#include "base/clock.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "server/report_files.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;

int RunReport(const std::string& db_path, const std::string& region, const std::string& as_of_text,
              const std::string& out_dir, bool json) {
  auto start = std::chrono::steady_clock::now();
  auto as_of = base::Date::Parse(as_of_text);
  if (!as_of.ok())
    return ReportError(base::InvalidArgument("--as-of 日期无效：" + as_of_text), json);
  auto prefix = server::ReportRegionPrefix(region);
  if (!prefix.ok()) return ReportError(prefix.status(), json);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  // A large SQLite pool is read in two halves at once.
  analytics::Population::LoadOptions load;
  load.open_reader = [&db_path] { return OpenDatabase(db_path); };
  load.image = ConfiguredImageOptions(db_path);
  auto population = analytics::Population::Load(**db, *prefix, *as_of, load);
  if (!population.ok()) return ReportError(population.status(), json);
  // The year's signs of operating are read on a second connection while this one reads the
  // tier runs' outcomes and counts (5.6 s and 3.6 s at 10M households); on this one alone when
  // a second cannot be opened (e.g. the server's connection limit).
  const int activity_year = analytics::DefaultActivityYear(*as_of);
  std::future<base::Result<std::vector<uint8_t>>> signs;
  if (base::Result<std::unique_ptr<storage::Database>> reader = OpenDatabase(db_path);
      reader.ok()) {
    signs = std::async(std::launch::async, [&population, activity_year, r = std::move(*reader)]() {
      return analytics::LoadActivitySigns(*r, *population, activity_year);
    });
  }
  analytics::ReportSources sources;
  sources.activity_signs = [&](int year) -> base::Result<std::vector<uint8_t>> {
    if (year == activity_year && signs.valid()) return signs.get();
    return analytics::LoadActivitySigns(**db, *population, year);
  };
  auto files = server::WriteReportFiles(**db, *prefix, *as_of, out_dir, &*population, sources);
  if (signs.valid()) signs.wait();
  if (!files.ok()) return ReportError(files.status(), json);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (json) {
    Json j = {{"region", files->region_prefix},
              {"region_name", files->region_name},
              {"as_of", as_of->ToString()},
              {"html", files->html},
              {"xlsx", files->xlsx},
              {"docx", files->docx},
              {"tables", files->tables},
              {"seconds", seconds}};
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("%s%s\n\n%s\n\n", files->title.c_str(), files->subtitle.c_str(),
              files->first_paragraph.c_str());
  std::printf("已生成报告：%s、%s、%s（%zu 张表，用时 %.1f 秒）\n", files->html.c_str(),
              files->xlsx.c_str(), files->docx.c_str(), files->tables, seconds);
  return kExitOk;
}

// Reading a large pool shows a line on a terminal meanwhile (about 40 s at ten million).
base::Result<bool> PrepareImages(const std::string& db_path, storage::Database& db,
                                 base::Date as_of, bool json) {
  analytics::Population::LoadOptions load;
  load.open_reader = [&db_path] { return OpenDatabase(db_path); };
  load.image = ConfiguredImageOptions(db_path);
  if (!json && isatty(STDERR_FILENO)) std::fprintf(stderr, "正在更新统计镜像…");
  base::Result<bool> written = analytics::PrepareReportImages(db, as_of, load);
  if (!json && isatty(STDERR_FILENO)) std::fprintf(stderr, "\r\033[K");
  return written;
}

int RunImages(const std::string& db_path, const std::string& as_of_text, bool json) {
  auto start = std::chrono::steady_clock::now();
  base::Date as_of = base::SystemClock().Today();
  if (!as_of_text.empty()) {
    auto d = base::Date::Parse(as_of_text);
    if (!d.ok()) return ReportError(base::InvalidArgument("--as-of 日期无效：" + as_of_text), json);
    as_of = *d;
  }
  const analytics::PoolImageOptions options = ConfiguredImageOptions(db_path);
  if (options.dir.empty()) {
    return ReportError(base::FailedPrecondition("统计镜像已关闭（GETIHU_IMAGE_DIR=off）"), json);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  base::Result<bool> written = PrepareImages(db_path, **db, as_of, json);
  if (!written.ok()) return ReportError(written.status(), json);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (json) {
    Json j = {{"written", *written},
              {"dir", options.dir},
              {"as_of", as_of.ToString()},
              {"seconds", seconds}};
    std::printf("%s\n", j.dump(2).c_str());
  } else if (*written) {
    std::printf("统计镜像已就绪：%s（基准日 %s，用时 %.1f 秒）\n", options.dir.c_str(),
                as_of.ToString().c_str(), seconds);
  } else {
    std::printf("数据池不足 %lld 户，统计直接读取数据池，无需镜像\n",
                static_cast<long long>(options.min_households));
  }
  return kExitOk;
}

}  // namespace

void PrepareImagesAfterImport(const std::string& db_path, storage::Database& db, base::Date as_of,
                              bool json) {
  auto start = std::chrono::steady_clock::now();
  base::Result<bool> written = PrepareImages(db_path, db, as_of, json);
  if (!written.ok()) {
    std::fprintf(stderr, "警告：统计镜像未能更新（%s），下一次统计或报告将直接读取数据池\n",
                 written.status().message().c_str());
    return;
  }
  if (*written && !json) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("  已更新统计镜像（用时 %.1f 秒），此后的统计和报告从镜像读取\n", seconds);
  }
}

void AddReportCommand(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  static std::string region, as_of, out;
  CLI::App* r = app.add_subcommand("report",
                                   "生成个体工商户发展分析报告：report.html（含图表）、report."
                                   "xlsx（各表）和 report.docx（Word 文档）");
  r->add_option("--region", region, "区划代码（省、市、区县）")->required();
  r->add_option("--as-of", as_of, "基准日 YYYY-MM-DD")->required();
  r->add_option("--out", out, "输出目录")->required();
  r->callback([&exit_code, g] { exit_code = RunReport(*g.db_path, region, as_of, out, *g.json); });

  static std::string images_as_of;
  CLI::App* i =
      app.add_subcommand("images",
                         "预先生成统计镜像（导入后自动生成；恢复备份或迁移数据库后可手动运行），"
                         "使此后的统计和报告不必重新读取整个数据池");
  i->add_option("--as-of", images_as_of, "统计基准日 YYYY-MM-DD（默认今天）");
  i->callback([&exit_code, g] { exit_code = RunImages(*g.db_path, images_as_of, *g.json); });
}

}  // namespace getihu::cli
