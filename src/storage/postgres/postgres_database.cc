#include "storage/postgres/postgres_database.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/dialect.h"
#include "storage/postgres/postgres_status.h"

namespace getihu::storage {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConn = std::unique_ptr<PGconn, ConnDeleter>;

// libpq's messages end in a newline and may span lines; a Status message is one line.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string SqlState(const PGresult* res) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

// Returns OK for a successful result, else the mapped error with the server's message.
base::Status ResultStatus(const PGresult* res, PGconn* conn) {
  ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return base::OkStatus();
  }
  std::string sqlstate = SqlState(res);
  const char* primary = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* detail = res != nullptr ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  std::string message = primary != nullptr ? primary : OneLine(PQerrorMessage(conn));
  if (detail != nullptr) message += std::string(" ") + detail;
  // No SQLSTATE on a live connection is a client-side failure, not a lost connection.
  if (sqlstate.empty() && PQstatus(conn) == CONNECTION_OK) sqlstate = "XX000";
  return PostgresStatus(sqlstate, message);
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

bool IsRetryable(std::string_view sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

// One SQL text prepared on the server of the current connection.
struct Prepared {
  std::string name;
  int param_count;
};

class PostgresDatabase final : public Database {
 public:
  PostgresDatabase(PgConn conn, PgOptions options)
      : conn_(std::move(conn)), options_(std::move(options)) {}

  Dialect dialect() const override { return Dialect::kPostgres; }
  base::Result<std::unique_ptr<Statement>> Prepare(std::string_view sql) override;
  base::Status ExecuteScript(std::string_view sql) override;
  base::Result<int64_t> CopyIn(std::string_view table, std::string_view columns,
                               const std::function<bool(std::string& buffer)>& next) override;
  base::Result<std::vector<int64_t>> ExecuteBatch(
      std::span<const BatchStatement> statements) override;

  // Sets the session state every (re)connection needs.
  base::Status ConfigureSession();

  // Runs the prepared `sql` (already numbered) with text `values` (nullptr for NULL),
  // reconnecting and retrying as the header describes. Records the rows changed.
  base::Result<PgResult> Run(const std::string& sql, const std::vector<const char*>& values);

  int64_t changes() const { return changes_; }

 private:
  base::Status BeginTransaction() override;
  base::Status CommitTransaction() override;
  base::Status RollbackTransaction() override;

  bool connected() const { return PQstatus(conn_.get()) == CONNECTION_OK; }
  base::Status EnsureConnected();
  base::Result<const Prepared*> EnsurePrepared(const std::string& sql);
  base::Result<PgResult> Exec(std::string_view sql);
  void RecordChanges(const PGresult* res);

  PgConn conn_;
  PgOptions options_;
  // Keyed by the numbered SQL text; emptied when the connection is re-established.
  std::unordered_map<std::string, Prepared> prepared_;
  int64_t next_name_ = 0;
  int64_t changes_ = 0;
};

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PostgresDatabase* db, std::string sql, int param_count)
      : db_(db), sql_(std::move(sql)), params_(param_count) {}

  base::Status BindNull(int index) override { return Set(index, std::nullopt); }
  base::Status BindInt(int index, int64_t value) override {
    return Set(index, std::to_string(value));
  }
  base::Status BindDouble(int index, double value) override {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return Set(index, std::string(buf, end));
  }
  base::Status BindText(int index, std::string_view value) override {
    if (value.find('\0') != std::string_view::npos) {
      return base::InvalidArgument("PostgreSQL 的文本不能含有 NUL 字符");
    }
    return Set(index, std::string(value));
  }

  base::Result<bool> Step() override {
    if (!executed_) {
      executed_ = true;
      std::vector<const char*> values;
      values.reserve(params_.size());
      for (const auto& p : params_) values.push_back(p ? p->c_str() : nullptr);
      GETIHU_ASSIGN_OR_RETURN(result_, db_->Run(sql_, values));
      row_ = 0;
    } else if (row_ < PQntuples(result_.get())) {
      ++row_;
    }
    return row_ < PQntuples(result_.get());
  }

  base::Status Reset() override {
    result_.reset();
    executed_ = false;
    row_ = 0;
    for (auto& p : params_) p.reset();
    return base::OkStatus();
  }

  int64_t changes() const override { return db_->changes(); }

  int column_count() const override { return PQnfields(result_.get()); }
  bool ColumnIsNull(int column) const override {
    return PQgetisnull(result_.get(), row_, column) == 1;
  }
  int64_t ColumnInt(int column) const override;
  double ColumnDouble(int column) const override;
  std::string ColumnText(int column) const override { return std::string(Raw(column)); }
  std::string_view ColumnTextView(int column) const override { return Raw(column); }

