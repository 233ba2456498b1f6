#include "storage/parameter_repository.h"

#include <memory>

namespace getihu::storage {

base::Result<std::optional<StoredParameter>> ParameterRepository::Get(std::string_view name) {
  GETIHU_ASSIGN_OR_RETURN(
      Statement * s,
      db_.PrepareCached("SELECT value, updated_by, updated_at FROM parameters WHERE name = ?"));
  GETIHU_RETURN_IF_ERROR(s->BindText(1, name));
  GETIHU_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<StoredParameter>();
  StoredParameter p{s->ColumnText(0), s->ColumnText(1), s->ColumnText(2)};
  GETIHU_RETURN_IF_ERROR(s->Reset());
  return std::optional<StoredParameter>(std::move(p));
}

base::Result<std::map<std::string, StoredParameter>> ParameterRepository::All() {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> s,
      db_.Prepare("SELECT name, value, updated_by, updated_at FROM parameters ORDER BY name"));
  std::map<std::string, StoredParameter> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[s->ColumnText(0)] = {s->ColumnText(1), s->ColumnText(2), s->ColumnText(3)};
  }
  return out;
}

base::Status ParameterRepository::Set(std::string_view name, std::string_view value,
                                      std::string_view updated_by, std::string_view updated_at) {
  return db_
      .Execute(
          "INSERT INTO parameters (name, value, updated_by, updated_at) VALUES (?, ?, ?, ?)"
          " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
          " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
          {name, value, updated_by, updated_at})
      .status();
}

base::Status ParameterRepository::Reset(std::string_view name) {
  return db_.Execute("DELETE FROM parameters WHERE name = ?", {name}).status();
}

}  // namespace getihu::storage
