import { describe, expect, it } from 'vitest';

import {
  formatCount,
  formatDate,
  formatDateTime,
  formatFen,
  formatFenWithSign,
  formatPct,
  latestJulyFirst,
  monthEnds,
  tierName,
  toCsv,
  today,
} from '../src/format.js';

describe('formatFen', () => {
  it('writes fen as yuan with thousands separators', () => {
    expect(formatFen(1234567)).toBe('12,345.67');
    expect(formatFen(7871300)).toBe('78,713.00');
    expect(formatFen(100000000000)).toBe('1,000,000,000.00');
  });
  it('keeps small amounts and zero exact', () => {
    expect(formatFen(0)).toBe('0.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(99)).toBe('0.99');
  });
  it('puts the sign in front of negative amounts', () => {
    expect(formatFen(-1234567)).toBe('-12,345.67');
    expect(formatFenWithSign(-10000)).toBe('-¥100.00');
    expect(formatFenWithSign(8000000)).toBe('¥80,000.00');
  });
  it('handles amounts beyond 2^53 given as BigInt', () => {
    expect(formatFen(123456789012345678n)).toBe('1,234,567,890,123,456.78');
  });
  it('shows a dash for missing amounts', () => {
    expect(formatFen(null)).toBe('—');
    expect(formatFen(undefined)).toBe('—');
    expect(formatFen('')).toBe('—');
  });
});

describe('formatCount and formatPct', () => {
  it('groups thousands', () => {
    expect(formatCount(2000)).toBe('2,000');
    expect(formatCount(59000)).toBe('59,000');
    expect(formatCount(-1234)).toBe('-1,234');
    expect(formatCount(12)).toBe('12');
    expect(formatCount(null)).toBe('—');
  });
  it('writes percentages with one decimal and an optional sign', () => {
    expect(formatPct(4.2)).toBe('4.2%');
    expect(formatPct(4.2, { signed: true })).toBe('+4.2%');
    expect(formatPct(-14.7, { signed: true })).toBe('-14.7%');
    expect(formatPct(0, { signed: true })).toBe('0.0%');
    expect(formatPct(15.15, { digits: 2 })).toBe('15.15%');
    expect(formatPct(null)).toBe('—');
  });
});

describe('dates', () => {
  it('keeps the calendar date of ISO texts', () => {
    expect(formatDate('2026-07-01')).toBe('2026-07-01');
    expect(formatDate('2026-11-23T09:57:37+08:00')).toBe('2026-11-23');
    expect(formatDate('')).toBe('—');
  });
  it('reads Unix seconds in China time', () => {
    // 2026-11-22T16:30:00Z is 2026-11-23 00:30 in Beijing.
    const t = Date.UTC(2026, 10, 22, 16, 30) / 1000;
    expect(formatDate(t)).toBe('2026-11-23');
    expect(formatDateTime(t)).toBe('2026-11-23 00:30');
  });
  it('writes date and time as yyyy-MM-dd HH:mm', () => {
    expect(formatDateTime('2026-11-23T09:57:37+08:00')).toBe('2026-11-23 09:57');
  });
  it('gives today and the latest 1 July in China time', () => {
    const lateJune = new Date(Date.UTC(2026, 5, 30, 15, 0)); // 23:00 on 30 June in Beijing
    expect(today(lateJune)).toBe('2026-06-30');
    expect(latestJulyFirst(lateJune)).toBe('2025-07-01');
    const julyInBeijing = new Date(Date.UTC(2026, 5, 30, 17, 0)); // 01:00 on 1 July
    expect(today(julyInBeijing)).toBe('2026-07-01');
    expect(latestJulyFirst(julyInBeijing)).toBe('2026-07-01');
  });
});

describe('monthEnds', () => {
  it('lists the last day of the 11 months before the date, then the date', () => {
    const d = monthEnds('2026-03-15');
    expect(d).toHaveLength(12);
    expect(d.slice(0, 3)).toEqual(['2025-04-30', '2025-05-31', '2025-06-30']);
    expect(d.slice(9)).toEqual(['2026-01-31', '2026-02-28', '2026-03-15']);
    expect(monthEnds('2024-03-01', 2)).toEqual(['2024-02-29', '2024-03-01']);
  });
});

describe('names and CSV', () => {
  it('names tiers in Chinese', () => {
    expect(tierName('growth')).toBe('成长型');
    expect(tierName('untyped')).toBe('未分型');
  });
  it('writes CSV with a BOM and quotes where needed', () => {
    const csv = toCsv(
      [
        { prop: 'name', label: '名称' },
        { prop: 'n', label: '户数' },
      ],
      [
        { name: '花溪街道', n: '1,234' },
        { name: '说"明"', n: null },
      ],
    );
    expect(csv).toBe('\uFEFF名称,户数\r\n花溪街道,"1,234"\r\n"说""明""",\r\n');
  });
});
