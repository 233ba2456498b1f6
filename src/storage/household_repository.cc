#include "storage/household_repository.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "base/clock.h"
#include "storage/field_cipher.h"
#include "storage/region_range.h"
#include "storage/row_writer.h"
#include "storage/value.h"

namespace getihu::storage {
namespace {

constexpr std::string_view kUpsertHousehold =
    "INSERT INTO households (uscc, legacy_registration_no, name, operator_name,"
    " operator_id_number, phone, region_code, township_code, premises, industry_code,"
    " registered_on, status, status_since, converted_uscc, organisation_form, online, batch_id,"
    " updated_batch_id, operator_id_hash, phone_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (uscc) DO UPDATE SET"
    " legacy_registration_no = COALESCE(excluded.legacy_registration_no,"
    "   households.legacy_registration_no),"
    " name = COALESCE(excluded.name, households.name),"
    " operator_name = excluded.operator_name,"
    " operator_id_number = COALESCE(excluded.operator_id_number, households.operator_id_number),"
    " phone = COALESCE(excluded.phone, households.phone),"
    // A hash goes with its value: replaced (by NULL when written without a key) with it.
    " operator_id_hash = CASE WHEN excluded.operator_id_number IS NULL"
    "   THEN households.operator_id_hash ELSE excluded.operator_id_hash END,"
    " phone_hash = CASE WHEN excluded.phone IS NULL THEN households.phone_hash"
    "   ELSE excluded.phone_hash END,"
    " region_code = excluded.region_code,"
    " township_code = COALESCE(excluded.township_code, households.township_code),"
    " premises = COALESCE(excluded.premises, households.premises),"
    " industry_code = excluded.industry_code,"
    " registered_on = excluded.registered_on,"
    " status = excluded.status,"
    " status_since = excluded.status_since,"
    " converted_uscc = COALESCE(excluded.converted_uscc, households.converted_uscc),"
    " organisation_form = excluded.organisation_form,"
    " online = excluded.online,"
    " updated_batch_id = excluded.updated_batch_id"
    " WHERE excluded.status_since >= households.status_since"
    " RETURNING id";

// The columns of ReadHousehold; a query appends its FROM and WHERE.
constexpr std::string_view kSelectHouseholdColumns =
    "SELECT id, uscc, legacy_registration_no, name, operator_name, operator_id_number, phone,"
    " region_code, township_code, premises, industry_code, registered_on, status,"
    " status_since, converted_uscc, organisation_form, online";

constexpr std::string_view kOperatorIdLabel = "经营者身份证号";
constexpr std::string_view kPhoneLabel = "经营者联系电话";

std::string SelectHouseholdsWhere(std::string_view condition) {
  return std::string(kSelectHouseholdColumns) + " FROM households WHERE " + std::string(condition);
}

// The parameters of kUpsertHousehold: the sensitive fields sealed, and their lookup hashes,
// when `cipher` is set.
base::Result<std::vector<Value>> HouseholdParams(const domain::Household& h, int64_t batch_id,
                                                 const FieldCipher* cipher) {
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> id_number,
                          SealField(cipher, h.operator_id_number));
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> phone, SealField(cipher, h.phone));
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> id_hash,
                          LookupHashOf(cipher, h.operator_id_number));
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> phone_hash, LookupHashOf(cipher, h.phone));
  return std::vector<Value>{h.uscc,
                            h.legacy_registration_no,
                            h.name,
                            h.operator_name,
                            std::move(id_number),
                            std::move(phone),
                            h.region_code,
                            h.township_code,
                            h.premises,
                            h.industry_code,
                            h.registered_on,
                            domain::HouseholdStatusCode(h.status),
                            h.status_since,
                            h.converted_uscc,
                            domain::OrganisationFormCode(h.organisation_form),
                            h.online,
                            batch_id,
                            batch_id,
                            std::move(id_hash),
                            std::move(phone_hash)};
}

