// Stored values of the parameters staff edit (migration 0010). Which names exist, their
// defaults and what values are valid is the business of workflows/parameters.h; this stores
// and reads text.
#ifndef GETIHU_STORAGE_PARAMETER_REPOSITORY_H_
#define GETIHU_STORAGE_PARAMETER_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct StoredParameter {
  std::string value;
  std::string updated_by;
  std::string updated_at;
};

class ParameterRepository {
 public:
  explicit ParameterRepository(Database& db) : db_(db) {}

  base::Result<std::optional<StoredParameter>> Get(std::string_view name);
  // Every stored value by name.
  base::Result<std::map<std::string, StoredParameter>> All();
  // Inserts or replaces the value of `name`.
  base::Status Set(std::string_view name, std::string_view value, std::string_view updated_by,
                   std::string_view updated_at);
  // Removes a stored value, so that the default applies again.
  base::Status Reset(std::string_view name);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_PARAMETER_REPOSITORY_H_
