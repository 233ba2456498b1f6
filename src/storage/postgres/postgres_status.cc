#include "storage/postgres/postgres_status.h"

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

base::Status ConstraintStatus(std::string_view sqlstate, std::string_view detail) {
  if (sqlstate == "23505") {
    return base::AlreadyExists(WithDetail("记录已存在，违反唯一约束", detail));
  }
  if (sqlstate == "23503") {
    return base::InvalidArgument(WithDetail("引用的记录不存在，违反外键约束", detail));
  }
  if (sqlstate == "23502") return base::InvalidArgument(WithDetail("缺少必填的值", detail));
  if (sqlstate == "23514") {
    return base::InvalidArgument(WithDetail("值不符合数据库的取值要求", detail));
  }
  return base::InvalidArgument(WithDetail("违反数据库约束", detail));
}

}  // namespace

bool IsConnectionFailure(std::string_view sqlstate) {
  return sqlstate.empty() || sqlstate.starts_with("08") || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03";
}

base::Status PostgresStatus(std::string_view sqlstate, std::string_view detail) {
  std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "23") return ConstraintStatus(sqlstate, detail);
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return base::Aborted(WithDetail("与其他事务冲突，事务已回滚，请重试", detail));
  }
  if (sqlstate == "55P03" || sqlstate == "57014") {
    return base::Aborted(WithDetail("数据库正被其他操作占用或操作被取消，请稍后重试", detail));
  }
  if (IsConnectionFailure(sqlstate)) {
    return base::Unavailable(WithDetail("与 PostgreSQL 数据库的连接中断或无法建立", detail));
  }
  if (cls == "22") return base::InvalidArgument(WithDetail("值不符合列的数据类型", detail));
  if (cls == "53") {
    return base::ResourceExhausted(
        WithDetail("数据库服务器资源不足（磁盘、内存或连接数）", detail));
  }
  if (sqlstate == "25006") {
    return base::FailedPrecondition(WithDetail("数据库是只读的，不能写入", detail));
  }
  return base::Internal(WithDetail("数据库内部错误", detail));
}

}  // namespace getihu::storage