// Reads a row of kSelectHouseholdColumns, whose columns follow the order of domain::Household;
// the sensitive fields are opened with `cipher`.
base::Result<domain::Household> ReadHousehold(const Statement& row, const FieldCipher* cipher) {
  domain::Household h;
  int c = 0;
  h.id = row.ColumnInt(c++);
  h.uscc = row.ColumnText(c++);
  h.legacy_registration_no = row.ColumnOptionalText(c++);
  h.name = row.ColumnOptionalText(c++);
  h.operator_name = row.ColumnText(c++);
  GETIHU_ASSIGN_OR_RETURN(h.operator_id_number,
                          OpenField(cipher, row.ColumnOptionalText(c++), kOperatorIdLabel));
  GETIHU_ASSIGN_OR_RETURN(h.phone, OpenField(cipher, row.ColumnOptionalText(c++), kPhoneLabel));
  h.region_code = row.ColumnText(c++);
  h.township_code = row.ColumnOptionalText(c++);
  h.premises = row.ColumnOptionalText(c++);
  h.industry_code = row.ColumnText(c++);
  GETIHU_ASSIGN_OR_RETURN(h.registered_on, row.ColumnDate(c++));
  auto status = domain::ParseHouseholdStatusCode(row.ColumnText(c++));
  GETIHU_ASSIGN_OR_RETURN(h.status_since, row.ColumnDate(c++));
  h.converted_uscc = row.ColumnOptionalText(c++);
  auto form = domain::ParseOrganisationFormCode(row.ColumnText(c++));
  h.online = row.ColumnInt(c++) != 0;
  if (!status || !form) {
    return base::DataLoss("数据库中个体工商户 " + h.uscc + " 的状态或组成形式无法识别");
  }
  h.status = *status;
  h.organisation_form = *form;
  return h;
}

// Runs `update` (value, hash, id) with `value` sealed and hashed, unless it is absent or sealed
// already.
base::Status SealInPlace(Statement& update, const FieldCipher& cipher, int64_t id,
                         const std::optional<std::string>& value) {
  if (!value.has_value() || FieldCipher::IsSealed(*value)) return base::OkStatus();
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> sealed, SealField(&cipher, value));
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> hash, LookupHashOf(&cipher, value));
  return update.Run(std::vector<Value>{sealed, hash, id}).status();
}

// One stored owner attribute: (household, attribute name, value).
struct AttributeRow {
  int64_t household_id;
  std::string_view attribute;
  int64_t value;
};

std::vector<AttributeRow> Flatten(std::span<const domain::OwnerAttributes> rows) {
  std::vector<AttributeRow> out;
  for (const auto& a : rows) {
    auto add = [&](std::string_view name, const auto& value) {
      if (value.has_value()) out.push_back({a.household_id, name, int64_t{*value}});
    };
    add("veteran", a.veteran);
    add("graduation_year", a.graduation_year);
    add("employment_difficulty", a.employment_difficulty);
    add("poverty_alleviated", a.poverty_alleviated);
    add("returning_migrant", a.returning_migrant);
    add("disabled", a.disabled);
  }
  return out;
}

}  // namespace

namespace {

bool HasPii(const domain::Household& h) {
  return h.operator_id_number.has_value() || h.phone.has_value();
}

}  // namespace

