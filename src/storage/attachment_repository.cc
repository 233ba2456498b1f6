#include "storage/attachment_repository.h"

#include <memory>

namespace getihu::storage {

base::Result<std::optional<ObjectionSubject>> AttachmentRepository::Subject(int64_t objection_id) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> s,
      db_.Prepare("SELECT h.uscc, h.region_code, o.status FROM tier_objections o"
                  " JOIN households h ON h.id = o.household_id WHERE o.id = ?"));
  GETIHU_RETURN_IF_ERROR(s->BindInt(1, objection_id));
  GETIHU_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<ObjectionSubject>();
  return std::optional<ObjectionSubject>(
      ObjectionSubject{s->ColumnText(0), s->ColumnText(1), s->ColumnText(2) == "open"});
}

base::Result<int64_t> AttachmentRepository::Add(Attachment& a) {
  base::Result<std::optional<int64_t>> id = db_.QueryInt(
      "INSERT INTO objection_attachments (objection_id, file_name, content_type, bytes, sha256,"
      " content_base64, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {a.objection_id, a.file_name, a.content_type, a.bytes, a.sha256, a.content_base64,
       a.uploaded_by, a.uploaded_at});
  if (id.status().code() == base::StatusCode::kInvalidArgument) {
    return base::InvalidArgument("附件不合规：只接受 5 MB 以内的 JPEG、PNG 图片或 PDF 文件");
  }
  GETIHU_RETURN_IF_ERROR(id.status());
  if (!id->has_value()) return base::Internal("新建附件未返回编号");
  a.id = **id;
  return a.id;
}

base::Result<std::vector<Attachment>> AttachmentRepository::List(int64_t objection_id) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> s,
      db_.Prepare("SELECT id, file_name, content_type, bytes, sha256, uploaded_by, uploaded_at"
                  " FROM objection_attachments WHERE objection_id = ? ORDER BY id"));
  GETIHU_RETURN_IF_ERROR(s->BindInt(1, objection_id));
  std::vector<Attachment> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Attachment a;
    a.id = s->ColumnInt(0);
    a.objection_id = objection_id;
    a.file_name = s->ColumnText(1);
    a.content_type = s->ColumnText(2);
    a.bytes = s->ColumnInt(3);
    a.sha256 = s->ColumnText(4);
    a.uploaded_by = s->ColumnText(5);
    a.uploaded_at = s->ColumnText(6);
    out.push_back(std::move(a));
  }
  return out;
}

base::Result<int64_t> AttachmentRepository::Count(int64_t objection_id) {
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> n,
      db_.QueryInt("SELECT COUNT(*) FROM objection_attachments WHERE objection_id = ?",
                   {objection_id}));
  return n.value_or(0);
}

base::Result<std::optional<Attachment>> AttachmentRepository::Get(int64_t objection_id,
                                                                  int64_t id) {
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> s,
      db_.Prepare("SELECT file_name, content_type, bytes, sha256, content_base64, uploaded_by,"
                  " uploaded_at FROM objection_attachments WHERE objection_id = ? AND id = ?"));
  GETIHU_RETURN_IF_ERROR(s->BindInt(1, objection_id));
  GETIHU_RETURN_IF_ERROR(s->BindInt(2, id));
  GETIHU_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Attachment>();
  Attachment a;
  a.id = id;
  a.objection_id = objection_id;
  a.file_name = s->ColumnText(0);
  a.content_type = s->ColumnText(1);
  a.bytes = s->ColumnInt(2);
  a.sha256 = s->ColumnText(3);
  a.content_base64 = s->ColumnText(4);
  a.uploaded_by = s->ColumnText(5);
  a.uploaded_at = s->ColumnText(6);
  return std::optional<Attachment>(std::move(a));
}

}  // namespace getihu::storage
