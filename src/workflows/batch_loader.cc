#include "workflows/batch_loader.h"

#include "workflows/feed_records.h"

namespace getihu::workflows {
namespace {

constexpr size_t kFlushRows = 4096;

}  // namespace

BatchLoader::BatchLoader(storage::Database& db, const ingest::FeedLayout& feed, int64_t batch_id,
                         RejectFn reject)
    : db_(db),
      feed_(feed),
      batch_id_(batch_id),
      reject_(std::move(reject)),
      households_(db),
      facts_(db),
      events_(db) {}

void BatchLoader::Refuse(const ingest::ValidRow& row, std::string_view reason,
                         std::string message) {
  ingest::RowIssue issue;
  issue.line = row.line;
  issue.column = std::string(ingest::FindField(feed_, "uscc")->header);
  issue.value = row.values[0].text;
  issue.reason = reason;
  issue.message = std::move(message);
  reject_(issue);
}

base::Result<std::optional<BatchLoader::Known>> BatchLoader::Lookup(const std::string& uscc) {
  GETIHU_RETURN_IF_ERROR(EnsureIndex());
  std::optional<HouseholdIndex::Entry> e = index_->Find(uscc);
  if (!e) return std::optional<Known>();
  return std::optional<Known>(Known{e->id, e->registered_on});
}

base::Status BatchLoader::Remember(const std::string& uscc, Known known) {
  GETIHU_RETURN_IF_ERROR(EnsureIndex());
  index_->Put(uscc, {known.id, known.registered_on});
  return base::OkStatus();
}

base::Status BatchLoader::EnsureIndex() {
  if (index_) return base::OkStatus();
  GETIHU_ASSIGN_OR_RETURN(HouseholdIndex index, HouseholdIndex::Load(db_));
  index_ = std::move(index);
  return base::OkStatus();
}

base::Status BatchLoader::Add(const ingest::ValidRow& row) {
  if (feed_.name == "registration") return AddRegistration(row);
  RowFields f(feed_, row);
  const std::string& uscc = f["uscc"].text;
  GETIHU_ASSIGN_OR_RETURN(std::optional<Known> known, Lookup(uscc));
  if (!known) {
    Refuse(row, "unknown_household",
           "统一社会信用代码“" + uscc + "”没有对应的登记记录（请先导入登记数据，或核对代码）");
    return base::OkStatus();
  }
  int64_t id = known->id;
  std::string_view n = feed_.name;
  if (n == "annual_report")
    annual_reports_.push_back(ToAnnualReport(f, id));
  else if (n == "tax")
    tax_.push_back(ToTaxRecord(f, id));
  else if (n == "social_insurance")
    social_.push_back(ToSocialInsurance(f, id));
  else if (n == "housing_fund")
    fund_.push_back(ToHousingFund(f, id));
  else if (n == "loan")
    loans_.push_back(ToLoan(f, id));
  else if (n == "intellectual_property")
    ip_.push_back(ToIntellectualProperty(f, id));
  else if (n == "penalty")
    penalties_.push_back(ToPenalty(f, id));
  else if (n == "abnormal")
    abnormal_.push_back(ToAbnormalMark(f, id));
  else if (n == "dishonest_debtor")
    dishonest_.push_back(ToDishonestDebtor(f, id));
  else if (n == "safety_accident")
    accidents_.push_back(ToSafetyAccident(f, id));
  else if (n == "honour")
    honours_.push_back(ToHonour(f, id));
  else if (n == "owner_attribute")
    owners_.push_back(ToOwnerAttributes(f, id));
  else
    return base::Internal("未知的部门数据：" + std::string(n));
  ++accepted_;
  if (++buffered_ >= kFlushRows) return Flush();
  return base::OkStatus();
}

base::Status BatchLoader::AddRegistration(const ingest::ValidRow& row) {
  RowFields f(feed_, row);
  domain::StatusChangeKind kind = ChangeKindOf(f);
  base::Date on = f["change_date"].date;
  const std::string& uscc = f["uscc"].text;
  GETIHU_ASSIGN_OR_RETURN(std::optional<Known> known, Lookup(uscc));
  RegOp op;
  op.kind = kind;
  op.on = on;
  op.uscc = uscc;
  if (kind == domain::StatusChangeKind::kEstablished) {
    op.household = ToHousehold(f);
    if (!known) {
      // A new household: inserted in bulk at the next flush; until then it has a provisional
      // (negative) id that later rows of the same flush may refer to.
      new_households_.push_back(*op.household);
      unfoldable_.push_back(false);
      established_on_.push_back(op.household->status_since);
      GETIHU_RETURN_IF_ERROR(Remember(
          uscc, {-static_cast<int64_t>(new_households_.size()), op.household->registered_on}));
      ++accepted_;
      return PendingRegistrations() >= kFlushRows ? Flush() : base::OkStatus();
    }
    op.id = known->id;
    if (op.id < 0) unfoldable_[static_cast<size_t>(-op.id - 1)] = true;
    GETIHU_RETURN_IF_ERROR(Remember(uscc, {known->id, op.household->registered_on}));
  } else {
    if (!known) {
      Refuse(row, "unknown_household",
             "统一社会信用代码“" + uscc + "”没有设立登记，无法记载“" + f["change_kind"].text + "”");
      return base::OkStatus();
    }
    if (on < known->registered_on) {
      Refuse(row, "status_conflict",
             f["change_kind"].text + "日期 " + on.ToString() + " 早于成立日期 " +
                 known->registered_on.ToString());
      return base::OkStatus();
    }
    op.id = known->id;
    if (kind == domain::StatusChangeKind::kChanged) op.items = ToRegisteredItems(f);
    op.converted_uscc = f.OptText("converted_uscc");
    Fold(op);
  }
  ops_.push_back(std::move(op));
  ++accepted_;
  return PendingRegistrations() >= kFlushRows ? Flush() : base::OkStatus();
}

bool BatchLoader::Fold(RegOp& op) {
  if (op.id >= 0 || unfoldable_[static_cast<size_t>(-op.id - 1)]) return false;
  domain::Household& h = new_households_[static_cast<size_t>(-op.id - 1)];
  if (op.kind == domain::StatusChangeKind::kChanged) {
    // As HouseholdRepository::UpdateRegisteredItems: a given item replaces the stored one.
    const storage::RegisteredItemsChange& c = op.items;
    if (c.name) h.name = c.name;
    if (c.operator_name) h.operator_name = *c.operator_name;
    if (c.operator_id_number) h.operator_id_number = c.operator_id_number;
    if (c.phone) h.phone = c.phone;
    if (c.township_code) h.township_code = c.township_code;
    if (c.premises) h.premises = c.premises;
    if (c.industry_code) h.industry_code = *c.industry_code;
    if (c.online) h.online = *c.online;
    op.status = h.status;
  } else {
    // As HouseholdRepository::ApplyStatusChange: never back in time.
    op.status = StatusAfter(op.kind, domain::HouseholdStatus::kActive);
    if (h.status_since <= op.on) {
      h.status = op.status;
      h.status_since = op.on;
      if (op.converted_uscc) h.converted_uscc = op.converted_uscc;
    }
  }
  op.folded = true;
  op.items = {};
  return true;
}

base::Status BatchLoader::FlushRegistrations() {
  std::vector<int64_t> new_ids;
  if (!new_households_.empty()) {
    GETIHU_ASSIGN_OR_RETURN(new_ids, households_.InsertNewHouseholds(new_households_, batch_id_));
    for (size_t k = 0; k < new_ids.size(); ++k) {
      const domain::Household& h = new_households_[k];
      GETIHU_RETURN_IF_ERROR(Remember(h.uscc, {new_ids[k], h.registered_on}));
      history_.push_back({new_ids[k], domain::HouseholdStatus::kActive, established_on_[k],
                          domain::StatusChangeKind::kEstablished});
    }
  }
  auto resolve = [&](int64_t id) { return id > 0 ? id : new_ids[static_cast<size_t>(-id - 1)]; };
  for (RegOp& op : ops_) {
    int64_t id = resolve(op.id);
    if (op.folded) {
      history_.push_back({id, op.status, op.on, op.kind});
      continue;
    }
    domain::HouseholdStatus status = StatusAfter(op.kind, domain::HouseholdStatus::kActive);
    if (op.kind == domain::StatusChangeKind::kEstablished) {
      GETIHU_RETURN_IF_ERROR(households_.UpsertHousehold(*op.household, batch_id_).status());
    } else if (op.kind == domain::StatusChangeKind::kChanged) {
      GETIHU_RETURN_IF_ERROR(households_.UpdateRegisteredItems(id, op.items, batch_id_).status());
      GETIHU_ASSIGN_OR_RETURN(std::optional<domain::Household> h,
                              households_.FindHousehold(op.uscc));
      if (h) status = h->status;
    } else {
      GETIHU_RETURN_IF_ERROR(
          households_.ApplyStatusChange(id, status, op.on, op.converted_uscc, batch_id_).status());
    }
    history_.push_back({id, status, op.on, op.kind});
  }
  new_households_.clear();
  unfoldable_.clear();
  established_on_.clear();
  ops_.clear();
  return base::OkStatus();
}

base::Status BatchLoader::Flush() {
  GETIHU_RETURN_IF_ERROR(FlushRegistrations());
  storage::WriteCounts total;
  auto add = [&](base::Result<storage::WriteCounts> r) -> base::Status {
    if (!r.ok()) return r.status();
    total.ignored += r->ignored;
    total.updated += r->updated;
    return base::OkStatus();
  };
  auto flush = [&](auto& rows, auto write) -> base::Status {
    if (rows.empty()) return base::OkStatus();
    base::Status s = add(write(std::span(std::as_const(rows))));
    rows.clear();
    return s;
  };
  int64_t b = batch_id_;
  GETIHU_RETURN_IF_ERROR(
      flush(annual_reports_, [&](auto s) { return facts_.InsertAnnualReports(s, b); }));
  GETIHU_RETURN_IF_ERROR(flush(tax_, [&](auto s) { return facts_.InsertTaxRecords(s, b); }));
  GETIHU_RETURN_IF_ERROR(
      flush(social_, [&](auto s) { return facts_.InsertSocialInsurance(s, b); }));
  GETIHU_RETURN_IF_ERROR(flush(fund_, [&](auto s) { return facts_.InsertHousingFund(s, b); }));
  GETIHU_RETURN_IF_ERROR(flush(loans_, [&](auto s) { return facts_.InsertLoans(s, b); }));
  GETIHU_RETURN_IF_ERROR(
      flush(ip_, [&](auto s) { return events_.InsertIntellectualProperty(s, b); }));
  GETIHU_RETURN_IF_ERROR(flush(penalties_, [&](auto s) { return events_.InsertPenalties(s, b); }));
  GETIHU_RETURN_IF_ERROR(
      flush(abnormal_, [&](auto s) { return events_.InsertAbnormalMarks(s, b); }));
  GETIHU_RETURN_IF_ERROR(
      flush(dishonest_, [&](auto s) { return events_.InsertDishonestDebtors(s, b); }));
  GETIHU_RETURN_IF_ERROR(
      flush(accidents_, [&](auto s) { return events_.InsertSafetyAccidents(s, b); }));
  GETIHU_RETURN_IF_ERROR(flush(honours_, [&](auto s) { return events_.InsertHonours(s, b); }));
  GETIHU_RETURN_IF_ERROR(
      flush(owners_, [&](auto s) { return households_.UpsertOwnerAttributes(s, b); }));
  GETIHU_RETURN_IF_ERROR(
      flush(history_, [&](auto s) { return households_.InsertStatusChanges(s, b); }));
  unchanged_ += static_cast<uint64_t>(total.ignored);
  superseded_ += static_cast<uint64_t>(total.updated);
  buffered_ = 0;
  return base::OkStatus();
}

base::Status BatchLoader::Finish() { return Flush(); }

}  // namespace getihu::workflows
