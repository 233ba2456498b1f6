// Turns validated feed rows (ingest::ValidRow, values indexed like the layout's fields) into
// the data-pool records of domain/household.h. Pure functions; thread-safe.
#ifndef GETIHU_WORKFLOWS_FEED_RECORDS_H_
#define GETIHU_WORKFLOWS_FEED_RECORDS_H_

#include <cstdint>
#include <string_view>

#include "domain/household.h"
#include "ingest/feed_layout.h"
#include "ingest/row_validator.h"
#include "storage/household_repository.h"

namespace getihu::workflows {

// Reads the fields of one validated row by key. Cheap to construct per row.
class RowFields {
 public:
  RowFields(const ingest::FeedLayout& feed, const ingest::ValidRow& row) : feed_(feed), row_(row) {}
  // REQUIRES: `key` is a field of the feed.
  const ingest::FieldValue& operator[](std::string_view key) const;
  std::optional<std::string> OptText(std::string_view key) const;
  std::optional<base::Date> OptDate(std::string_view key) const;
  std::optional<base::Money> OptMoney(std::string_view key) const;
  std::optional<bool> OptBool(std::string_view key) const;

 private:
  const ingest::FeedLayout& feed_;
  const ingest::ValidRow& row_;
};

// The status a registration change kind (变更类型 index) leads to, and its history kind.
domain::HouseholdStatus StatusAfter(domain::StatusChangeKind kind, domain::HouseholdStatus current);
domain::StatusChangeKind ChangeKindOf(const RowFields& row);

domain::Household ToHousehold(const RowFields& row);                     // from a 设立 row
storage::RegisteredItemsChange ToRegisteredItems(const RowFields& row);  // from a 变更 row

domain::AnnualReport ToAnnualReport(const RowFields& row, int64_t household_id);
domain::TaxRecord ToTaxRecord(const RowFields& row, int64_t household_id);
domain::SocialInsuranceRecord ToSocialInsurance(const RowFields& row, int64_t household_id);
domain::HousingFundRecord ToHousingFund(const RowFields& row, int64_t household_id);
domain::Loan ToLoan(const RowFields& row, int64_t household_id);
domain::IntellectualProperty ToIntellectualProperty(const RowFields& row, int64_t household_id);
domain::Penalty ToPenalty(const RowFields& row, int64_t household_id);
domain::AbnormalMark ToAbnormalMark(const RowFields& row, int64_t household_id);
domain::DishonestDebtorListing ToDishonestDebtor(const RowFields& row, int64_t household_id);
domain::SafetyAccident ToSafetyAccident(const RowFields& row, int64_t household_id);
domain::Honour ToHonour(const RowFields& row, int64_t household_id);
domain::OwnerAttributes ToOwnerAttributes(const RowFields& row, int64_t household_id);

}  // namespace getihu::workflows

#endif  // GETIHU_WORKFLOWS_FEED_RECORDS_H_