 private:
  base::Status Set(int index, std::optional<std::string> value) {
    if (index < 1 || index > static_cast<int>(params_.size())) {
      return base::Internal("SQL 参数序号 " + std::to_string(index) + " 超出范围（共 " +
                            std::to_string(params_.size()) + " 个）");
    }
    params_[index - 1] = std::move(value);
    return base::OkStatus();
  }

  std::string_view Raw(int column) const {
    return std::string_view(PQgetvalue(result_.get(), row_, column),
                            PQgetlength(result_.get(), row_, column));
  }

  PostgresDatabase* db_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  PgResult result_;
  bool executed_ = false;
  int row_ = 0;
};

// Integers read as SQLite would: booleans as 0/1, a fractional number truncated.
int64_t PostgresStatement::ColumnInt(int column) const {
  std::string_view text = Raw(column);
  if (text == "t") return 1;
  if (text == "f") return 0;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  return static_cast<int64_t>(ColumnDouble(column));
}

double PostgresStatement::ColumnDouble(int column) const {
  std::string_view text = Raw(column);
  if (text == "t") return 1;
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

base::Result<std::unique_ptr<Statement>> PostgresDatabase::Prepare(std::string_view sql) {
  if (IsBlank(sql)) return base::Internal("SQL 语句为空");
  std::string numbered = NumberParameters(sql);
  GETIHU_RETURN_IF_ERROR(EnsureConnected());
  auto prepared = EnsurePrepared(numbered);
  if (!prepared.ok()) return prepared.status().WithContext("SQL 语句无法编译");
  int param_count = (*prepared)->param_count;
  return std::unique_ptr<Statement>(
      std::make_unique<PostgresStatement>(this, std::move(numbered), param_count));
}

base::Status PostgresDatabase::ExecuteScript(std::string_view sql) {
  GETIHU_RETURN_IF_ERROR(EnsureConnected());
  return Exec(sql).status();
}

base::Status PostgresDatabase::ConfigureSession() {
  PQsetNoticeProcessor(
      conn_.get(), [](void*, const char*) {}, nullptr);  // NOTICEs are noise
  if (options_.schema.empty()) return base::OkStatus();
  const char* values[] = {options_.schema.c_str()};
  PgResult res(PQexecParams(conn_.get(), "SELECT set_config('search_path', quote_ident($1), false)",
                            1, nullptr, values, nullptr, nullptr, 0));
  return ResultStatus(res.get(), conn_.get())
      .WithContext("无法设置 PostgreSQL 模式 " + options_.schema);
}

// Inside a transaction a lost connection lost the transaction too: reconnecting there would
// run the rest of it outside any transaction, so report it and reconnect after.
base::Status PostgresDatabase::EnsureConnected() {
  if (connected()) return base::OkStatus();
  if (in_transaction()) {
    return base::Unavailable("与 PostgreSQL 数据库的连接已中断，当前事务已丢失");
  }
  PQreset(conn_.get());
  prepared_.clear();
  if (!connected()) {
    return base::Unavailable("无法重新连接 PostgreSQL 数据库（" +
                             OneLine(PQerrorMessage(conn_.get())) + "）");
  }
  return ConfigureSession();
}

base::Result<const Prepared*> PostgresDatabase::EnsurePrepared(const std::string& sql) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return &it->second;
  std::string name = "getihu_" + std::to_string(++next_name_);
  PgResult res(PQprepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr));
  GETIHU_RETURN_IF_ERROR(ResultStatus(res.get(), conn_.get()));
  PgResult described(PQdescribePrepared(conn_.get(), name.c_str()));
  GETIHU_RETURN_IF_ERROR(ResultStatus(described.get(), conn_.get()));
  Prepared p{.name = std::move(name), .param_count = PQnparams(described.get())};
  return &prepared_.emplace(sql, std::move(p)).first->second;
}

base::Result<PgResult> PostgresDatabase::Run(const std::string& sql,
                                             const std::vector<const char*>& values) {
  for (int attempt = 0;; ++attempt) {
    GETIHU_RETURN_IF_ERROR(EnsureConnected());
    GETIHU_ASSIGN_OR_RETURN(const Prepared* p, EnsurePrepared(sql));
    PgResult res(PQexecPrepared(conn_.get(), p->name.c_str(), static_cast<int>(values.size()),
                                values.data(), nullptr, nullptr, 0));
    base::Status status = ResultStatus(res.get(), conn_.get());
    if (status.ok()) {
      RecordChanges(res.get());
      return res;
    }
    if (in_transaction() || attempt >= options_.retries || !IsRetryable(SqlState(res.get()))) {
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10 << attempt));
  }
}

