// Chinese column headings and values for the pool's record tables in a household's detail
// (the server names columns as stored). Unknown columns show their stored name.
export const kColumnLabels = {
  effective_on: '生效日期',
  change_kind: '变更类型',
  status: '登记状态',
  year: '年度',
  period: '所属期',
  revenue_yuan: '营业收入（元）',
  tax_yuan: '纳税总额（元）',
  employees: '从业人数',
  filed_on: '报送日期',
  online: '网络经营',
  tax_paid_yuan: '实缴税额（元）',
  sales_yuan: '申报销售额（元）',
  credit_rating: '纳税信用等级',
  insured_count: '参保人数',
  payer_count: '缴存人数',
  contract_no: '合同编号',
  lender: '贷款机构',
  granted_on: '发放（授予）日期',
  amount_yuan: '金额（元）',
  is_first_loan: '首贷',
  due_on: '到期日',
  document_no: '文书编号',
  decided_on: '决定日期',
  kind: '类别',
  authority: '决定机关',
  repaired_on: '信用修复日期',
  marked_on: '列入日期',
  reason: '原因',
  recovered_on: '移出日期',
  case_no: '案号',
  court: '执行法院',
  listed_on: '列入日期',
  removed_on: '移出日期',
  occurred_on: '发生日期',
  severity: '等级',
  description: '情况',
  level: '级别',
  issuer: '颁发单位',
  expires_on: '有效期至',
  certificate_no: '证书编号',
  registration_no: '注册号（专利号）',
  title: '名称',
  attribute: '属性',
  value: '取值',
  batch_id: '来源批次',
};

const kValueLabels = {
  change_kind: {
    established: '设立',
    changed: '变更',
    suspended: '歇业',
    resumed: '恢复营业',
    deregistered: '注销',
    revoked: '吊销',
    converted: '个转企',
  },
  status: {
    active: '存续',
    suspended: '歇业',
    deregistered: '注销',
    revoked: '吊销',
    converted: '已转企',
  },
};
const kYesNo = new Set(['online', 'is_first_loan']);

// The columns to show for a table's rows: amounts once (in 元), in the server's order.
export function recordColumns(rows) {
  const keys = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return keys
    .filter((k) => !(k.endsWith('_fen') && keys.includes(`${k.slice(0, -4)}_yuan`)))
    .map((k) => ({ prop: k, label: kColumnLabels[k] || k, amount: k.endsWith('_yuan') }));
}

export function recordValue(column, value) {
  if (value === null || value === undefined || value === '') return '—';
  if (kYesNo.has(column)) return value === '1' || value === true ? '是' : '否';
  return kValueLabels[column]?.[value] ?? String(value);
}
