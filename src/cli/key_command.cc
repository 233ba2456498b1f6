#include "cli/key_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "cli/db_command.h"
#include "cli/exit_codes.h"
#include "storage/audit_repository.h"
#include "storage/dialect.h"
#include "storage/field_cipher.h"
#include "storage/household_repository.h"
#include "storage/transaction_retry.h"

namespace getihu::cli {
namespace {

using Json = nlohmann::ordered_json;

int RunKeyGenerate(const std::string& out, bool json) {
  if (auto s = storage::WriteNewDataKey(out); !s.ok()) return ReportError(s, json);
  if (json) {
    std::printf("%s\n", Json{{"key_file", out}, {"mode", "0600"}}.dump(2).c_str());
  } else {
    std::printf(
        "已生成数据密钥：%s（权限 0600，仅属主可读写）\n"
        "请把它与数据库分开保存和备份：丢失密钥，加密保存的经营者身份证号和电话将无法恢复。\n"
        "使用：getihu --data-key %s …，或设置环境变量 GETIHU_DATA_KEY=%s\n",
        out.c_str(), out.c_str(), out.c_str());
  }
  return kExitOk;
}

// Seals the plaintext left in one transaction, audited; returns the households changed.
base::Result<int64_t> SealAll(storage::Database& db) {
  return storage::RunInTransaction(db, [&]() -> base::Result<int64_t> {
    GETIHU_ASSIGN_OR_RETURN(int64_t sealed, storage::HouseholdRepository(db).SealPlaintextFields());
    if (sealed > 0) {
      storage::AuditRepository audit(db, base::SystemClock());
      storage::AuditEvent ev;
      ev.actor = "命令行";
      ev.action = "pii.encrypt";
      ev.target = "households";
      ev.detail = Json{{"households", sealed}}.dump();
      GETIHU_RETURN_IF_ERROR(audit.Append(ev).status());
    }
    return sealed;
  });
}

int RunEncryptPii(const std::string& db_path, bool json) {
  auto cipher = ConfiguredFieldCipher();
  if (!cipher.ok()) return ReportError(cipher.status(), json);
  if (*cipher == nullptr) {
    return ReportError(base::FailedPrecondition("未配置数据密钥：请用 --data-key 或环境变量 "
                                                "GETIHU_DATA_KEY 指定密钥文件（getihu key "
                                                "generate 生成）"),
                       json);
  }
  auto db = OpenAndMigrate(db_path);
  if (!db.ok()) return ReportError(db.status(), json);
  auto sealed = SealAll(**db);
  if (!sealed.ok()) return ReportError(sealed.status(), json);
  // The old plaintext rows may survive in freed pages (SQLite) or dead tuples (PostgreSQL).
  if (*sealed > 0) {
    base::Status rewritten = (*db)->ResetCachedStatements();
    if (rewritten.ok()) {
      rewritten = (*db)->ExecuteScript(storage::RewriteTableSql((*db)->dialect(), "households"));
    }
    if (!rewritten.ok())
      return ReportError(rewritten.WithContext("已加密，但整理数据文件失败"), json);
  }
  if (json) {
    std::printf("%s\n", Json{{"households_sealed", *sealed}}.dump(2).c_str());
  } else if (*sealed == 0) {
    std::printf("没有明文保存的经营者身份证号或电话，无需加密\n");
  } else {
    std::printf("已加密 %lld 户的经营者身份证号和电话，并重写了数据文件中的旧记录\n",
                static_cast<long long>(*sealed));
  }
  return kExitOk;
}

}  // namespace

void AddKeyCommands(CLI::App& app, GlobalOptionsRef g, int& exit_code) {
  CLI::App* key = app.add_subcommand("key", "管理加密经营者身份证号和电话的数据密钥");
  key->require_subcommand(1);
  static std::string out;
  CLI::App* generate =
      key->add_subcommand("generate", "生成新的随机数据密钥文件（权限 0600，不覆盖已有文件）");
  generate->add_option("--out", out, "密钥文件路径")->required();
  generate->callback([&exit_code, g] { exit_code = RunKeyGenerate(out, *g.json); });
  app.add_subcommand("encrypt-pii",
                     "用已配置的数据密钥加密库中仍以明文保存的经营者身份证号和电话（可重复运行）")
      ->callback([&exit_code, g] { exit_code = RunEncryptPii(*g.db_path, *g.json); });
}

}  // namespace getihu::cli
