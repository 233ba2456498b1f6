#include "workflows/feed_records.h"

#include <cassert>

namespace getihu::workflows {
namespace {

template <typename E>
E EnumAt(const ingest::FieldValue& v) {
  return static_cast<E>(v.number);  // layout enumerations follow the domain enum order (tested)
}

}  // namespace

const ingest::FieldValue& RowFields::operator[](std::string_view key) const {
  for (size_t i = 0; i < feed_.fields.size(); ++i) {
    if (feed_.fields[i].key == key) return row_.values[i];
  }
  assert(false && "unknown field key");
  return row_.values.front();
}

std::optional<std::string> RowFields::OptText(std::string_view key) const {
  const auto& v = (*this)[key];
  return v.present ? std::optional<std::string>(v.text) : std::nullopt;
}

std::optional<base::Date> RowFields::OptDate(std::string_view key) const {
  const auto& v = (*this)[key];
  return v.present ? std::optional<base::Date>(v.date) : std::nullopt;
}

std::optional<base::Money> RowFields::OptMoney(std::string_view key) const {
  const auto& v = (*this)[key];
  return v.present ? std::optional<base::Money>(base::Money::FromFen(v.number)) : std::nullopt;
}

std::optional<bool> RowFields::OptBool(std::string_view key) const {
  const auto& v = (*this)[key];
  return v.present ? std::optional<bool>(v.number != 0) : std::nullopt;
}

domain::StatusChangeKind ChangeKindOf(const RowFields& row) {
  return EnumAt<domain::StatusChangeKind>(row["change_kind"]);
}

domain::HouseholdStatus StatusAfter(domain::StatusChangeKind kind,
                                    domain::HouseholdStatus current) {
  using K = domain::StatusChangeKind;
  using S = domain::HouseholdStatus;
  switch (kind) {
    case K::kEstablished:
    case K::kResumed:
      return S::kActive;
    case K::kSuspended:
      return S::kSuspended;
    case K::kDeregistered:
      return S::kDeregistered;
    case K::kRevoked:
      return S::kRevoked;
    case K::kConverted:
      return S::kConverted;
    case K::kChanged:
      return current;
  }
  return current;
}

domain::Household ToHousehold(const RowFields& row) {
  domain::Household h;
  h.uscc = row["uscc"].text;
  h.legacy_registration_no = row.OptText("legacy_reg_no");
  h.name = row.OptText("name");
  h.operator_name = row["operator_name"].text;
  h.operator_id_number = row.OptText("operator_id");
  h.phone = row.OptText("phone");
  h.region_code = row["region_code"].text;
  h.township_code = row.OptText("township_code");
  h.premises = row.OptText("premises");
  h.industry_code = row["industry_code"].text;
  h.registered_on = row.OptDate("established_on").value_or(row["change_date"].date);
  h.status = domain::HouseholdStatus::kActive;
  h.status_since = row["change_date"].date;
  if (row["form"].present) h.organisation_form = EnumAt<domain::OrganisationForm>(row["form"]);
  h.online = row.OptBool("online").value_or(false);
  return h;
}

storage::RegisteredItemsChange ToRegisteredItems(const RowFields& row) {
  storage::RegisteredItemsChange c;
  c.name = row.OptText("name");
  c.operator_name = row.OptText("operator_name");
  c.operator_id_number = row.OptText("operator_id");
  c.phone = row.OptText("phone");
  c.township_code = row.OptText("township_code");
  c.premises = row.OptText("premises");
  c.industry_code = row.OptText("industry_code");
  c.online = row.OptBool("online");
  return c;
}

domain::AnnualReport ToAnnualReport(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .year = static_cast<int>(row["year"].number),
          .revenue = row.OptMoney("revenue"),
          .tax = row.OptMoney("tax_total"),
          .employees = static_cast<int>(row["staff"].number),
          .filed_on = row.OptDate("filed_on"),
          .online = row.OptBool("online_shop")};
}

domain::TaxRecord ToTaxRecord(const RowFields& row, int64_t household_id) {
  domain::TaxRecord t{.household_id = household_id,
                      .year = static_cast<int>(row["year"].number),
                      .tax_paid = row.OptMoney("tax_paid"),
                      .sales = row.OptMoney("sales")};
  if (row["credit_rating"].present)
    t.credit_rating = EnumAt<domain::TaxCreditRating>(row["credit_rating"]);
  return t;
}

domain::SocialInsuranceRecord ToSocialInsurance(const RowFields& row, int64_t household_id) {
  return {household_id, row["period"].text, static_cast<int>(row["insured"].number)};
}

domain::HousingFundRecord ToHousingFund(const RowFields& row, int64_t household_id) {
  return {household_id, row["period"].text, static_cast<int>(row["payers"].number)};
}

domain::Loan ToLoan(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .contract_no = row["contract_no"].text,
          .lender = row["lender"].text,
          .granted_on = row["granted_on"].date,
          .amount = base::Money::FromFen(row["amount"].number),
          .is_first_loan = row["first_loan"].number != 0,
          .due_on = row.OptDate("due_on")};
}

domain::IntellectualProperty ToIntellectualProperty(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .kind = EnumAt<domain::IpKind>(row["kind"]),
          .registration_no = row["number"].text,
          .title = row.OptText("title"),
          .granted_on = row["granted_on"].date};
}

domain::Penalty ToPenalty(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .document_no = row["document_no"].text,
          .decided_on = row["decided_on"].date,
          .kind = EnumAt<domain::PenaltyKind>(row["kind"]),
          .amount = row.OptMoney("amount"),
          .authority = row.OptText("authority"),
          .repaired_on = row.OptDate("repaired_on")};
}

domain::AbnormalMark ToAbnormalMark(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .marked_on = row["marked_on"].date,
          .reason = EnumAt<domain::AbnormalReason>(row["reason"]),
          .recovered_on = row.OptDate("recovered_on")};
}

domain::DishonestDebtorListing ToDishonestDebtor(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .case_no = row["case_no"].text,
          .court = row["court"].text,
          .listed_on = row["listed_on"].date,
          .removed_on = row.OptDate("removed_on")};
}

domain::SafetyAccident ToSafetyAccident(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .occurred_on = row["occurred_on"].date,
          .severity = EnumAt<domain::AccidentSeverity>(row["level"]),
          .description = row.OptText("summary")};
}

domain::Honour ToHonour(const RowFields& row, int64_t household_id) {
  return {.household_id = household_id,
          .kind = EnumAt<domain::HonourKind>(row["kind"]),
          .level = EnumAt<domain::HonourLevel>(row["level"]),
          .issuer = row.OptText("issuer"),
          .granted_on = row["granted_on"].date,
          .expires_on = row.OptDate("expires_on"),
          .certificate_no = row.OptText("certificate_no")};
}

domain::OwnerAttributes ToOwnerAttributes(const RowFields& row, int64_t household_id) {
  domain::OwnerAttributes a{.household_id = household_id,
                            .veteran = row.OptBool("veteran"),
                            .employment_difficulty = row.OptBool("employment_difficulty"),
                            .poverty_alleviated = row.OptBool("poverty_alleviated"),
                            .returning_migrant = row.OptBool("returning_migrant"),
                            .disabled = row.OptBool("disabled")};
  if (row["graduation_year"].present)
    a.graduation_year = static_cast<int>(row["graduation_year"].number);
  return a;
}

}  // namespace getihu::workflows
