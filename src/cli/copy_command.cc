#include "cli/copy_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "storage/copy_database.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;

bool IsPostgresUrl(const std::string& db) {
  return db.starts_with("postgres://") || db.starts_with("postgresql://");
}

// A URL's password is not printed: postgresql://user:secret@host/db →
// postgresql://user:***@host/db.
std::string Masked(const std::string& db) {
  if (!IsPostgresUrl(db)) return db;
  size_t user = db.find("://") + 3;
  size_t at = db.find('@', user);
  size_t colon = db.find(':', user);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon + 1) + "***" + db.substr(at);
}

// 59000 → "59,000".
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

void PrintSummary(const std::string& from, const std::string& to,
                  const std::vector<storage::CopiedTable>& tables, double seconds, bool json) {
  int64_t rows = 0;
  for (const storage::CopiedTable& t : tables) rows += t.rows;
  double per_second = seconds > 0 ? static_cast<double>(rows) / seconds : 0.0;
  if (!json) {
    std::printf("已把 %s 复制到 %s：%zu 张表，共 %s 行，用时 %.1f 秒（每秒 %s 行）\n",
                Masked(from).c_str(), Masked(to).c_str(), tables.size(), Grouped(rows).c_str(),
                seconds, Grouped(static_cast<int64_t>(per_second)).c_str());
    return;
  }
  Json j;
  j["from"] = Masked(from);
  j["to"] = Masked(to);
  j["tables"] = Json::object();
  for (const storage::CopiedTable& t : tables) j["tables"][std::string(t.table)] = t.rows;
  j["rows"] = rows;
  j["seconds"] = seconds;
  j["rows_per_second"] = per_second;
  std::printf("%s\n", j.dump(2).c_str());
}

}  // namespace

int RunCopy(const std::string& from, const std::string& to, bool confirmed, bool json) {
  if (!confirmed) {
    return ReportError(
        base::FailedPrecondition("复制会把 " + Masked(from) + " 的全部数据写入 " + Masked(to) +
                                 "；目标数据库必须是空的（全新，或只建好了表结构）。请先停止服务，"
                                 "再加 --yes 确认"),
        json);
  }
  if (from == to) return ReportError(base::InvalidArgument("--from 与 --to 是同一个数据库"), json);
  if (!IsPostgresUrl(from) && !std::filesystem::exists(from)) {
    return ReportError(base::NotFound("源数据库文件 " + from + " 不存在"), json);
  }
  auto source = OpenAndMigrate(from);
  if (!source.ok()) return ReportError(source.status().WithContext("源数据库"), json);
  auto target = OpenAndMigrate(to);
  if (!target.ok()) return ReportError(target.status().WithContext("目标数据库"), json);
  auto start = std::chrono::steady_clock::now();
  auto copied =
      storage::CopyDatabase(**source, **target, [json](std::string_view table, int64_t rows) {
        if (json) return;
        std::printf("表 %.*s：%s 行\n", static_cast<int>(table.size()), table.data(),
                    Grouped(rows).c_str());
        std::fflush(stdout);
      });
  if (!copied.ok()) return ReportError(copied.status(), json);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(from, to, *copied, seconds, json);
  return kExitOk;
}

void AddCopyCommand(CLI::App& app, const bool& json, int& exit_code) {
  static std::string from, to;
  static bool yes = false;
  CLI::App* copy = app.add_subcommand(
      "copy", "把整个数据库复制到另一个空数据库（如区县的 SQLite 文件迁到市里的 PostgreSQL）");
  copy->add_option("--from", from, "源数据库：SQLite 文件路径（或 postgresql:// 地址）")
      ->required();
  copy->add_option("--to", to, "目标数据库：postgresql://用户@主机:端口/库名（或 SQLite 文件路径）")
      ->required();
  copy->add_flag("--yes", yes, "确认写入目标数据库（它必须是空的）");
  copy->callback([&json, &exit_code] { exit_code = RunCopy(from, to, yes, json); });
}

}  // namespace getihu::cli
