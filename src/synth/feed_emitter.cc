#include "synth/feed_emitter.h"

#include <algorithm>

#include "base/money.h"
#include "domain/industry.h"
#include "domain/uscc.h"
#include "ingest/csv_writer.h"
#include "synth/names.h"

namespace getihu::synth {
namespace {

using base::Date;
using base::Money;
using ingest::FieldType;

enum Feed : size_t {
  kRegistration,
  kAnnualReport,
  kTax,
  kSocialInsurance,
  kHousingFund,
  kLoan,
  kIp,
  kPenalty,
  kAbnormal,
  kDishonest,
  kAccident,
  kHonour,
  kOwner,
};

constexpr uint64_t kNamesStream = 3;
constexpr uint64_t kBadStream = 4;
constexpr uint64_t kUnknownUsccOffset = 1ULL << 40;

std::string Yuan(int64_t fen) { return Money::FromFen(fen).ToPlainYuan(); }
std::string YesNo(bool b) { return b ? "是" : "否"; }

std::string_view Enum(const ingest::FeedLayout& feed, size_t field, int index) {
  return feed.fields[field].values[static_cast<size_t>(index)];
}

}  // namespace

std::string_view BadRowName(BadRow kind) {
  static constexpr std::string_view kNames[] = {"bad_check_char",  "unknown_uscc",    "bad_region",
                                                "bad_industry",    "impossible_date", "future_date",
                                                "negative_amount", "duplicate"};
  return kNames[static_cast<size_t>(kind)];
}

std::string_view BadRowMeaning(BadRow kind) {
  static constexpr std::string_view kMeanings[] = {"统一社会信用代码校验位错误",
                                                   "统一社会信用代码无对应登记记录",
                                                   "区划代码不存在",
                                                   "行业代码不存在",
                                                   "日期不存在（如 2 月 30 日）",
                                                   "日期晚于数据截止日期",
                                                   "金额为负数",
                                                   "文件内主键重复"};
  return kMeanings[static_cast<size_t>(kind)];
}

uint64_t FeedTally::BadTotal() const {
  uint64_t n = 0;
  for (uint64_t b : bad) n += b;
  return n;
}

void PopulationTally::Add(const PopulationTally& o) {
  households += o.households, in_stock += o.in_stock, suspended += o.suspended;
  deregistered += o.deregistered, revoked += o.revoked, converted += o.converted;
  auto add = [](std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
    if (a.size() < b.size()) a.resize(b.size());
    for (size_t i = 0; i < b.size(); ++i) a[i] += b[i];
  };
  add(stock_by_township, o.stock_by_township);
  add(new_by_year, o.new_by_year);
  add(exit_by_year, o.exit_by_year);
  for (size_t i = 0; i < stock_by_section.size(); ++i) stock_by_section[i] += o.stock_by_section[i];
  for (size_t i = 0; i < stock_by_sector.size(); ++i) stock_by_sector[i] += o.stock_by_sector[i];
}

FeedEmitter::FeedEmitter(const HouseholdModel& model, const RegionPlan& plan, double bad_row_rate)
    : model_(model), plan_(plan), bad_row_rate_(bad_row_rate) {
  auto feeds = ingest::AllFeeds();
  for (size_t f = 0; f < kFeedCount; ++f) {
    rows_[f].resize(feeds[f].fields.size());
    auto& kinds = applicable_[f];
    kinds = {BadRow::kBadCheckChar, BadRow::kDuplicate};
    if (f == kRegistration) {
      kinds.insert(kinds.end(), {BadRow::kBadRegion, BadRow::kBadIndustry});
    } else {
      kinds.push_back(BadRow::kUnknownUscc);
    }
    first_date_[f] = first_money_[f] = -1;
    for (size_t i = 0; i < feeds[f].fields.size(); ++i) {
      FieldType t = feeds[f].fields[i].type;
      if (t == FieldType::kDate && first_date_[f] < 0) first_date_[f] = static_cast<int>(i);
      if (t == FieldType::kMoney && first_money_[f] < 0) first_money_[f] = static_cast<int>(i);
    }
    if (first_date_[f] >= 0)
      kinds.insert(kinds.end(), {BadRow::kImpossibleDate, BadRow::kFutureDate});
    if (first_money_[f] >= 0) kinds.push_back(BadRow::kNegativeAmount);
  }
}

FeedEmitter::Row& FeedEmitter::Begin(size_t feed) {
  for (std::string& s : rows_[feed]) s.clear();
  return rows_[feed];
}

void FeedEmitter::Write(size_t feed, const SynthHousehold& h, Rng& rng, ChunkOutput& out) {
  Row& row = rows_[feed];
  ingest::CsvWriter w(out.csv[feed]);
  for (const std::string& field : row) w.Field(field);
  w.EndRow();
  ++out.tally[feed].rows;
  if (!rng.Chance(bad_row_rate_)) return;
  const auto& kinds = applicable_[feed];
  BadRow kind = kinds[rng.Below(kinds.size())];
  Row bad = row;
  switch (kind) {
    case BadRow::kBadCheckChar: {
      char& c = bad[0].back();
      size_t v = static_cast<size_t>(domain::UsccCharValue(c));
      c = domain::kUsccAlphabet[(v + 1 + rng.Below(30)) % 31];
      break;
    }
    case BadRow::kUnknownUscc:
      bad[0] = domain::UsccGenerator(h.fate.township->county_code)
                   .Generate(kUnknownUsccOffset + h.index);
      break;
    case BadRow::kBadRegion:
      bad[8] = h.fate.township->county_code.substr(0, 2) + "9999";
      break;
    case BadRow::kBadIndustry:
      bad[10] = "9800";
      break;
    case BadRow::kImpossibleDate:
      bad[static_cast<size_t>(first_date_[feed])] =
          std::to_string(model_.as_of().year() - 1) + "-02-30";
      break;
    case BadRow::kFutureDate:
      bad[static_cast<size_t>(first_date_[feed])] =
          model_.as_of().AddDays(rng.Between(30, 400)).ToString();
      break;
    case BadRow::kNegativeAmount: {
      std::string& m = bad[static_cast<size_t>(first_money_[feed])];
      m = (m.empty() || m == "0.00") ? "-100.00" : "-" + m;
      break;
    }
    case BadRow::kDuplicate:
      break;
  }
  ingest::CsvWriter bw(out.csv[feed]);
  for (const std::string& field : bad) bw.Field(field);
  bw.EndRow();
  ++out.tally[feed].rows;
  ++out.tally[feed].bad[static_cast<size_t>(kind)];
}

void FeedEmitter::Emit(const SynthHousehold& h, ChunkOutput& out) {
  // Bad rows are drawn from their own streams so the good data does not depend on them.
  Rng names(model_.seed(), h.index, kNamesStream);
  EmitRegistration(h, names, out);
  EmitYears(h, out);
  EmitEvents(h, names, out);
  Count(h, out.population);
}

void FeedEmitter::EmitRegistration(const SynthHousehold& h, Rng& rng, ChunkOutput& out) {
  const Fate& f = h.fate;
  Rng bad(model_.seed(), h.index, kBadStream);
  Row& r = Begin(kRegistration);
  r[0] = h.uscc;
  r[1] = ingest::kChangeEstablish;
  r[2] = r[13] = f.established_on.ToString();
  if (f.established_on < *Date::FromYmd(2015, 10, 1) && rng.Chance(0.6)) {
    r[3] = domain::GenerateLegacyRegistration(f.township->county_code, h.index);
  }
  r[4] = ShopName(rng, h);
  r[5] = OperatorName(rng);
  Date birthday = f.established_on.AddYears(-rng.Between(20, 60)).AddDays(-rng.Between(0, 364));
  r[6] = CitizenIdNumber(rng, f.township->county_code, birthday);
  r[7] = MobileNumber(rng);
  r[8] = f.township->county_code;
  r[9] = f.township->township_code;
  r[10] = f.industry->code;
  r[11] = rng.Chance(0.08) ? "家庭经营" : "个人经营";
  r[12] = Premises(rng, h);
  r[14] = YesNo(h.online);
  Write(kRegistration, h, bad, out);
  auto change = [&](std::string_view kind, Date on) -> Row& {
    Row& c = Begin(kRegistration);
    c[0] = h.uscc;
    c[1] = kind;
    c[2] = on.ToString();
    return c;
  };
  if (h.altered_on) {
    change(ingest::kChangeAlter, *h.altered_on)[12] = Premises(rng, h);
    Write(kRegistration, h, bad, out);
  }
  if (h.past_suspension) {
    change(ingest::kChangeSuspend, h.past_suspension->on);
    Write(kRegistration, h, bad, out);
    change(ingest::kChangeResume, *h.past_suspension->ended_on);
    Write(kRegistration, h, bad, out);
  }
  if (f.suspended) {
    change(ingest::kChangeSuspend, f.suspended_on);
    Write(kRegistration, h, bad, out);
  }
  if (f.exit != Exit::kNone) {
    std::string_view kind = f.exit == Exit::kDeregistered ? ingest::kChangeDeregister
                            : f.exit == Exit::kRevoked    ? ingest::kChangeRevoke
                                                          : ingest::kChangeConvert;
    Row& c = change(kind, f.exit_on);
    if (f.exit == Exit::kConverted) c[15] = h.converted_uscc;
    Write(kRegistration, h, bad, out);
  }
}

void FeedEmitter::EmitYears(const SynthHousehold& h, ChunkOutput& out) {
  Rng bad(model_.seed(), h.index, kBadStream + 100);
  for (const YearFigures& y : h.years) {
    if (!y.active) continue;
    std::string year = std::to_string(y.year);
    if (y.reported) {
      Row& r = Begin(kAnnualReport);
      r[0] = h.uscc, r[1] = year, r[2] = Yuan(y.revenue_fen), r[3] = Yuan(y.tax_paid_fen);
      r[4] = std::to_string(y.staff), r[5] = YesNo(y.online_shop), r[6] = y.filed_on.ToString();
      Write(kAnnualReport, h, bad, out);
    }
    if (y.revenue_fen > 0 || y.tax_paid_fen > 0) {
      Row& r = Begin(kTax);
      r[0] = h.uscc, r[1] = year, r[2] = Yuan(y.tax_paid_fen), r[3] = Yuan(y.revenue_fen);
      r[4] = std::string(1, y.credit_rating);
      Write(kTax, h, bad, out);
    }
    if (y.insured > 0) {
      Row& r = Begin(kSocialInsurance);
      r[0] = h.uscc, r[1] = year, r[2] = std::to_string(y.insured);
      Write(kSocialInsurance, h, bad, out);
    }
    if (y.fund_payers > 0) {
      Row& r = Begin(kHousingFund);
      r[0] = h.uscc, r[1] = year, r[2] = std::to_string(y.fund_payers);
      Write(kHousingFund, h, bad, out);
    }
  }
}

void FeedEmitter::EmitEvents(const SynthHousehold& h, Rng& rng, ChunkOutput& out) {
  Rng bad(model_.seed(), h.index, kBadStream + 200);
  auto feeds = ingest::AllFeeds();
  const std::string& county = h.fate.township->county_name;
  std::string serial = std::to_string(h.index);
  auto opt_date = [](const std::optional<Date>& d) { return d ? d->ToString() : std::string(); };
  for (size_t i = 0; i < h.loans.size(); ++i) {
    const DatedEvent& l = h.loans[i];
    static constexpr std::string_view kLenders[] = {
        "中国农业银行", "中国建设银行", "重庆农村商业银行", "中国邮政储蓄银行", "中国工商银行"};
    Row& r = Begin(kLoan);
    r[0] = h.uscc, r[1] = "DK" + serial + "-" + std::to_string(i + 1);
    r[2] = std::string(kLenders[rng.Below(5)]) + county + "支行";
    r[3] = l.on.ToString(), r[4] = Yuan(l.amount_fen), r[5] = YesNo(l.level == 1);
    r[6] = opt_date(l.ended_on);
    Write(kLoan, h, bad, out);
  }
  auto ip = [&](const DatedEvent& e, size_t n) {
    Row& r = Begin(kIp);
    r[0] = h.uscc, r[1] = Enum(feeds[kIp], 1, e.kind);
    r[2] = (e.kind == 0 ? "TM" : "ZL") + serial + std::to_string(n);
    r[3] = e.kind == 0 ? "图形及文字商标" : "一种经营用具";
    r[4] = e.on.ToString();
    Write(kIp, h, bad, out);
  };
  for (size_t i = 0; i < h.trademarks.size(); ++i) ip(h.trademarks[i], i);
  for (size_t i = 0; i < h.patents.size(); ++i) ip(h.patents[i], 10 + i);
  if (h.penalty) {
    const DatedEvent& p = *h.penalty;
    Row& r = Begin(kPenalty);
    r[0] = h.uscc,
    r[1] = county + "市监处罚〔" + std::to_string(p.on.year()) + "〕" + serial + "号";
    r[2] = p.on.ToString(), r[3] = Enum(feeds[kPenalty], 3, p.kind);
    r[4] = p.amount_fen > 0 ? Yuan(p.amount_fen) : "", r[5] = county + "市场监督管理局";
    r[6] = opt_date(p.ended_on);
    Write(kPenalty, h, bad, out);
  }
  if (h.abnormal) {
    Row& r = Begin(kAbnormal);
    r[0] = h.uscc, r[1] = h.abnormal->on.ToString(),
    r[2] = Enum(feeds[kAbnormal], 2, h.abnormal->kind);
    r[3] = opt_date(h.abnormal->ended_on);
    Write(kAbnormal, h, bad, out);
  }
  if (h.dishonest) {
    Row& r = Begin(kDishonest);
    r[0] = h.uscc, r[1] = "(" + std::to_string(h.dishonest->on.year()) + ")渝执" + serial + "号";
    r[2] = "重庆市" + county + "人民法院", r[3] = h.dishonest->on.ToString();
    r[4] = opt_date(h.dishonest->ended_on);
    Write(kDishonest, h, bad, out);
  }
  if (h.accident) {
    Row& r = Begin(kAccident);
    r[0] = h.uscc, r[1] = h.accident->on.ToString(),
    r[2] = Enum(feeds[kAccident], 2, h.accident->level);
    r[3] = "经营场所发生生产安全事故";
    Write(kAccident, h, bad, out);
  }
  if (h.honour) {
    static constexpr std::string_view kIssuerSuffix[] = {"商务委员会", "市场监督管理局",
                                                         "文化和旅游委员会", "农业农村委员会"};
    const DatedEvent& e = *h.honour;
    Row& r = Begin(kHonour);
    r[0] = h.uscc, r[1] = Enum(feeds[kHonour], 1, e.kind), r[2] = Enum(feeds[kHonour], 2, e.level);
    std::string_view level_prefix[] = {county, "重庆市", "重庆市", "国家"};
    r[3] = std::string(level_prefix[e.level]) + std::string(kIssuerSuffix[e.kind % 4]);
    r[4] = e.on.ToString(), r[5] = opt_date(e.ended_on), r[6] = "RY" + serial;
    Write(kHonour, h, bad, out);
  }
  if (h.owner_flags != 0) {
    Row& r = Begin(kOwner);
    r[0] = h.uscc;
    r[1] = YesNo(h.owner_flags & 1u);
    r[2] = h.graduation_year > 0 ? std::to_string(h.graduation_year) : "";
    r[3] = YesNo(h.owner_flags & 4u), r[4] = YesNo(h.owner_flags & 8u);
    r[5] = YesNo(h.owner_flags & 16u), r[6] = YesNo(h.owner_flags & 32u);
    r[7] = h.fate.established_on.ToString();
    Write(kOwner, h, bad, out);
  }
}

void FeedEmitter::Count(const SynthHousehold& h, PopulationTally& t) const {
  const Fate& f = h.fate;
  ++t.households;
  size_t year = static_cast<size_t>(f.established_on.year() - 1995);
  if (t.new_by_year.size() <= year) t.new_by_year.resize(year + 1);
  ++t.new_by_year[year];
  switch (f.exit) {
    case Exit::kDeregistered:
      ++t.deregistered;
      break;
    case Exit::kRevoked:
      ++t.revoked;
      break;
    case Exit::kConverted:
      ++t.converted;
      break;
    case Exit::kNone:
      break;
  }
  if (f.exit == Exit::kDeregistered || f.exit == Exit::kRevoked) {
    size_t y = static_cast<size_t>(f.exit_on.year() - 1995);
    if (t.exit_by_year.size() <= y) t.exit_by_year.resize(y + 1);
    ++t.exit_by_year[y];
  }
  if (!f.InStock()) return;
  ++t.in_stock;
  t.suspended += f.suspended;
  if (t.stock_by_township.empty()) t.stock_by_township.resize(plan_.slots().size());
  ++t.stock_by_township[static_cast<size_t>(f.township - plan_.slots().data())];
  ++t.stock_by_section[static_cast<size_t>(f.industry->section - 'A')];
  const domain::IndustryDivision* d = domain::FindDivision(f.industry->division);
  if (d != nullptr) ++t.stock_by_sector[static_cast<size_t>(d->sector)];
}

}  // namespace getihu::synth
