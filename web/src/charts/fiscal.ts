// Fiscal charts (MODEL.md 5, v1.3): how each project's take moves with the price (a panel a
// project), and for `nadra fiscal`'s regimes: that on the base case (a line a regime), how take
// and AETR spread over the futures (boxes), and each sampled future's AETR against its mean real
// price (a panel a regime). Ratios above fiscal.ts's ceiling are drawn at it as triangles.
import type { Fiscal, ProgressivityPoint, ProjectFiscal } from '../document';
import { digitsGrouped, formatPercent, formatPrice, isNum, plural } from '../format';
import { clipped, ratioCeiling } from '../fiscal';
import { type Chart, type Spec, field, panels, spec, topLegend } from './base';

const measures = { government_take: 'government take', aetr: 'AETR' } as const;
type Ratio = keyof typeof measures;

export interface RatioPoint {
  name: string; // a project or a regime
  measure: string; // "government take" or "AETR"
  factor: number;
  value: number; // clipped to the ceiling
  actual: number;
  above: boolean;
}

// The defined points of each progressivity, as rows.
export function progressivityRows(items: { name: string; progressivity?: ProgressivityPoint[] }[]): RatioPoint[] {
  const rows: RatioPoint[] = [];
  for (const item of items)
    for (const p of item.progressivity ?? [])
      for (const key of Object.keys(measures) as Ratio[]) {
        const v = p[key];
        if (!isNum(v)) continue;
        const c = clipped(v);
        rows.push({ name: item.name, measure: measures[key], factor: p.price_factor, value: c.value, actual: v, above: c.above });
      }
  return rows;
}

const ratioAxis = (title: string | null) => ({ title, scale: { domain: [0, ratioCeiling], clamp: true, nice: false }, axis: { format: '%', tickCount: 4 } });
const factorAxis = (title: string) => field('factor', 'quantitative', { title, scale: { domain: [0.5, 2], nice: false }, axis: { values: [0.5, 1, 1.5, 2], format: '~g' } });
const hundred: Spec = { mark: { type: 'rule', strokeDash: [3, 3], color: '#a0aec0' }, encoding: { y: { datum: 1, type: 'quantitative' } } };
const ratioTooltip = (what: string) => [
  field('name', 'nominal', { title: what }),
  field('measure', 'nominal', { title: 'measure' }),
  field('factor', 'quantitative', { title: '× long-run price' }),
  field('actual', 'quantitative', { title: 'value', format: '.1%' }),
];
const measureColour = field('measure', 'nominal', {
  title: null,
  scale: { domain: Object.values(measures), range: ['#2c5282', '#c05621'] },
  legend: topLegend,
});
const aboveNote = `A value above ${formatPercent(ratioCeiling)} is drawn at the top edge as a triangle (the tooltip has it): near a zero pre-tax cash flow the ratio runs away, and a take above 100% means the state gets more than the project makes before tax (taxes on revenue are due whatever the costs).`;

// A panel a project: its government take and AETR at 0.5-2x its commodity's long-run price.
export function projectsProgressivityChart(projects: ProjectFiscal[], width: number): Chart {
  const rows = progressivityRows(projects);
  const names = projects.filter((p) => rows.some((r) => r.name === p.name)).map((p) => p.name);
  const without = projects.filter((p) => !names.includes(p.name)).map((p) => p.name);
  const note = [
    `Each project's government take (undiscounted) and AETR (at the host's rate) on a constant real price of 0.5 to 2 times its commodity's long-run price, on base inputs: a line that rises is progressive (the state's share grows with the rent), one that falls is regressive. Missing points: at that price the pre-tax cash flow (or its present value) is not positive, so there is no rent to share. ${aboveNote}`,
  ];
  if (without.length > 0) note.push(` Not defined at any price: ${without.join(', ')}.`);
  if (names.length === 0) return { spec: null, note };
  const layout = panels(width, 150, 6);
  const layer = (mark: Spec, filter: string): Spec => ({
    transform: [{ filter }],
    mark,
    encoding: { x: factorAxis('× long-run price'), y: field('value', 'quantitative', ratioAxis(null)), color: measureColour, tooltip: ratioTooltip('project') },
  });
  return {
    spec: {
      ...spec(),
      data: { values: rows },
      columns: layout.columns,
      facet: field('name', 'nominal', { sort: names, title: null }),
      spec: {
        width: layout.width,
        height: 90,
        layer: [hundred, layer({ type: 'line', point: { size: 18 } }, 'true'), layer({ type: 'point', shape: 'triangle-up', filled: true, size: 60 }, 'datum.above')],
      },
    },
    note,
  };
}

