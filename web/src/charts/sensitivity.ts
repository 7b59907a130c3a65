// Which assumptions move the answer: a tornado (each input alone at either end of its range)
// and Sobol indices (every input drawn at once). Inputs are named in words (labels.ts).
import type { AnalysisBase, Estimate, Num, Sobol, Tornado, UncertainInput } from '../document';
import { DASH, MINUS, bn, formatMoney, formatPercent, formatTerm, isNum } from '../format';
import { factorLabel } from '../labels';
import { type Chart, type Spec, colours, field, plotWidth, spec, topLegend } from './base';

export type Measure = 'money' | 'probability' | 'year';

export interface OutputInfo {
  measure: Measure;
  label: string; // words, without the unit
}

export function outputInfo(a: AnalysisBase & { output: string; cap_by_year?: number }): OutputInfo {
  const b = a.baseline;
  const labels: Record<string, OutputInfo> = {
    host_gain: { measure: 'money', label: `host gain over ${b}` },
    partner_gain: { measure: 'money', label: `partner gain over ${b}` },
    host_value: { measure: 'money', label: 'host value' },
    partner_value: { measure: 'money', label: 'partner value' },
    host_total_gain: { measure: 'money', label: `host total gain (support valued) over ${b}` },
    partner_net_gain: { measure: 'money', label: `partner net gain (support valued) over ${b}` },
    host_total_value: { measure: 'money', label: 'host total value' },
    partner_net_value: { measure: 'money', label: 'partner net value' },
    cap_year: { measure: 'year', label: 'mean year the cap is reached' },
    cap_probability: { measure: 'probability', label: `probability the cap is reached by ${a.cap_by_year ?? ''}` },
  };
  const info = labels[a.output];
  if (!info) throw new Error(`${a.analysis}.json: unknown output '${a.output}'`);
  return info;
}

export function measureText(m: Measure, value: Num | undefined): string {
  if (m === 'probability') return formatPercent(value);
  if (m === 'year') return isNum(value) ? value.toFixed(1) : DASH;
  return formatMoney(value);
}

// A difference of two values: money, percentage points, years.
export function measureChange(m: Measure, value: Num | undefined): string {
  if (!isNum(value)) return DASH;
  const sign = value < 0 ? MINUS : '';
  if (m === 'probability') return `${sign}${(Math.abs(value) * 100).toFixed(1)} pp`;
  if (m === 'year') return `${sign}${Math.abs(value).toFixed(1)} yr`;
  return formatMoney(value);
}

export function measureValue(m: Measure, value: Num | undefined): number | null {
  if (!isNum(value)) return null;
  if (m === 'probability') return Math.round(value * 1e5) / 1e5;
  if (m === 'year') return Math.round(value * 100) / 100;
  return bn(value);
}

function measureAxis(info: OutputInfo): { title: string; format?: string } {
  if (info.measure === 'probability') return { title: info.label, format: '.0%' };
  if (info.measure === 'year') return { title: info.label, format: 'd' };
  return { title: `${info.label}, $ bn` };
}

// The range an input or group moves over, in words: "0.03 – 0.3 (value 0.1)", or for a group
// "7 inputs, each over its own range".
export function inputsText(inputs: UncertainInput[]): string {
  const range = (i: UncertainInput) => `${formatTerm(i.low)} ${DASH} ${formatTerm(i.high)} (value ${formatTerm(i.value)})`;
  if (inputs.length === 1) return range(inputs[0] as UncertainInput);
  const first = inputs[0] ? range(inputs[0]) : '';
  const shared = inputs.every((i) => range(i) === first);
  return `${inputs.length} inputs, ${shared && inputs.length > 0 ? `each ${first}` : 'each over its own range'}`;
}

// The key paths an input or group moves, for a tooltip.
export function inputKeys(inputs: UncertainInput[]): string {
  return inputs.length <= 3 ? inputs.map((i) => i.key).join(', ') : `${inputs.slice(0, 2).map((i) => i.key).join(', ')}, … (${inputs.length})`;
}

export const tornadoChartBars = 15;
export const tornadoTableRows = 40;

export interface TornadoRow {
  rank: number;
  factor: string;
  label: string;
  inputs: string;
  keys: string;
  atLow: Estimate;
  atHigh: Estimate;
  swing: Estimate;
}

function estimate(value: Estimate | undefined): Estimate {
  return { mean: isNum(value?.mean) ? value.mean : null, se: isNum(value?.se) ? value.se : null };
}

export function tornadoRows(t: Tornado): TornadoRow[] {
  return t.bars.map((bar, i) => ({
    rank: i + 1,
    factor: bar.factor,
    label: factorLabel(bar),
    inputs: inputsText(bar.inputs),
    keys: inputKeys(bar.inputs),
    atLow: estimate(bar.low[t.output]),
    atHigh: estimate(bar.high[t.output]),
    swing: estimate(bar.swing[t.output]),
  }));
}

// The inputs whose one end turns a money output's sign: the assumptions that decide the answer.
export function signFlips(t: Tornado, rows: TornadoRow[]): { label: string; end: string; value: number }[] {
  const info = outputInfo(t);
  const base = t.base[t.output]?.mean;
  if (info.measure !== 'money' || !isNum(base) || base === 0) return [];
  const flips: { label: string; end: string; value: number }[] = [];
  for (const row of rows) {
    for (const [end, e] of [
      ['low', row.atLow],
      ['high', row.atHigh],
    ] as const) {
      if (isNum(e.mean) && e.mean * base < 0) flips.push({ label: row.label, end, value: e.mean });
    }
  }
  return flips;
}

