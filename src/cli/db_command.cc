#include "cli/db_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.h"
#include "storage/pool_summary.h"
#include "storage/postgres/postgres_database.h"
#include "storage/sqlite/sqlite_database.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;

bool IsPostgresUrl(const std::string& db_path) {
  return db_path.starts_with("postgres://") || db_path.starts_with("postgresql://");
}

int PrintSummary(storage::Database& db, const std::string& db_path, bool json) {
  auto version = db.SchemaVersion();
  if (!version.ok()) return ReportError(version.status(), json);
  auto summary = storage::Summarize(db);
  if (!summary.ok()) return ReportError(summary.status(), json);
  if (json) {
    Json j;
    j["database"] = db_path;
    j["schema_version"] = *version;
    for (const storage::TableCount& t : summary->tables) j["tables"][std::string(t.table)] = t.rows;
    for (const auto& [status, n] : summary->households_by_status) {
      j["households_by_status"][std::string(domain::HouseholdStatusCode(status))] = n;
    }
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("数据库：%s（结构版本 %d）\n", db_path.c_str(), *version);
  using S = domain::HouseholdStatus;
  auto n = [&](S status) { return static_cast<long long>(summary->Households(status)); };
  std::printf(
      "  个体工商户：登记在册 %lld 户（存续 %lld，歇业 %lld）；已退出 %lld 户（注销 %lld，吊销 "
      "%lld，已转企 %lld）",
      n(S::kActive) + n(S::kSuspended), n(S::kActive), n(S::kSuspended),
      n(S::kDeregistered) + n(S::kRevoked) + n(S::kConverted), n(S::kDeregistered), n(S::kRevoked),
      n(S::kConverted));
  std::printf("\n  各表行数：");
  bool first = true;
  for (const storage::TableCount& t : summary->tables) {
    std::printf("%s%s %lld", first ? "" : "，", std::string(t.table).c_str(),
                static_cast<long long>(t.rows));
    first = false;
  }
  std::printf("\n");
  return kExitOk;
}

const std::string* g_data_key_file = nullptr;

}  // namespace

void SetDataKeyFile(const std::string* key_file) { g_data_key_file = key_file; }

base::Result<std::shared_ptr<const storage::FieldCipher>> ConfiguredFieldCipher() {
  static std::shared_ptr<const storage::FieldCipher> loaded;
  static std::string loaded_from;
  if (g_data_key_file == nullptr || g_data_key_file->empty()) {
    return std::shared_ptr<const storage::FieldCipher>();
  }
  if (loaded != nullptr && loaded_from == *g_data_key_file) return loaded;
  base::Result<std::string> key = storage::LoadDataKey(*g_data_key_file);
  if (!key.ok()) return key.status().WithContext("数据密钥（--data-key 或 GETIHU_DATA_KEY）");
  GETIHU_ASSIGN_OR_RETURN(storage::FieldCipher cipher, storage::FieldCipher::Create(*key));
  loaded = std::make_shared<const storage::FieldCipher>(std::move(cipher));
  loaded_from = *g_data_key_file;
  return loaded;
}

base::Result<std::unique_ptr<storage::Database>> OpenDatabase(const std::string& db_path) {
  GETIHU_ASSIGN_OR_RETURN(std::shared_ptr<const storage::FieldCipher> cipher,
                          ConfiguredFieldCipher());
  std::unique_ptr<storage::Database> db;
  if (IsPostgresUrl(db_path)) {
    GETIHU_ASSIGN_OR_RETURN(db, storage::OpenPostgres(db_path));
  } else {
    GETIHU_ASSIGN_OR_RETURN(db, storage::OpenSqlite(db_path));
  }
  db->set_field_cipher(std::move(cipher));
  return db;
}

analytics::PoolImageOptions ConfiguredImageOptions(const std::string& db_path) {
  analytics::PoolImageOptions o;
  const char* env = std::getenv("GETIHU_IMAGE_DIR");
  if (env != nullptr && *env != '\0') {
    if (std::string_view(env) != "off") o.dir = env;
  } else {
    o.dir = IsPostgresUrl(db_path) ? std::string("getihu-images") : db_path + ".images";
  }
  return o;
}

base::Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const std::string& db_path) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<storage::Database> db, OpenDatabase(db_path));
  GETIHU_RETURN_IF_ERROR(db->Migrate());
  return db;
}

int RunInit(const std::string& db_path, bool json) {
  bool existed = IsPostgresUrl(db_path) || std::filesystem::exists(db_path);
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  if (!json) std::printf("%s数据库：%s\n", existed ? "已升级" : "已创建", db_path.c_str());
  return PrintSummary(**db, db_path, json);
}

int RunStatus(const std::string& db_path, bool json) {
  if (!IsPostgresUrl(db_path) && !std::filesystem::exists(db_path)) {
    return ReportError(base::NotFound("数据库文件 " + db_path + " 不存在，请先运行 getihu init"),
                       json);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  return PrintSummary(**db, db_path, json);
}

}  // namespace getihu::cli
