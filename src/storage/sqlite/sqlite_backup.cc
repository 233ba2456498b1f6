#include "storage/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

namespace getihu::storage {
namespace {

namespace fs = std::filesystem;
using Handle = std::unique_ptr<sqlite3, int (*)(sqlite3*)>;

base::Result<Handle> Open(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Handle h(db, sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    return base::Unavailable("无法打开数据库文件 " + path + "：" + sqlite3_errstr(rc));
  }
  sqlite3_busy_timeout(db, 10'000);
  return h;
}

// Returns OK when `db` passes PRAGMA integrity_check and holds Getihu's schema.
base::Status Check(sqlite3* db, const std::string& path) {
  sqlite3_stmt* stmt = nullptr;
  std::string result;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    result = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  if (result != "ok") {
    return base::DataLoss("数据库文件 " + path + " 未通过完整性检查" +
                          (result.empty() ? std::string() : "：" + result));
  }
  int has_schema = 0;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM schema_migrations", -1, &stmt, nullptr) ==
          SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    has_schema = sqlite3_column_int(stmt, 0) > 0;
  }
  sqlite3_finalize(stmt);
  if (!has_schema) return base::InvalidArgument(path + " 不是 Getihu 的数据库（没有结构版本记录）");
  return base::OkStatus();
}

// Copies every page of `src` into `dst` in one step (one transaction on `dst`).
base::Status Copy(sqlite3* src, sqlite3* dst, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) return base::Unavailable(what + "失败：" + sqlite3_errmsg(dst));
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return base::Unavailable(what + "失败：" + sqlite3_errstr(rc));
  return base::OkStatus();
}

}  // namespace

base::Status BackupSqlite(const std::string& from, const std::string& to) {
  if (!fs::exists(from)) return base::NotFound("数据库文件 " + from + " 不存在");
  std::string part = to + ".part";
  std::error_code ec;
  fs::remove(part, ec);
  {
    GETIHU_ASSIGN_OR_RETURN(Handle src, Open(from, SQLITE_OPEN_READONLY));
    GETIHU_ASSIGN_OR_RETURN(Handle dst, Open(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    GETIHU_RETURN_IF_ERROR(Copy(src.get(), dst.get(), "备份"));
    base::Status checked = Check(dst.get(), part);
    if (!checked.ok()) {
      fs::remove(part, ec);
      return checked;
    }
  }
  fs::rename(part, to, ec);
  if (ec) return base::Unavailable("无法写入备份文件 " + to + "：" + ec.message());
  return base::OkStatus();
}

base::Status RestoreSqlite(const std::string& from, const std::string& to) {
  if (!fs::exists(from)) return base::NotFound("备份文件 " + from + " 不存在");
  GETIHU_ASSIGN_OR_RETURN(Handle src, Open(from, SQLITE_OPEN_READONLY));
  GETIHU_RETURN_IF_ERROR(Check(src.get(), from).WithContext("备份文件不可用"));
  GETIHU_ASSIGN_OR_RETURN(Handle dst, Open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  GETIHU_RETURN_IF_ERROR(Copy(src.get(), dst.get(), "恢复"));
  return Check(dst.get(), to);
}

}  // namespace getihu::storage