base::Status HouseholdRepository::CheckDataKey() {
  const FieldCipher* cipher = db_.field_cipher();
  if (key_checked_ && key_checked_for_ == cipher) return base::OkStatus();
  GETIHU_ASSIGN_OR_RETURN(Statement * read,
                          db_.PrepareCached("SELECT fingerprint FROM data_key WHERE id = 1"));
  GETIHU_ASSIGN_OR_RETURN(bool has_row, read->Step());
  std::optional<std::string> recorded;
  if (has_row) recorded = read->ColumnText(0);
  GETIHU_RETURN_IF_ERROR(read->Reset());
  // A sealed value written before fingerprints were recorded (or by `encrypt-pii`).
  GETIHU_ASSIGN_OR_RETURN(
      std::optional<int64_t> sealed_id,
      db_.QueryInt("SELECT id FROM households WHERE phone_hash IS NOT NULL"
                   " UNION ALL SELECT id FROM households WHERE operator_id_hash IS NOT NULL"
                   " LIMIT 1"));
  if (cipher == nullptr) {
    if (recorded.has_value() || sealed_id.has_value()) {
      return base::FailedPrecondition(
          "该数据库中经营者的身份证号和电话已加密保存：写入前须用 --data-key 或环境变量 "
          "GETIHU_DATA_KEY 提供加密时使用的数据密钥（无密钥写入会把新数据以明文存入）");
    }
  } else {
    GETIHU_ASSIGN_OR_RETURN(std::string fingerprint,
                            cipher->LookupHash("getihu:data-key-fingerprint"));
    auto mismatch = [&](std::string_view known) {
      return base::FailedPrecondition(
          "数据密钥与该数据库不符：库中的身份证号和电话是用另一个密钥加密的" +
          std::string(known.empty()
                          ? ""
                          : "（其指纹以 " + std::string(known.substr(0, 8)) + " 开头，当前密钥以 " +
                                fingerprint.substr(0, 8) + " 开头）") +
          "；请换用原密钥");
    };
    if (recorded.has_value()) {
      if (*recorded != fingerprint) return mismatch(*recorded);
    } else {
      if (sealed_id.has_value()) {  // sealed before fingerprints: the key must open it
        GETIHU_ASSIGN_OR_RETURN(
            Statement * one,
            db_.PrepareCached("SELECT CASE WHEN phone_hash IS NOT NULL THEN phone"
                              " ELSE operator_id_number END FROM households WHERE id = ?"));
        GETIHU_RETURN_IF_ERROR(one->BindInt(1, *sealed_id));
        GETIHU_ASSIGN_OR_RETURN(bool found, one->Step());
        std::string stored = found ? one->ColumnText(0) : std::string();
        GETIHU_RETURN_IF_ERROR(one->Reset());
        if (FieldCipher::IsSealed(stored) && !cipher->Open(stored).ok()) return mismatch("");
      }
      GETIHU_RETURN_IF_ERROR(
          db_.Execute("INSERT INTO data_key (id, fingerprint, recorded_at) VALUES (1, ?, ?)"
                      " ON CONFLICT (id) DO NOTHING",
                      {fingerprint, CstTimestamp(base::SystemClock().NowUnixSeconds())})
              .status());
    }
  }
  key_checked_ = true;
  key_checked_for_ = cipher;
  return base::OkStatus();
}

base::Result<std::vector<int64_t>> HouseholdRepository::UpsertHouseholds(
    std::span<const domain::Household> rows, int64_t batch_id) {
  if (std::any_of(rows.begin(), rows.end(), HasPii)) GETIHU_RETURN_IF_ERROR(CheckDataKey());
  GETIHU_ASSIGN_OR_RETURN(Statement * upsert, db_.PrepareCached(kUpsertHousehold));
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const domain::Household& h : rows) {
    GETIHU_ASSIGN_OR_RETURN(std::vector<Value> params,
                            HouseholdParams(h, batch_id, db_.field_cipher()));
    GETIHU_RETURN_IF_ERROR(upsert->Reset());
    GETIHU_RETURN_IF_ERROR(upsert->BindAll(params));
    GETIHU_ASSIGN_OR_RETURN(bool row, upsert->Step());
    std::optional<int64_t> id;
    if (row) {
      id = upsert->ColumnInt(0);
    } else {  // an older snapshot: nothing updated, nothing returned
      GETIHU_ASSIGN_OR_RETURN(id, FindHouseholdId(h.uscc));
    }
    if (!id.has_value()) return base::Internal("写入个体工商户后找不到其编号：" + h.uscc);
    ids.push_back(*id);
  }
  GETIHU_RETURN_IF_ERROR(upsert->Reset());
  return ids;
}

