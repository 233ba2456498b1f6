// Evidence attached to an objection: the owner adds photos or scans (JPEG, PNG, PDF, at most
// 5 MB each, 5 per objection) while it is open; the owner and the regulators of its region
// list and download them. The type is read from the file's first bytes, never from its name
// or the request's header.
#include <sodium.h>

#include <fstream>
#include <iterator>
#include <string>

#include "server/access.h"
#include "server/api_internal.h"
#include "storage/attachment_repository.h"
#include "storage/transaction_retry.h"
#include "storage/value.h"
#include "workflows/content_hash.h"

namespace getihu::server {
namespace {

constexpr int64_t kMaxBytes = 5 * 1024 * 1024;
constexpr int64_t kMaxPerObjection = 5;

base::Result<int64_t> PositiveId(const HttpRequest& req, std::string_view name) {
  std::string text = req.Param(name);
  if (text.empty() || text.size() > 15 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return base::InvalidArgument("编号应为正整数");
  }
  return std::stoll(text);
}

// The content type of `bytes` by its signature; "" when not one of the accepted kinds.
std::string SniffType(std::string_view bytes) {
  if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (bytes.starts_with("\x89PNG\r\n\x1A\n")) return "image/png";
  if (bytes.starts_with("%PDF-")) return "application/pdf";
  return "";
}

std::string_view Extension(const std::string& type) {
  if (type == "image/jpeg") return ".jpg";
  if (type == "image/png") return ".png";
  return ".pdf";
}

// The objection when the caller may see it (its owner, or staff whose region holds the
// household); replies 404 otherwise, as for one that does not exist.
std::optional<storage::ObjectionSubject> VisibleObjection(Call& c, int64_t id) {
  storage::AttachmentRepository repo(c.db);
  base::Result<std::optional<storage::ObjectionSubject>> s = repo.Subject(id);
  if (!s.ok()) return ReplyError(c.res, s.status()), std::nullopt;
  bool visible = s->has_value() && (c.who.role == "owner" ? c.who.household_uscc.has_value() &&
                                                                *c.who.household_uscc == (*s)->uscc
                                                          : InScope(c.who, (*s)->region_code));
  if (!visible) {
    ReplyError(c.res, 404, "not_found", "没有该异议");
    return std::nullopt;
  }
  return *s;
}

void Attach(Call& c) {
  base::Result<int64_t> id = PositiveId(c.req, "id");
  if (!id.ok()) return ReplyError(c.res, id.status());
  std::optional<storage::ObjectionSubject> subject = VisibleObjection(c, *id);
  if (!subject) return;
  if (!subject->open) {
    return ReplyError(c.res, 409, "failed_precondition", "该异议已处理，不能再添加附件");
  }
  if (c.req.body_bytes <= 0) return ReplyError(c.res, 400, "invalid_argument", "上传的文件为空");
  if (c.req.body_bytes > kMaxBytes) {
    return ReplyError(c.res, 413, "too_large", "附件不能超过 5 MB");
  }
  std::string bytes;
  {
    std::ifstream in(c.req.body_file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::string type = SniffType(bytes);
  if (type.empty()) {
    return ReplyError(c.res, 415, "unsupported_type", "附件只能是 JPEG、PNG 图片或 PDF 文件");
  }
  storage::AttachmentRepository repo(c.db);
  base::Result<int64_t> count = repo.Count(*id);
  if (!count.ok()) return ReplyError(c.res, count.status());
  if (*count >= kMaxPerObjection) {
    return ReplyError(c.res, 409, "failed_precondition", "每条异议最多 5 个附件");
  }
  // A name to show and to save as: no directories, no control characters, at most 100 bytes.
  std::string name = c.req.Query("name");
  if (size_t slash = name.find_last_of("/\\"); slash != std::string::npos) {
    name = name.substr(slash + 1);
  }
  std::erase_if(name, [](char ch) { return static_cast<unsigned char>(ch) < 0x20; });
  if (name.size() > 100 || name.empty() || name == "." || name == "..") {
    name = "附件" + std::to_string(*count + 1) + std::string(Extension(type));
  }
  std::string encoded(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL),
                      '\0');
  sodium_bin2base64(encoded.data(), encoded.size(),
                    reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(encoded.size() - 1);  // the terminating NUL
  storage::Attachment a;
  a.objection_id = *id;
  a.file_name = name;
  a.content_type = type;
  a.bytes = static_cast<int64_t>(bytes.size());
  a.sha256 = workflows::Sha256Hex(bytes);
  a.content_base64 = std::move(encoded);
  a.uploaded_by = c.who.role == "owner" ? "经营者 " + c.who.username : c.who.username;
  a.uploaded_at = storage::CstTimestamp(c.ctx.Now());
  auto attach = [&]() -> base::Status {
    GETIHU_RETURN_IF_ERROR(repo.Add(a).status());
    return Audit(c, "tier.objection.attach", "objection:" + std::to_string(*id),
                 Json{{"attachment", a.id}, {"bytes", a.bytes}, {"sha256", a.sha256}});
  };
  if (auto s = storage::RunInTransaction(c.db, attach); !s.ok()) return ReplyError(c.res, s);
  ReplyJson(c.res,
            {{"id", a.id},
             {"file_name", a.file_name},
             {"content_type", a.content_type},
             {"bytes", a.bytes},
             {"uploaded_at", a.uploaded_at}},
            201);
}

void ListAttachments(Call& c) {
  base::Result<int64_t> id = PositiveId(c.req, "id");
  if (!id.ok()) return ReplyError(c.res, id.status());
  if (!VisibleObjection(c, *id)) return;
  base::Result<std::vector<storage::Attachment>> list =
      storage::AttachmentRepository(c.db).List(*id);
  if (!list.ok()) return ReplyError(c.res, list.status());
  Json items = Json::array();
  for (const storage::Attachment& a : *list) {
    items.push_back({{"id", a.id},
                     {"file_name", a.file_name},
                     {"content_type", a.content_type},
                     {"bytes", a.bytes},
                     {"uploaded_by", a.uploaded_by},
                     {"uploaded_at", a.uploaded_at}});
  }
  ReplyJson(c.res, {{"items", std::move(items)}});
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kHex[ch >> 4];
      out += kHex[ch & 15];
    }
  }
  return out;
}

void Download(Call& c) {
  base::Result<int64_t> id = PositiveId(c.req, "id");
  base::Result<int64_t> n = PositiveId(c.req, "n");
  if (!id.ok()) return ReplyError(c.res, id.status());
  if (!n.ok()) return ReplyError(c.res, n.status());
  if (!VisibleObjection(c, *id)) return;
  base::Result<std::optional<storage::Attachment>> a =
      storage::AttachmentRepository(c.db).Get(*id, *n);
  if (!a.ok()) return ReplyError(c.res, a.status());
  if (!a->has_value()) return ReplyError(c.res, 404, "not_found", "没有该附件");
  const std::string& text = (*a)->content_base64;
  std::string bytes(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return ReplyError(c.res, 500, "internal", "附件内容已损坏");
  }
  bytes.resize(length);
  c.res.status = 200;
  c.res.content_type = (*a)->content_type;
  c.res.body = std::move(bytes);
  c.res.SetHeader("Content-Disposition",
                  "attachment; filename*=UTF-8''" + PercentEncode((*a)->file_name));
  c.res.SetHeader("X-Content-Type-Options", "nosniff");
}

}  // namespace

void AddAttachmentRoutes(ApiContext& ctx) {
  Router& r = ctx.router;
  r.Add("POST", "/api/v1/objections/{id}/attachments", Guarded(ctx, Permission::kObject, Attach),
        {.streaming = true});
  r.Add("GET", "/api/v1/objections/{id}/attachments",
        Guarded(ctx, Permission::kObject, ListAttachments));
  r.Add("GET", "/api/v1/objections/{id}/attachments/{n}",
        Guarded(ctx, Permission::kObject, Download));
}

}  // namespace getihu::server
