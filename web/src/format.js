// Display helpers: amounts in 元 with thousands separators, dates as yyyy-MM-dd in China's time
// zone, percentages with their sign. Pure functions, no DOM, so the tests run in Node.

const kDash = '—';
const kTimeZone = 'Asia/Shanghai';

function isMissing(v) {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// 1234567 (fen) → "12,345.67". Integer fen only, so there is no floating-point rounding.
export function formatFen(fen) {
  if (isMissing(fen)) return kDash;
  const n = typeof fen === 'bigint' ? fen : BigInt(Math.trunc(Number(fen)));
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const yuan = groupThousands((abs / 100n).toString());
  const cents = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

// 1234567 (fen) → "¥12,345.67".
export function formatFenWithSign(fen) {
  const s = formatFen(fen);
  if (s === kDash) return s;
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

// 2000 → "2,000"; counts of households and rows.
export function formatCount(n) {
  if (isMissing(n)) return kDash;
  const v = Number(n);
  if (!Number.isFinite(v)) return String(n);
  const sign = v < 0 ? '-' : '';
  return sign + groupThousands(String(Math.trunc(Math.abs(v))));
}

// 4.2 → "4.2%"; with signed=true, "+4.2%" and "-3.0%".
export function formatPct(v, { signed = false, digits = 1 } = {}) {
  if (isMissing(v)) return kDash;
  const n = Number(v);
  if (!Number.isFinite(n)) return kDash;
  const text = `${n.toFixed(digits)}%`;
  return signed && n > 0 ? `+${text}` : text;
}

function partsIn(date, withTime) {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: kTimeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
  });
  const p = Object.fromEntries(fmt.formatToParts(date).map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  return withTime ? `${day} ${p.hour}:${p.minute}` : day;
}

// Accepts "2026-11-23", "2026-11-23T09:57:37+08:00", Unix seconds, or a Date → "2026-11-23".
// An ISO text keeps the calendar date it was written with (the server writes China time).
export function formatDate(v) {
  if (isMissing(v)) return kDash;
  if (typeof v === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v);
    if (m) return `${m[1]}-${m[2]}-${m[3]}`;
    return v;
  }
  const d = v instanceof Date ? v : new Date(Number(v) * 1000);
  return Number.isNaN(d.getTime()) ? kDash : partsIn(d, false);
}

// "2026-11-23T09:57:37+08:00" or Unix seconds → "2026-11-23 09:57".
export function formatDateTime(v) {
  if (isMissing(v)) return kDash;
  if (typeof v === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(v);
    if (m) return `${m[1]} ${m[2]}`;
    return formatDate(v);
  }
  const d = v instanceof Date ? v : new Date(Number(v) * 1000);
  return Number.isNaN(d.getTime()) ? kDash : partsIn(d, true);
}

// Today's date in China as "yyyy-MM-dd".
export function today(now = new Date()) {
  return partsIn(now, false);
}

// The reference date of the yearly tiering: 1 July of this year once it has passed.
export function latestJulyFirst(now = new Date()) {
  const t = today(now);
  const year = Number(t.slice(0, 4));
  return t.slice(5) >= '07-01' ? `${year}-07-01` : `${year - 1}-07-01`;
}

// The 12 reference dates of a monthly series ending on `asOf` ("yyyy-MM-dd"): the last day of
// each of the 11 months before it, then `asOf` itself.
export function monthEnds(asOf, count = 12) {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7)); // 1-12
  const out = [];
  for (let back = count - 1; back >= 1; back--) {
    const m0 = month - 1 - back; // zero-based month, may be negative
    const y = year + Math.floor(m0 / 12);
    const m = ((m0 % 12) + 12) % 12;
    const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    out.push(`${y}-${String(m + 1).padStart(2, '0')}-${String(last).padStart(2, '0')}`);
  }
  out.push(asOf);
  return out;
}

export const kTierNames = {
  development: '发展型',
  growth: '成长型',
  survival: '生存型',
  untyped: '未分型',
};

export const kStatusNames = {
  active: '存续',
  suspended: '歇业',
  deregistered: '注销',
  revoked: '吊销',
  converted: '已转企',
};

export const kRoleNames = {
  admin: '系统管理员',
  regulator: '市场监管人员',
  department: '部门用户',
  liaison: '联系干部',
  owner: '经营者',
};

export function tierName(code) {
  return kTierNames[code] ?? code ?? kDash;
}

// Element Plus tag type for a tier, so the same colour means the same tier everywhere.
export function tierTagType(code) {
  return { development: 'success', growth: 'primary', survival: 'warning' }[code] ?? 'info';
}

// Rows of a table as CSV text (UTF-8 with BOM, so that Excel in China opens it correctly).
export function toCsv(columns, rows) {
  const cell = (v) => {
    const s = isMissing(v) ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => cell(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c.prop])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
