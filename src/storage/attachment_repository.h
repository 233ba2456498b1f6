// Files attached to objections (migration 0013): stored in the database, base64, so that
// backups and copies carry them. The server checks types, sizes and who may see them.
#ifndef GETIHU_STORAGE_ATTACHMENT_REPOSITORY_H_
#define GETIHU_STORAGE_ATTACHMENT_REPOSITORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "storage/database.h"

namespace getihu::storage {

struct Attachment {
  int64_t id = 0;
  int64_t objection_id = 0;
  std::string file_name;
  std::string content_type;  // image/jpeg, image/png, application/pdf
  int64_t bytes = 0;
  std::string sha256;
  std::string content_base64;  // empty in List's results
  std::string uploaded_by;
  std::string uploaded_at;
};

// The household an objection concerns, for the access check, and whether it is still open.
struct ObjectionSubject {
  std::string uscc;
  std::string region_code;
  bool open = false;
};

class AttachmentRepository {
 public:
  explicit AttachmentRepository(Database& db) : db_(db) {}

  base::Result<std::optional<ObjectionSubject>> Subject(int64_t objection_id);
  // Stores `a` (its id is set); InvalidArgument for what the schema refuses.
  base::Result<int64_t> Add(Attachment& a);
  // The objection's attachments without their content, in upload order.
  base::Result<std::vector<Attachment>> List(int64_t objection_id);
  base::Result<int64_t> Count(int64_t objection_id);
  // One attachment with its content, when it belongs to the objection.
  base::Result<std::optional<Attachment>> Get(int64_t objection_id, int64_t id);

 private:
  Database& db_;
};

}  // namespace getihu::storage

#endif  // GETIHU_STORAGE_ATTACHMENT_REPOSITORY_H_