base::Result<std::vector<int64_t>> HouseholdRepository::InsertNewHouseholds(
    std::span<const domain::Household> rows, int64_t batch_id) {
  if (std::any_of(rows.begin(), rows.end(), HasPii)) GETIHU_RETURN_IF_ERROR(CheckDataKey());
  // Multi-row INSERTs of kChunk rows (then single rows). On SQLite, which holds the write lock
  // for the whole transaction, the ids are given in the statement (the next free ones, as
  // SQLite would choose them); elsewhere each statement returns (id, uscc) pairs, whose order
  // is not guaranteed, so ids are matched back by USCC.
  constexpr size_t kColumns = 20;
  const bool sqlite = db_.dialect() == Dialect::kSqlite;
  // SQLite checks `status IN (…)` through a temporary table built per execution: larger
  // statements pay for it less often.
  const size_t kChunk = sqlite ? 256 : 48;
  std::string_view insert = kUpsertHousehold.substr(0, kUpsertHousehold.find(" VALUES"));
  auto sql_for = [&](size_t n) {
    std::string tuple = sqlite ? "(?, ?" : "(?";
    for (size_t c = 1; c < kColumns; ++c) tuple += ", ?";
    tuple += ")";
    std::string sql(insert);
    if (sqlite) sql.replace(sql.find("(uscc"), 1, "(id, ");
    sql += " VALUES ";
    for (size_t i = 0; i < n; ++i) sql += (i ? ", " : "") + tuple;
    return sqlite ? sql : sql + " RETURNING id, uscc";
  };
  int64_t next_id = 0;
  if (sqlite) {
    GETIHU_ASSIGN_OR_RETURN(std::optional<int64_t> max_id,
                            db_.QueryInt("SELECT MAX(id) FROM households"));
    next_id = max_id.value_or(0) + 1;
  }
  std::unordered_map<std::string, int64_t> ids;
  if (!sqlite) ids.reserve(rows.size());
  size_t done = 0;
  for (size_t size : {kChunk, size_t{1}}) {
    if (rows.size() - done < size) continue;
    GETIHU_ASSIGN_OR_RETURN(Statement * stmt, db_.PrepareCached(sql_for(size)));
    std::vector<Value> params;
    for (; rows.size() - done >= size; done += size) {
      params.clear();
      for (size_t k = done; k < done + size; ++k) {
        GETIHU_ASSIGN_OR_RETURN(std::vector<Value> one,
                                HouseholdParams(rows[k], batch_id, db_.field_cipher()));
        if (sqlite) params.emplace_back(next_id + static_cast<int64_t>(k));
        params.insert(params.end(), std::make_move_iterator(one.begin()),
                      std::make_move_iterator(one.end()));
      }
      GETIHU_RETURN_IF_ERROR(stmt->Reset());
      GETIHU_RETURN_IF_ERROR(stmt->BindAllBorrowed(params));
      for (;;) {
        GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
        if (!row) break;
        ids[stmt->ColumnText(1)] = stmt->ColumnInt(0);
      }
      GETIHU_RETURN_IF_ERROR(stmt->Reset());  // before `params` changes
    }
  }
  std::vector<int64_t> out;
  out.reserve(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    if (sqlite) {
      out.push_back(next_id + static_cast<int64_t>(k));
      continue;
    }
    auto it = ids.find(rows[k].uscc);
    if (it == ids.end()) return base::Internal("写入个体工商户后找不到其编号：" + rows[k].uscc);
    out.push_back(it->second);
  }
  return out;
}

