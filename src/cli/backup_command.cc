#include "cli/backup_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "storage/sqlite/sqlite_backup.h"

namespace getihu::cli {
namespace {

bool IsPostgres(const std::string& db) {
  return db.starts_with("postgres://") || db.starts_with("postgresql://");
}

// Runs a program with arguments (no shell) and waits for it.
base::Status RunProgram(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) return base::Unavailable("无法启动 " + argv[0]);
  if (pid == 0) {
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    return base::Unavailable("找不到 " + argv[0] + "，请安装 postgresql-client");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return base::Unavailable(argv[0] + " 执行失败（退出码 " + std::to_string(WEXITSTATUS(status)) +
                             "）");
  }
  return base::OkStatus();
}

int Done(bool json, const std::string& message) {
  if (json) {
    std::printf("{\"ok\": true}\n");
  } else {
    std::printf("%s\n", message.c_str());
  }
  return kExitOk;
}

}  // namespace

int RunBackup(const std::string& db_path, const std::string& out, bool json) {
  base::Status s =
      IsPostgres(db_path)
          ? RunProgram({"pg_dump", "--format=custom", "--no-owner", "--file=" + out, db_path})
          : storage::BackupSqlite(db_path, out);
  if (!s.ok()) return ReportError(s, json);
  std::error_code ec;
  auto size = std::filesystem::file_size(out, ec);
  return Done(json, "已备份到 " + out + "（" + std::to_string(ec ? 0 : size / 1024) + " KiB）");
}

int RunRestore(const std::string& db_path, const std::string& from, bool confirmed, bool json) {
  if (!confirmed) {
    return ReportError(base::FailedPrecondition("恢复会用备份替换 " + db_path +
                                                " 中的全部数据；请先停止服务，再加 --yes 确认"),
                       json);
  }
  base::Status s = IsPostgres(db_path)
                       ? RunProgram({"pg_restore", "--clean", "--if-exists", "--no-owner",
                                     "--single-transaction", "--dbname=" + db_path, from})
                       : storage::RestoreSqlite(from, db_path);
  if (!s.ok()) return ReportError(s, json);
  auto db = OpenAndMigrate(db_path);  // a backup from an older version is brought up to date
  if (!db.ok()) return ReportError(db.status(), json);
  return Done(json, "已从 " + from + " 恢复数据库 " + db_path);
}

}  // namespace getihu::cli