namespace {

// A parameter as libpq's text format: nullopt for NULL.
base::Result<std::optional<std::string>> ParameterText(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull:
      return std::optional<std::string>();
    case Value::Type::kInt:
      return std::optional<std::string>(std::to_string(v.AsInt()));
    case Value::Type::kDouble: {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.AsDouble());
      return std::optional<std::string>(std::string(buf, end));
    }
    case Value::Type::kText:
      if (v.AsText().find('\0') != std::string::npos) {
        return base::InvalidArgument("PostgreSQL 的文本不能含有 NUL 字符");
      }
      return std::optional<std::string>(v.AsText());
  }
  return base::Internal("未知的参数类型");
}

}  // namespace

// Pipeline mode (libpq 14+): a chunk of statements is sent, then one sync, then the results
// are read in order. A chunk's results are a few dozen bytes each, far below the socket
// buffers, so sending a whole chunk before reading cannot block both sides. After an error
// the server skips the rest of the chunk (PGRES_PIPELINE_ABORTED) and the error is returned.
base::Result<std::vector<int64_t>> PostgresDatabase::ExecuteBatch(
    std::span<const BatchStatement> statements) {
  // Outside a transaction each statement keeps Run's retries.
  if (!in_transaction()) return Database::ExecuteBatch(statements);
  GETIHU_RETURN_IF_ERROR(EnsureConnected());
  constexpr size_t kChunk = 256;
  std::unordered_map<std::string_view, const Prepared*> by_sql;
  std::vector<int64_t> changes;
  changes.reserve(statements.size());
  std::vector<std::optional<std::string>> texts;
  std::vector<const char*> values;
  PGconn* conn = conn_.get();
  for (size_t start = 0; start < statements.size(); start += kChunk) {
    size_t end = std::min(statements.size(), start + kChunk);
    // Prepare outside the pipeline.
    for (size_t i = start; i < end; ++i) {
      if (by_sql.contains(statements[i].sql)) continue;
      if (IsBlank(statements[i].sql)) return base::Internal("SQL 语句为空");
      auto prepared = EnsurePrepared(NumberParameters(statements[i].sql));
      if (!prepared.ok()) return prepared.status().WithContext("SQL 语句无法编译");
      by_sql.emplace(statements[i].sql, *prepared);
    }
    if (PQenterPipelineMode(conn) != 1) {
      return base::Internal("无法进入 PostgreSQL 流水线模式：" + OneLine(PQerrorMessage(conn)));
    }
    base::Status failed;
    for (size_t i = start; i < end && failed.ok(); ++i) {
      const Prepared* p = by_sql.at(statements[i].sql);
      if (static_cast<int>(statements[i].params.size()) != p->param_count) {
        failed = base::Internal("SQL 参数个数不符");
        break;
      }
      texts.clear();
      values.clear();
      for (const Value& v : statements[i].params) {
        auto text = ParameterText(v);
        if (!text.ok()) {
          failed = text.status();
          break;
        }
        texts.push_back(std::move(*text));
      }
      if (!failed.ok()) break;
      for (const auto& t : texts) values.push_back(t ? t->c_str() : nullptr);
      if (PQsendQueryPrepared(conn, p->name.c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0) != 1) {
        failed = base::Unavailable("向 PostgreSQL 发送语句失败：" + OneLine(PQerrorMessage(conn)));
        break;
      }
    }
    if (PQpipelineSync(conn) != 1 && failed.ok()) {
      failed = base::Unavailable("PostgreSQL 流水线同步失败：" + OneLine(PQerrorMessage(conn)));
    }
    // Read every result up to the sync, so that the connection is usable again.
    for (;;) {
      PgResult res(PQgetResult(conn));
      if (res == nullptr) {
        if (PQstatus(conn) != CONNECTION_OK) {
          if (failed.ok()) failed = base::Unavailable("与 PostgreSQL 数据库的连接已中断");
          break;
        }
        continue;  // the end of one statement's results
      }
      ExecStatusType st = PQresultStatus(res.get());
      if (st == PGRES_PIPELINE_SYNC) break;
      if (st == PGRES_PIPELINE_ABORTED) continue;
      if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        const char* tuples = PQcmdTuples(res.get());
        changes.push_back(tuples != nullptr && *tuples != '\0' ? std::atoll(tuples) : 0);
        continue;
      }
      base::Status s = ResultStatus(res.get(), conn);
      if (failed.ok()) failed = s.ok() ? base::Internal("PostgreSQL 流水线返回了意外的结果") : s;
      if (PQstatus(conn) != CONNECTION_OK) break;
    }
    PQexitPipelineMode(conn);
    GETIHU_RETURN_IF_ERROR(failed);
  }
  if (!changes.empty()) changes_ = changes.back();
  return changes;
}

