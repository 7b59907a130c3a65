// Judgement as well as chance (MODEL.md 4.3), from a run on input sets: how much of each deal's
// spread is not knowing the inputs, and which sampled inputs move each deal's gains (Spearman's
// rho of an input's draws with the deal's per-set mean gains, summary.json's input_correlations).
import type { InputCorrelationRow, Num } from '../document';
import { bn, isNum } from '../format';
import { keyLabel } from '../labels';
import type { RunView } from '../run';
import { type Chart, type Spec, colours, field, panels, spec, topLegend, zeroLine } from './base';

export const SAMPLED = 'chance and judgement (inputs drawn)';
export const KNOWN = 'chance alone (inputs known)';

export interface SpreadRow {
  deal: string;
  side: string;
  spread: string;
  sd: number; // $ bn
}

// Each deal's standard deviation of host and partner value over all paths, and the part left if
// the inputs were known: sd x sqrt(1 - between-set share), the within-set spread.
export function spreadRows(run: RunView): SpreadRow[] {
  const rows: SpreadRow[] = [];
  for (const deal of run.summary.deals) {
    for (const [metric, side] of [
      ['host_value', 'host value'],
      ['partner_value', 'partner value'],
    ] as const) {
      const stats = deal.metrics[metric];
      const sd = stats?.sd as Num | undefined;
      const share = stats?.between_sets_share;
      if (!isNum(sd) || !isNum(share)) continue;
      rows.push({ deal: deal.name, side, spread: SAMPLED, sd: bn(sd) ?? 0 });
      rows.push({ deal: deal.name, side, spread: KNOWN, sd: bn(sd * Math.sqrt(Math.max(0, 1 - share))) ?? 0 });
    }
  }
  return rows;
}

export function spreadChart(run: RunView): Chart {
  const rows = spreadRows(run);
  if (rows.length === 0) return { spec: null, note: ['This run drew no input sets.'] };
  const layout = panels(run.width - 2 * 170, 360, 2);
  const y = field('deal', 'nominal', { sort: run.deals, title: null });
  const colour = field('spread', 'nominal', { title: null, scale: { domain: [SAMPLED, KNOWN], range: [colours.partner, colours.host] }, legend: { ...topLegend, labelLimit: 400 } });
  const view = (side: string): Spec => ({
    title: `The spread of ${side}`,
    width: layout.width,
    height: { step: 14 },
    data: { name: 'spreads' },
    transform: [{ filter: { field: 'side', equal: side } }],
    mark: { type: 'bar' },
    encoding: {
      y,
      yOffset: field('spread', 'nominal', { sort: [SAMPLED, KNOWN] }),
      x: field('sd', 'quantitative', { title: 'standard deviation over the paths, $ bn' }),
      color: colour,
      tooltip: [field('deal', 'nominal'), field('spread', 'nominal'), field('sd', 'quantitative', { title: 'sd, $ bn', format: ',.2f' })],
    },
  });
  return {
    spec: { ...spec(), datasets: { spreads: rows }, columns: layout.columns, concat: [view('host value'), view('partner value')], resolve: { scale: { x: 'independent' } } },
    note: [
      `Each deal's spread of value over the paths, as a standard deviation: with the judgement inputs drawn in the ${run.summary.sample_inputs ?? 0} input sets (what the run's percentiles show), and what is left if they were known (the spread within a set: the total times the square root of one less the share between sets). The gap is judgement; the rest is the future's chance.`,
    ],
  };
}

export interface CorrelationView {
  input: string; // in words
  key: string;
  metric: string; // "host gain", "partner gain"
  rho: number;
  low: number | null;
  high: number | null;
}

// The `most` inputs whose |rho| with the deal's host or partner gain is largest, both gains of
// each, largest first.
export function correlationRows(rows: InputCorrelationRow[], deal: string, most: number): CorrelationView[] {
  const mine = rows.filter((r) => r.deal === deal && isNum(r.spearman));
  const strength = new Map<string, number>();
  for (const r of mine) strength.set(r.input, Math.max(strength.get(r.input) ?? 0, Math.abs(r.spearman as number)));
  const top = [...strength.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, most)
    .map(([key]) => key);
  const out: CorrelationView[] = [];
  for (const key of top) {
    for (const r of mine.filter((m) => m.input === key)) {
      out.push({
        input: keyLabel(key),
        key,
        metric: r.metric === 'host_gain' ? 'host gain' : 'partner gain',
        rho: r.spearman as number,
        low: isNum(r.low) ? r.low : null,
        high: isNum(r.high) ? r.high : null,
      });
    }
  }
  return out;
}