export function tornadoChart(t: Tornado, rows: TornadoRow[], width: number): Spec | null {
  const info = outputInfo(t);
  const base = t.base[t.output]?.mean;
  if (!isNum(base)) return null;
  const data: Record<string, unknown>[] = [];
  const order: string[] = [];
  for (const row of rows.slice(0, tornadoChartBars)) {
    order.push(row.label);
    for (const [side, e] of [
      ['input at its low end', row.atLow],
      ['input at its high end', row.atHigh],
    ] as const) {
      if (!isNum(e.mean)) continue;
      data.push({
        factor: row.label,
        side,
        from: measureValue(info.measure, base),
        to: measureValue(info.measure, e.mean),
        key: row.keys,
        inputs: row.inputs,
        at_low: measureText(info.measure, row.atLow.mean),
        at_high: measureText(info.measure, row.atHigh.mean),
        swing: `${measureChange(info.measure, row.swing.mean)} ± ${measureChange(info.measure, row.swing.se)}`,
      });
    }
  }
  if (data.length === 0) return null;
  const axis = measureAxis(info);
  const x = field('from', 'quantitative', { title: axis.title, scale: { zero: false }, ...(axis.format ? { axis: { format: axis.format } } : {}) });
  const bars: Spec = {
    mark: { type: 'bar', height: { band: 0.7 } },
    encoding: {
      y: field('factor', 'nominal', { sort: order, title: null, axis: { labelLimit: 360 } }),
      x,
      x2: { field: 'to' },
      color: field('side', 'nominal', {
        title: null,
        scale: { domain: ['input at its low end', 'input at its high end'], range: [colours.partner, colours.host] },
        legend: topLegend,
      }),
      tooltip: [
        field('factor', 'nominal', { title: 'input' }),
        field('key', 'nominal', { title: 'key path' }),
        field('inputs', 'nominal', { title: 'range' }),
        field('at_low', 'nominal', { title: 'at its low end' }),
        field('at_high', 'nominal', { title: 'at its high end' }),
        field('swing', 'nominal', { title: 'swing (high − low)' }),
      ],
    },
  };
  const rule: Spec = {
    data: { values: [{ base: measureValue(info.measure, base) }] },
    mark: { type: 'rule', color: colours.ink, strokeWidth: 1.5 },
    encoding: { x: field('base', 'quantitative') },
  };
  return { ...spec(), data: { values: data }, width: plotWidth(width, 420, 760), height: { step: 24 }, layer: [bars, rule] };
}

export interface SobolRow {
  factor: string;
  label: string;
  inputs: string;
  keys: string;
  first: Num;
  firstLow: Num;
  firstHigh: Num;
  total: Num;
  totalLow: Num;
  totalHigh: Num;
}

// The indices, the largest total first (an undefined total last).
export function sobolRows(s: Sobol): SobolRow[] {
  const rows = s.indices.map((i) => ({
    factor: i.factor,
    label: factorLabel(i),
    inputs: inputsText(i.inputs),
    keys: inputKeys(i.inputs),
    first: i.first,
    firstLow: i.first_low,
    firstHigh: i.first_high,
    total: i.total,
    totalLow: i.total_low,
    totalHigh: i.total_high,
  }));
  return rows.sort((p, q) => (isNum(q.total) ? (isNum(p.total) ? q.total - p.total : 1) : isNum(p.total) ? -1 : 0));
}

export function sobolChart(rows: SobolRow[], width: number): Chart['spec'] {
  const round = (v: Num) => (isNum(v) ? Math.round(v * 1e4) / 1e4 : null);
  const data: Record<string, unknown>[] = [];
  for (const r of rows) {
    for (const [kind, value, low, high] of [
      ['first order', r.first, r.firstLow, r.firstHigh],
      ['total', r.total, r.totalLow, r.totalHigh],
    ] as const) {
      if (!isNum(value)) continue;
      data.push({ factor: r.label, key: r.keys, inputs: r.inputs, kind, value: round(value), low: round(isNum(low) ? low : value), high: round(isNum(high) ? high : value) });
    }
  }
  if (data.length === 0) return null;
  const y = field('factor', 'nominal', { sort: rows.map((r) => r.label), title: null, axis: { labelLimit: 360 } });
  const yOffset = field('kind', 'nominal', { sort: ['first order', 'total'] });
  const x = { title: "Sobol index (share of the output's variance)" };
  return {
    ...spec(),
    data: { values: data },
    width: plotWidth(width, 420, 760),
    height: { step: 13 },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y,
          yOffset,
          x: field('value', 'quantitative', x),
          color: field('kind', 'nominal', { title: null, scale: { domain: ['first order', 'total'], range: ['#a3cdf2', '#5b8fd1'] }, legend: topLegend }),
          tooltip: [
            field('factor', 'nominal', { title: 'input' }),
            field('key', 'nominal', { title: 'key path' }),
            field('inputs', 'nominal', { title: 'range' }),
            field('kind', 'nominal'),
            field('value', 'quantitative', { title: 'index', format: '.3f' }),
            field('low', 'quantitative', { title: 'interval from', format: '.3f' }),
            field('high', 'quantitative', { title: 'to', format: '.3f' }),
          ],
        },
      },
      { mark: { type: 'rule', color: colours.ink, strokeWidth: 1.5 }, encoding: { y, yOffset, x: field('low', 'quantitative', x), x2: { field: 'high' } } },
    ],
  };
}