base::Result<bool> HouseholdRepository::ApplyStatusChange(int64_t id,
                                                          domain::HouseholdStatus status,
                                                          base::Date since,
                                                          std::optional<std::string> converted_uscc,
                                                          int64_t batch_id) {
  GETIHU_ASSIGN_OR_RETURN(
      Statement * stmt,
      db_.PrepareCached("UPDATE households SET status = ?, status_since = ?,"
                        " converted_uscc = COALESCE(?, converted_uscc), updated_batch_id = ?"
                        " WHERE id = ? AND status_since <= ?"));
  std::vector<Value> params = {
      domain::HouseholdStatusCode(status), since, converted_uscc, batch_id, id, since};
  GETIHU_ASSIGN_OR_RETURN(int64_t changed, stmt->Run(params));
  return changed > 0;
}

base::Result<bool> HouseholdRepository::UpdateRegisteredItems(int64_t id,
                                                              const RegisteredItemsChange& c,
                                                              int64_t batch_id) {
  if (c.operator_id_number.has_value() || c.phone.has_value()) {
    GETIHU_RETURN_IF_ERROR(CheckDataKey());
  }
  GETIHU_ASSIGN_OR_RETURN(
      Statement * stmt,
      db_.PrepareCached(
          "UPDATE households SET name = COALESCE(?, name),"
          " operator_name = COALESCE(?, operator_name),"
          " operator_id_number = COALESCE(?, operator_id_number),"
          " phone = COALESCE(?, phone), township_code = COALESCE(?, township_code),"
          " premises = COALESCE(?, premises), industry_code = COALESCE(?, industry_code),"
          " online = COALESCE(?, online), updated_batch_id = ?,"
          // A hash goes with its value, as in kUpsertHousehold.
          " operator_id_hash = CASE WHEN CAST(? AS TEXT) IS NULL THEN operator_id_hash"
          "   ELSE CAST(? AS TEXT) END,"
          " phone_hash = CASE WHEN CAST(? AS TEXT) IS NULL THEN phone_hash"
          "   ELSE CAST(? AS TEXT) END"
          " WHERE id = ?"));
  std::optional<int64_t> online;
  if (c.online) online = *c.online ? 1 : 0;
  const FieldCipher* cipher = db_.field_cipher();
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> id_number,
                          SealField(cipher, c.operator_id_number));
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> phone, SealField(cipher, c.phone));
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> id_hash,
                          LookupHashOf(cipher, c.operator_id_number));
  GETIHU_ASSIGN_OR_RETURN(std::optional<std::string> phone_hash, LookupHashOf(cipher, c.phone));
  std::vector<Value> params = {c.name,
                               c.operator_name,
                               id_number,
                               phone,
                               c.township_code,
                               c.premises,
                               c.industry_code,
                               online,
                               batch_id,
                               id_number,
                               std::move(id_hash),
                               phone,
                               std::move(phone_hash),
                               id};
  GETIHU_ASSIGN_OR_RETURN(int64_t changed, stmt->Run(params));
  return changed > 0;
}

base::Result<int64_t> HouseholdRepository::UpsertHousehold(const domain::Household& household,
                                                           int64_t batch_id) {
  GETIHU_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                          UpsertHouseholds(std::span(&household, 1), batch_id));
  return ids.front();
}