// The regimes' base-case progressivity: a panel a measure, a line a regime.
export function regimesProgressivityChart(f: Fiscal, width: number): Chart {
  const rows = progressivityRows(f.regimes.map((r) => ({ name: r.name, progressivity: r.base.progressivity })));
  const level = isNum(f.price_level) ? ` (1× = ${formatPrice(f.price_level)} ${f.unit})` : '';
  const note = [
    `${f.project}'s government take and AETR on a constant real price of 0.5 to 2 times the long-run price of ${f.commodity}${level}, on base inputs, under each regime: a line that rises with the price is progressive. Missing points: no pre-tax rent to share at that price. ${aboveNote}`,
  ];
  if (rows.length === 0) return { spec: null, note };
  const colour = field('name', 'nominal', { title: 'regime', sort: f.regimes.map((r) => r.name), legend: topLegend });
  const layer = (mark: Spec, filter: string): Spec => ({
    transform: [{ filter }],
    mark,
    encoding: {
      x: factorAxis(`price, × the long-run level`),
      y: field('value', 'quantitative', ratioAxis(null)),
      color: colour,
      tooltip: ratioTooltip('regime'),
    },
  });
  const layout = panels(width, 360, 2);
  return {
    spec: {
      ...spec(),
      data: { values: rows },
      columns: 2,
      facet: field('measure', 'nominal', { sort: Object.values(measures), title: null }),
      spec: {
        width: layout.width,
        height: 220,
        layer: [hundred, layer({ type: 'line', point: { size: 30 } }, 'true'), layer({ type: 'point', shape: 'triangle-up', filled: true, size: 80 }, 'datum.above')],
      },
    },
    note,
  };
}

export interface SpreadRow {
  regime: string;
  measure: string;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  count: number;
}

// Take and AETR over the paths where the project starts: 5th-95th and 25th-75th percentiles and
// the median of each regime, clipped to the ceiling.
export function spreadRows(f: Fiscal): SpreadRow[] {
  const rows: SpreadRow[] = [];
  for (const r of f.regimes)
    for (const key of Object.keys(measures) as Ratio[]) {
      const s = r[key];
      if (!s || !s.count || ![s.p5, s.p25, s.p50, s.p75, s.p95].every(isNum)) continue;
      const c = (v: unknown) => clipped(v as number).value;
      rows.push({ regime: r.name, measure: measures[key], p5: c(s.p5), p25: c(s.p25), p50: c(s.p50), p75: c(s.p75), p95: c(s.p95), count: s.count });
    }
  return rows;
}

export function takeSpreadChart(f: Fiscal, width: number): Chart {
  const rows = spreadRows(f);
  const note = [
    `The same as a chart: over the paths on which ${f.project} starts (and the ratio is defined), the 5th–95th percentile (line), 25th–75th (box) and median (white tick) of its government take and AETR under each regime, computed over each path's own prices, wars and start year. Percentiles above ${formatPercent(ratioCeiling)} are drawn at the right edge.`,
  ];
  if (rows.length === 0) return { spec: null, note: [...note, ' No path starts the project under any regime.'] };
  const x = { title: null, scale: { domain: [0, ratioCeiling], clamp: true, nice: false }, axis: { format: '%' } };
  const y = field('regime', 'nominal', { sort: f.regimes.map((r) => r.name), title: null });
  const layer = (mark: unknown, encoding: Record<string, unknown>): Spec => ({ mark, encoding: { ...encoding, y } });
  const tooltip = [
    field('regime', 'nominal'),
    field('measure', 'nominal'),
    ...(['p5', 'p25', 'p50', 'p75', 'p95'] as const).map((k) => field(k, 'quantitative', { title: k === 'p50' ? 'median' : `${k.slice(1)}%`, format: '.1%' })),
    field('count', 'quantitative', { title: 'paths', format: ',' }),
  ];
  const layout = panels(width - 160, 300, 2);
  return {
    spec: {
      ...spec(),
      data: { values: rows },
      columns: 2,
      facet: field('measure', 'nominal', { sort: Object.values(measures), title: null }),
      spec: {
        width: layout.width,
        height: { step: 28 },
        layer: [
          { mark: { type: 'rule', strokeDash: [3, 3], color: '#a0aec0' }, encoding: { x: { datum: 1, type: 'quantitative' } } },
          layer({ type: 'rule', color: '#4a5568' }, { x: field('p5', 'quantitative', x), x2: { field: 'p95' } }),
          layer({ type: 'bar', size: 16, color: '#3182ce' }, { x: field('p25', 'quantitative', x), x2: { field: 'p75' }, tooltip }),
          layer({ type: 'tick', color: 'white', size: 16, thickness: 2 }, { x: field('p50', 'quantitative', x) }),
        ],
      },
    },
    note,
  };
}

