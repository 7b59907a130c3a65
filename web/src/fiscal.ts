// Fiscal measures in words and numbers (MODEL.md 5, v1.3), for the projects table and the fiscal
// section: a measure's text, the footnotes that say why one is not defined or what a take above
// 100% means, and how a regime's take moves with the price. No DOM here (node tests run these).
import type { FiscalMeasures, ProgressivityPoint } from './document';
import { DASH, formatMoney, formatPercent, formatPrice, formatYear, isNum } from './format';

export type MeasureKey =
  | 'breakeven_price'
  | 'government_take'
  | 'aetr'
  | 'investor_npv'
  | 'state_revenue_npv'
  | 'irr'
  | 'pretax_irr'
  | 'payback_year'
  | 'effective_royalty_rate'
  | 'metr';

// A measure as a cell shows it: its text, and the note (from summary.json's `notes`) that goes
// in a footnote, or none.
export interface MeasureText {
  text: string;
  note: string | null;
}

const kinds: Record<MeasureKey, 'ratio' | 'money' | 'year' | 'price'> = {
  breakeven_price: 'price',
  government_take: 'ratio',
  aetr: 'ratio',
  investor_npv: 'money',
  state_revenue_npv: 'money',
  irr: 'ratio',
  pretax_irr: 'ratio',
  payback_year: 'year',
  effective_royalty_rate: 'ratio',
  metr: 'ratio',
};

// The words before a note's first colon: "not defined", "not reached", "none", "above 100%".
export function noteHead(note: string): string {
  const colon = note.indexOf(':');
  return colon > 0 ? note.slice(0, colon) : note;
}

export function measureText(m: FiscalMeasures & { state_revenue_npv?: number | null }, key: MeasureKey): MeasureText {
  const value = m[key];
  const note = m.notes?.[key] ?? null;
  if (!isNum(value)) {
    if (key === 'breakeven_price') return { text: formatPrice(null), note };
    return { text: note ? noteHead(note) : DASH, note };
  }
  const kind = kinds[key];
  const text = kind === 'ratio' ? formatPercent(value) : kind === 'money' ? formatMoney(value) : kind === 'year' ? formatYear(value) : formatPrice(value);
  return { text, note };
}

// Numbered footnotes, each text once: the first note marked gets 1.
export class Footnotes {
  private readonly numbers = new Map<string, number>();

  mark(note: string | null): number | null {
    if (!note) return null;
    let n = this.numbers.get(note);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(note, n);
    }
    return n;
  }

  list(): [number, string][] {
    return [...this.numbers.entries()].map(([note, n]) => [n, note]);
  }
}

// How a ratio moves as the price doubles from the commodity's long-run level (1x to 2x), or
// between the nearest factors where it is defined: progressive where it rises by more than a
// percentage point, regressive where it falls by more, else neutral.
export interface Trend {
  from: number;
  to: number;
  fromFactor: number;
  toFactor: number;
  verdict: 'progressive' | 'regressive' | 'neutral';
  thin: boolean; // an end above 100%: the pre-tax rent there is thin, and revenue taxes outweigh it
}

export function progressivityTrend(points: ProgressivityPoint[] | undefined, key: 'aetr' | 'government_take'): Trend | null {
  const defined = (points ?? []).filter((p) => isNum(p[key])).sort((a, b) => a.price_factor - b.price_factor);
  const to = defined[defined.length - 1];
  const from = defined.find((p) => p.price_factor >= 1) ?? defined[0];
  if (!from || !to || from === to) return null;
  const a = from[key] as number;
  const b = to[key] as number;
  const verdict = b - a > 0.01 ? 'progressive' : a - b > 0.01 ? 'regressive' : 'neutral';
  return { from: a, to: b, fromFactor: from.price_factor, toFactor: to.price_factor, verdict, thin: a > 1 || b > 1 };
}

export const factorText = (factor: number) => `${Number(factor.toPrecision(3))}×`;

export function verdictText(t: Trend): string {
  return t.thin ? `${t.verdict}; above 100% where the rent is thin` : t.verdict;
}

export function trendText(t: Trend | null): string {
  if (!t) return 'not defined at two prices';
  const factors = t.fromFactor === 1 && t.toFactor === 2 ? '' : ` (${factorText(t.fromFactor)} → ${factorText(t.toFactor)})`;
  return `${formatPercent(t.from)} → ${formatPercent(t.to)}${factors}: ${verdictText(t)}`;
}

// The ceiling the charts draw ratios up to: a take or AETR above it is drawn at it (marked), as
// near a zero pre-tax cash flow the ratio runs to thousands of percent.
export const ratioCeiling = 1.5;

export function clipped(value: number): { value: number; above: boolean } {
  return value > ratioCeiling ? { value: ratioCeiling, above: true } : { value, above: false };
}

// A paired difference's mean and its 95% interval (mean ± 1.96 standard errors), and whether the
// interval excludes 0.
export function meanInterval(mean: number | null, sem: number | null): { low: number; high: number; clear: boolean } | null {
  if (!isNum(mean)) return null;
  const half = 1.96 * (isNum(sem) ? sem : 0);
  return { low: mean - half, high: mean + half, clear: Math.abs(mean) > half };
}