base::Result<std::optional<int64_t>> HouseholdRepository::FindHouseholdId(std::string_view uscc) {
  GETIHU_ASSIGN_OR_RETURN(Statement * stmt,
                          db_.PrepareCached("SELECT id FROM households WHERE uscc = ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindText(1, uscc));
  GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
  std::optional<int64_t> id;
  if (row) id = stmt->ColumnInt(0);
  GETIHU_RETURN_IF_ERROR(stmt->Reset());
  return id;
}

base::Result<std::optional<domain::Household>> HouseholdRepository::FindHousehold(
    std::string_view uscc) {
  GETIHU_ASSIGN_OR_RETURN(Statement * stmt, db_.PrepareCached(SelectHouseholdsWhere("uscc = ?")));
  GETIHU_RETURN_IF_ERROR(stmt->BindText(1, uscc));
  GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<domain::Household>();
  base::Result<domain::Household> h = ReadHousehold(*stmt, db_.field_cipher());
  GETIHU_RETURN_IF_ERROR(stmt->Reset());
  if (!h.ok()) return std::move(h).status();
  return std::optional<domain::Household>(std::move(*h));
}

base::Result<std::vector<domain::Household>> HouseholdRepository::FindByOperatorIdNumber(
    std::string_view id_number) {
  const FieldCipher* cipher = db_.field_cipher();
  std::string normalized = NormalizeForLookup(id_number);
  std::string key = normalized;
  if (cipher != nullptr) {
    GETIHU_ASSIGN_OR_RETURN(key, cipher->LookupHash(normalized));
  }
  // With a key, the indexed hash; without one, the plaintext (a scan: no index on it).
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare(SelectHouseholdsWhere(cipher != nullptr ? "operator_id_hash = ? ORDER BY id"
                                                          : "operator_id_number = ? ORDER BY id")));
  GETIHU_RETURN_IF_ERROR(stmt->BindText(1, key));
  std::vector<domain::Household> out;
  for (;;) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    GETIHU_ASSIGN_OR_RETURN(domain::Household h, ReadHousehold(*stmt, cipher));
    out.push_back(std::move(h));
  }
  return out;
}

base::Result<int64_t> HouseholdRepository::SealPlaintextFields() {
  const FieldCipher* cipher = db_.field_cipher();
  if (cipher == nullptr) {
    return base::FailedPrecondition("加密经营者身份证号和电话需要先配置数据密钥");
  }
  GETIHU_RETURN_IF_ERROR(CheckDataKey());
  // Pages in id order, so that no read statement stays open across the updates.
  constexpr int64_t kPage = 5000;
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> page,
      db_.Prepare(
          "SELECT id, operator_id_number, phone FROM households WHERE id > ? AND"
          " ((operator_id_number IS NOT NULL AND substr(operator_id_number, 1, 4) <> 'sm4:')"
          " OR (phone IS NOT NULL AND substr(phone, 1, 4) <> 'sm4:'))"
          " ORDER BY id LIMIT ?"));
  GETIHU_ASSIGN_OR_RETURN(
      Statement * seal_id,
      db_.PrepareCached("UPDATE households SET operator_id_number = ?, operator_id_hash = ?"
                        " WHERE id = ?"));
  GETIHU_ASSIGN_OR_RETURN(
      Statement * seal_phone,
      db_.PrepareCached("UPDATE households SET phone = ?, phone_hash = ? WHERE id = ?"));
  struct Plain {
    int64_t id;
    std::optional<std::string> id_number, phone;
  };
  int64_t sealed_rows = 0, after = 0;
  for (;;) {
    std::vector<Plain> rows;
    GETIHU_RETURN_IF_ERROR(page->Reset());
    GETIHU_RETURN_IF_ERROR(page->BindAll(std::vector<Value>{after, kPage}));
    for (;;) {
      GETIHU_ASSIGN_OR_RETURN(bool row, page->Step());
      if (!row) break;
      rows.push_back(
          {page->ColumnInt(0), page->ColumnOptionalText(1), page->ColumnOptionalText(2)});
    }
    GETIHU_RETURN_IF_ERROR(page->Reset());
    if (rows.empty()) return sealed_rows;
    for (const Plain& r : rows) {
      GETIHU_RETURN_IF_ERROR(SealInPlace(*seal_id, *cipher, r.id, r.id_number));
      GETIHU_RETURN_IF_ERROR(SealInPlace(*seal_phone, *cipher, r.id, r.phone));
      ++sealed_rows;
    }
    after = rows.back().id;
  }
}

base::Result<std::unordered_map<std::string, int64_t>> HouseholdRepository::LoadHouseholdIds(
    std::string_view region_prefix) {
  GETIHU_ASSIGN_OR_RETURN(RegionRange range, RegionRangeOf(region_prefix));
  GETIHU_ASSIGN_OR_RETURN(
      std::unique_ptr<Statement> stmt,
      db_.Prepare("SELECT uscc, id FROM households WHERE region_code BETWEEN ? AND ?"));
  GETIHU_RETURN_IF_ERROR(stmt->BindAll(std::vector<Value>{range.low, range.high}));
  std::unordered_map<std::string, int64_t> ids;
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ids.emplace(stmt->ColumnText(0), stmt->ColumnInt(1));
  }
  return ids;
}