// |rho| under which a correlation is within chance at K sets: twice its sd under no effect.
export function chanceLevel(sets: number): number {
  return 2 / Math.sqrt(Math.max(2, sets) - 1);
}

export const correlationChartInputs = 12;

export function correlationChart(run: RunView, deal: string): Chart {
  const c = run.summary.input_correlations;
  const rows = c ? correlationRows(c.rows, deal, correlationChartInputs) : [];
  if (!c || rows.length === 0) return { spec: null, note: [`No sampled input has a correlation with ${deal}'s gains.`] };
  const sets = run.summary.sample_inputs ?? 0;
  const chance = chanceLevel(sets);
  const layout = panels(run.width - 2 * 230, 320, 2);
  const order = [...new Set(rows.map((r) => r.input))];
  const y = field('input', 'nominal', { sort: order, title: null, axis: { labelLimit: 260 } });
  const x = field('rho', 'quantitative', { title: "Spearman's rho with the set means", scale: { domain: [-1, 1] } });
  const view = (metric: string): Spec => ({
    title: `${deal}: ${metric} over ${c.reference}`,
    width: layout.width,
    height: { step: 18 },
    layer: [
      { data: { values: [{ low: -chance, high: chance }] }, mark: { type: 'rect', color: '#edf2f7' }, encoding: { x: field('low', 'quantitative', { scale: { domain: [-1, 1] }, title: x.title }), x2: { field: 'high' } } },
      zeroLine('x'),
      {
        data: { name: 'correlations' },
        transform: [{ filter: { field: 'metric', equal: metric } }],
        layer: [
          { mark: { type: 'rule', strokeWidth: 2, color: colours.host }, encoding: { y, x: field('low', 'quantitative', { title: x.title }), x2: { field: 'high' } } },
          {
            mark: { type: 'point', filled: true, size: 50, opacity: 1, color: colours.host },
            encoding: {
              y,
              x,
              tooltip: [field('input', 'nominal'), field('key', 'nominal', { title: 'key' }), field('rho', 'quantitative', { format: '+.2f' }), field('low', 'quantitative', { format: '+.2f' }), field('high', 'quantitative', { format: '+.2f' })],
            },
          },
        ],
      },
    ],
  });
  return {
    spec: { ...spec(), datasets: { correlations: rows }, columns: layout.columns, concat: [view('host gain'), view('partner gain')] },
    note: [
      `Which judgements move ${deal}'s gains, from the same run at no extra cost: for the ${correlationChartInputs} sampled inputs most correlated with either gain, Spearman's rank correlation of the input's draws in the ${sets} input sets with the deal's mean gain over ${c.reference} in each set (dots), and a ${Math.round(c.confidence * 100)}% bootstrap interval over the sets (whiskers). Within the grey band (|rho| below ${chance.toFixed(2)}) a correlation is within chance. A positive rho: the higher the input, the larger the gain.`,
    ],
  };
}

// How the tornado's order and the correlations' agree: of the tornado's `most` widest factors,
// how many hold one of the `most` inputs most correlated with the same gain.
export function orderAgreement(
  rows: InputCorrelationRow[],
  deal: string,
  metric: string,
  tornadoKeys: string[][],
  most: number,
): { shared: number; compared: number } {
  const top = rows
    .filter((r) => r.deal === deal && r.metric === metric && isNum(r.spearman))
    .sort((a, b) => Math.abs(b.spearman as number) - Math.abs(a.spearman as number))
    .slice(0, most)
    .map((r) => r.input);
  const factors = tornadoKeys.slice(0, most);
  const shared = factors.filter((keys) => keys.some((k) => top.includes(k))).length;
  return { shared, compared: Math.min(factors.length, top.length) };
}
