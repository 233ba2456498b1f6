#include "storage/sqlite/sqlite_status.h"

#include <sqlite3.h>

#include <string>

namespace getihu::storage {
namespace {

std::string WithDetail(std::string_view message, std::string_view detail) {
  std::string out(message);
  out += "（";
  out += detail;
  out += "）";
  return out;
}

base::Status ConstraintStatus(int rc, std::string_view detail) {
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return base::AlreadyExists(WithDetail("记录已存在，违反唯一约束", detail));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return base::InvalidArgument(WithDetail("引用的记录不存在，违反外键约束", detail));
    case SQLITE_CONSTRAINT_NOTNULL:
      return base::InvalidArgument(WithDetail("缺少必填的值", detail));
    case SQLITE_CONSTRAINT_CHECK:
      return base::InvalidArgument(WithDetail("值不符合数据库的取值要求", detail));
    default:
      return base::InvalidArgument(WithDetail("违反数据库约束", detail));
  }
}

}  // namespace

base::Status SqliteStatus(int rc, std::string_view detail) {
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return ConstraintStatus(rc, detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return base::Aborted(WithDetail("数据库正被其他操作占用，请稍后重试", detail));
    case SQLITE_INTERRUPT:
      return base::Aborted(WithDetail("数据库操作被中断", detail));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return base::DataLoss(WithDetail("数据库文件已损坏或不是数据库文件", detail));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
      return base::Unavailable(WithDetail("无法读写数据库文件", detail));
    case SQLITE_READONLY:
      return base::FailedPrecondition(WithDetail("数据库是只读的，不能写入", detail));
    case SQLITE_FULL:
      return base::ResourceExhausted(WithDetail("磁盘已满，无法写入数据库", detail));
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return base::ResourceExhausted(WithDetail("数据过大或内存不足", detail));
    default:
      return base::Internal(WithDetail("数据库内部错误", detail));
  }
}

}  // namespace getihu::storage