base::Result<PgResult> PostgresDatabase::Exec(std::string_view sql) {
  PgResult res(PQexec(conn_.get(), std::string(sql).c_str()));
  GETIHU_RETURN_IF_ERROR(ResultStatus(res.get(), conn_.get()));
  return res;
}

base::Result<int64_t> PostgresDatabase::CopyIn(
    std::string_view table, std::string_view columns,
    const std::function<bool(std::string& buffer)>& next) {
  GETIHU_RETURN_IF_ERROR(EnsureConnected());
  std::string sql = "COPY " + std::string(table) + " (" + std::string(columns) + ") FROM STDIN";
  PgResult start(PQexec(conn_.get(), sql.c_str()));
  if (PQresultStatus(start.get()) != PGRES_COPY_IN) {
    GETIHU_RETURN_IF_ERROR(ResultStatus(start.get(), conn_.get()));
    return base::Internal("COPY 未能开始");
  }
  constexpr size_t kFlushBytes = 1 << 20;
  std::string buffer;
  buffer.reserve(kFlushBytes + 4096);
  bool more = true;
  const char* error = nullptr;
  while (more) {
    more = next(buffer);
    if (buffer.size() >= kFlushBytes || (!more && !buffer.empty())) {
      if (PQputCopyData(conn_.get(), buffer.data(), static_cast<int>(buffer.size())) != 1) {
        error = "发送 COPY 数据失败";
        break;
      }
      buffer.clear();
    }
  }
  if (PQputCopyEnd(conn_.get(), error) != 1) return base::Unavailable("结束 COPY 失败");
  int64_t rows = 0;
  base::Status status;
  for (PgResult res(PQgetResult(conn_.get())); res.get() != nullptr;
       res = PgResult(PQgetResult(conn_.get()))) {
    if (status.ok()) status = ResultStatus(res.get(), conn_.get());
    std::string_view tuples = PQcmdTuples(res.get());
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), rows);
  }
  GETIHU_RETURN_IF_ERROR(status);
  changes_ = rows;
  return rows;
}

// Like SQLite's changes(): only INSERT, UPDATE, DELETE and MERGE set it.
void PostgresDatabase::RecordChanges(const PGresult* res) {
  std::string_view command = PQcmdStatus(const_cast<PGresult*>(res));
  if (!command.starts_with("INSERT") && !command.starts_with("UPDATE") &&
      !command.starts_with("DELETE") && !command.starts_with("MERGE")) {
    return;
  }
  std::string_view tuples = PQcmdTuples(const_cast<PGresult*>(res));
  int64_t count = 0;
  std::from_chars(tuples.data(), tuples.data() + tuples.size(), count);
  changes_ = count;
}

base::Status PostgresDatabase::BeginTransaction() {
  GETIHU_RETURN_IF_ERROR(EnsureConnected());
  return Exec(BeginTransactionSql(Dialect::kPostgres)).status();
}

// A transaction in which a statement failed ends in ROLLBACK even when asked to COMMIT.
base::Status PostgresDatabase::CommitTransaction() {
  GETIHU_RETURN_IF_ERROR(EnsureConnected());
  GETIHU_ASSIGN_OR_RETURN(PgResult res, Exec("COMMIT"));
  if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
    return base::Aborted("事务中有语句失败，事务已回滚");
  }
  return base::OkStatus();
}

base::Status PostgresDatabase::RollbackTransaction() {
  if (!connected()) return base::OkStatus();  // the server rolled it back when it dropped
  return Exec("ROLLBACK").status();
}

}  // namespace

base::Result<std::unique_ptr<Database>> OpenPostgres(const std::string& conninfo,
                                                     const PgOptions& options) {
  // Ours come first so that the conninfo's own settings win; the encoding is not optional.
  std::string timeout = std::to_string(options.connect_timeout_s);
  const char* keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {timeout.c_str(), "getihu", conninfo.c_str(), "UTF8", nullptr};
  PgConn conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (conn == nullptr) return base::ResourceExhausted("无法连接 PostgreSQL 数据库：内存不足");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return base::Unavailable("无法连接 PostgreSQL 数据库：连接串无效、服务器无法访问或拒绝登录（" +
                             OneLine(PQerrorMessage(conn.get())) + "）");
  }
  if (int version = PQserverVersion(conn.get()); version < 130000) {
    return base::FailedPrecondition("无法连接 PostgreSQL 数据库：服务器版本 " +
                                    std::to_string(version / 10000) + " 过旧，需要 13 或更高");
  }
  auto db = std::make_unique<PostgresDatabase>(std::move(conn), options);
  GETIHU_RETURN_IF_ERROR(db->ConfigureSession().WithContext("无法连接 PostgreSQL 数据库"));
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace getihu::storage