export interface ScatterRow {
  regime: string;
  price: number;
  value: number;
  actual: number;
  above: boolean;
}

export function aetrScatterRows(f: Fiscal): ScatterRow[] {
  const rows: ScatterRow[] = [];
  for (const r of f.regimes)
    for (const [price, aetr] of r.aetr_by_mean_real_price) {
      const c = clipped(aetr);
      rows.push({ regime: r.name, price, value: c.value, actual: aetr, above: c.above });
    }
  return rows;
}

// Progressivity over the futures: a panel a regime, a point a sampled path where the project
// starts, its AETR against the mean real price of the commodity over the path.
export function aetrScatterChart(f: Fiscal, width: number): Chart {
  const rows = aetrScatterRows(f);
  const regimes = f.regimes.map((r) => r.name).filter((n) => rows.some((p) => p.regime === n));
  const above = rows.filter((r) => r.above).length;
  const most = Math.max(0, ...regimes.map((n) => rows.filter((r) => r.regime === n).length));
  const level = isNum(f.price_level) ? `; dashed line: the long-run price, ${formatPrice(f.price_level)}` : '';
  const note = [
    `Progressivity over the futures: each point is a sampled path on which ${f.project} starts (up to ${digitsGrouped(most)} a panel, drawn from the same sample of paths in every panel), its AETR against the mean real price of ${f.commodity} over the path (${f.unit}, year-0 money${level}). A cloud that rises to the right is progressive. Black line: a local regression (loess). `,
    above > 0 ? `${plural(above, 'point')} above ${formatPercent(ratioCeiling)} ${above === 1 ? 'is' : 'are'} drawn at the top edge as triangles: paths where the pre-tax rent is near zero.` : '',
  ];
  if (rows.length === 0) return { spec: null, note: [...note, ' No sampled path starts the project.'] };
  const layout = panels(width, 260, 3);
  const x = field('price', 'quantitative', { title: `mean real price, ${f.unit.split(' ')[0]}`, scale: { zero: false } });
  const y = field('value', 'quantitative', { title: 'AETR', scale: { domain: [0, ratioCeiling], clamp: true, nice: false }, axis: { format: '%' } });
  const layers: Spec[] = [
    {
      mark: { type: 'point', filled: true, size: 16, opacity: 0.5, color: '#2c5282' },
      encoding: {
        x,
        y,
        shape: { condition: { test: 'datum.above', value: 'triangle-up' }, value: 'circle' },
        tooltip: [field('price', 'quantitative', { title: 'mean real price', format: ',.0f' }), field('actual', 'quantitative', { title: 'AETR', format: '.1%' })],
      },
    },
    { transform: [{ loess: 'value', on: 'price' }], mark: { type: 'line', color: '#1a202c', strokeWidth: 2 }, encoding: { x, y } },
  ];
  if (isNum(f.price_level))
    layers.push({ mark: { type: 'rule', strokeDash: [5, 4], color: '#c05621' }, encoding: { x: { datum: f.price_level, type: 'quantitative' } } });
  return {
    spec: {
      ...spec(),
      data: { values: rows },
      columns: layout.columns,
      facet: field('regime', 'nominal', { sort: regimes, title: null }),
      spec: { width: layout.width, height: Math.round(layout.width * 0.7), layer: layers },
      // Each panel its own price axis: a wrapped facet's shared axis is also drawn under the
      // empty places of the last row.
      resolve: { axis: { x: 'independent' } },
    },
    note,
  };
}
