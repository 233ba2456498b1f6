#include "storage/event_repository.h"

#include <optional>
#include <string_view>
#include <vector>

#include "storage/row_writer.h"

namespace getihu::storage {
namespace {

// UPDATE parameters that close an open event: (closed_on, batch, key...), or none when the
// row carries no closing date.
std::vector<Value> CloseParams(const std::optional<base::Date>& closed_on, int64_t batch_id,
                               std::vector<Value> key) {
  if (!closed_on.has_value()) return {};
  std::vector<Value> params = {*closed_on, batch_id};
  params.insert(params.end(), key.begin(), key.end());
  return params;
}

}  // namespace

base::Result<WriteCounts> EventRepository::InsertPenalties(std::span<const domain::Penalty> rows,
                                                           int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO penalties (household_id, document_no, decided_on, kind, amount_fen,"
      " authority, repaired_on, batch_id, repaired_batch_id)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "UPDATE penalties SET repaired_on = ?, repaired_batch_id = ?"
      " WHERE household_id = ? AND document_no = ? AND repaired_on IS NULL",
      rows, [&](const domain::Penalty& r) -> internal::RowParams {
        std::optional<int64_t> repaired_batch;
        if (r.repaired_on.has_value()) repaired_batch = batch_id;
        return {{r.household_id, r.document_no, r.decided_on, domain::PenaltyKindCode(r.kind),
                 r.amount, r.authority, r.repaired_on, batch_id, repaired_batch},
                CloseParams(r.repaired_on, batch_id, {r.household_id, r.document_no})};
      });
}

base::Result<WriteCounts> EventRepository::InsertAbnormalMarks(
    std::span<const domain::AbnormalMark> rows, int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO abnormal_marks (household_id, marked_on, reason, recovered_on, batch_id,"
      " recovered_batch_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "UPDATE abnormal_marks SET recovered_on = ?, recovered_batch_id = ?"
      " WHERE household_id = ? AND marked_on = ? AND recovered_on IS NULL",
      rows, [&](const domain::AbnormalMark& r) -> internal::RowParams {
        std::optional<int64_t> recovered_batch;
        if (r.recovered_on.has_value()) recovered_batch = batch_id;
        return {{r.household_id, r.marked_on, domain::AbnormalReasonCode(r.reason), r.recovered_on,
                 batch_id, recovered_batch},
                CloseParams(r.recovered_on, batch_id, {r.household_id, r.marked_on})};
      });
}

base::Result<WriteCounts> EventRepository::InsertDishonestDebtors(
    std::span<const domain::DishonestDebtorListing> rows, int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO dishonest_debtors (household_id, case_no, court, listed_on, removed_on,"
      " batch_id, removed_batch_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "UPDATE dishonest_debtors SET removed_on = ?, removed_batch_id = ?"
      " WHERE household_id = ? AND case_no = ? AND removed_on IS NULL",
      rows, [&](const domain::DishonestDebtorListing& r) -> internal::RowParams {
        std::optional<int64_t> removed_batch;
        if (r.removed_on.has_value()) removed_batch = batch_id;
        return {{r.household_id, r.case_no, r.court, r.listed_on, r.removed_on, batch_id,
                 removed_batch},
                CloseParams(r.removed_on, batch_id, {r.household_id, r.case_no})};
      });
}

base::Result<WriteCounts> EventRepository::InsertSafetyAccidents(
    std::span<const domain::SafetyAccident> rows, int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO safety_accidents (household_id, occurred_on, severity, description,"
      " batch_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::SafetyAccident& r) -> internal::RowParams {
        return {{r.household_id, r.occurred_on, domain::AccidentSeverityCode(r.severity),
                 r.description, batch_id},
                {}};
      });
}

base::Result<WriteCounts> EventRepository::InsertHonours(std::span<const domain::Honour> rows,
                                                         int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO honours (household_id, kind, level, issuer, granted_on, expires_on,"
      " certificate_no, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::Honour& r) -> internal::RowParams {
        return {{r.household_id, domain::HonourKindCode(r.kind), domain::HonourLevelCode(r.level),
                 r.issuer, r.granted_on, r.expires_on, r.certificate_no, batch_id},
                {}};
      });
}

base::Result<WriteCounts> EventRepository::InsertIntellectualProperty(
    std::span<const domain::IntellectualProperty> rows, int64_t batch_id) {
  return internal::WriteEach(
      db_,
      "INSERT INTO intellectual_property (household_id, kind, registration_no, title,"
      " granted_on, expires_on, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      "", rows, [&](const domain::IntellectualProperty& r) -> internal::RowParams {
        return {{r.household_id, domain::IpKindCode(r.kind), r.registration_no, r.title,
                 r.granted_on, r.expires_on, batch_id},
                {}};
      });
}

}  // namespace getihu::storage