base::Status HouseholdRepository::ScanHouseholdKeys(
    const std::function<void(std::string_view uscc, int64_t id, base::Date registered_on)>& fn) {
  GETIHU_ASSIGN_OR_RETURN(std::unique_ptr<Statement> stmt,
                          db_.Prepare("SELECT uscc, id, registered_on FROM households"));
  while (true) {
    GETIHU_ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    GETIHU_ASSIGN_OR_RETURN(base::Date registered_on, stmt->ColumnDate(2));
    fn(stmt->ColumnText(0), stmt->ColumnInt(1), registered_on);
  }
  return base::OkStatus();
}

base::Result<WriteCounts> HouseholdRepository::InsertStatusChanges(
    std::span<const domain::StatusChange> rows, int64_t batch_id) {
  // Full chunks go through one multi-row INSERT (one statement per kChunk rows), the rest
  // row by row; both ignore a change already stored.
  constexpr size_t kChunk = 64;
  constexpr size_t kSqliteChunk = 512;
  constexpr std::string_view kHead =
      "INSERT INTO household_status_history (household_id, effective_on, change_kind, status,"
      " batch_id) VALUES ";
  constexpr std::string_view kTuple = "(?, ?, ?, ?, ?)";
  constexpr std::string_view kTail = " ON CONFLICT DO NOTHING";
  auto sql_for = [&](size_t n) {
    std::string sql(kHead);
    for (size_t i = 0; i < n; ++i) {
      if (i > 0) sql += ", ";
      sql += kTuple;
    }
    return sql + std::string(kTail);
  };
  WriteCounts counts;
  size_t done = 0;
  // SQLite checks a column's `IN (…)` constraint through a temporary table it builds on each
  // execution of a statement: the larger the statement, the fewer times it pays for that.
  // The remainder goes through smaller statements, down to one row.
  size_t chunk = db_.dialect() == Dialect::kSqlite ? kSqliteChunk : kChunk;
  for (size_t size : {chunk, chunk / 8, chunk / 64, size_t{1}}) {
    if (size == 0) continue;
    if (rows.size() - done < size) continue;
    GETIHU_ASSIGN_OR_RETURN(Statement * stmt, db_.PrepareCached(sql_for(size)));
    std::vector<Value> params;
    params.reserve(size * 5);
    for (; rows.size() - done >= size; done += size) {
      params.clear();
      for (const domain::StatusChange& c : rows.subspan(done, size)) {
        params.insert(params.end(),
                      {c.household_id, c.effective_on, domain::StatusChangeKindCode(c.kind),
                       domain::HouseholdStatusCode(c.status), batch_id});
      }
      GETIHU_ASSIGN_OR_RETURN(int64_t inserted, stmt->Run(params));
      counts.inserted += inserted;
      counts.ignored += static_cast<int64_t>(size) - inserted;
    }
  }
  return counts;
}

base::Result<WriteCounts> HouseholdRepository::UpsertOwnerAttributes(
    std::span<const domain::OwnerAttributes> rows, int64_t batch_id) {
  std::vector<AttributeRow> flat = Flatten(rows);
  return internal::WriteEach(
      db_,
      "INSERT INTO owner_attributes (household_id, attribute, value, batch_id)"
      " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "UPDATE owner_attributes SET value = ?, batch_id = ?"
      " WHERE household_id = ? AND attribute = ? AND value <> ?",
      std::span<const AttributeRow>(flat), [&](const AttributeRow& r) -> internal::RowParams {
        return {{r.household_id, r.attribute, r.value, batch_id},
                {r.value, batch_id, r.household_id, r.attribute, r.value}};
      });
}

}  // namespace getihu::storage
