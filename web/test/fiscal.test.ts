// The fiscal parts' pure functions: measures in words, footnotes, progressivity's trend, and the
// fiscal charts' rows and specs, from small hand-made documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fiscal, FiscalRegime, ProjectFiscal, Stats } from '../src/document';
import { Footnotes, clipped, meanInterval, measureText, noteHead, progressivityTrend, ratioCeiling, trendText } from '../src/fiscal';
import { aetrScatterChart, aetrScatterRows, progressivityRows, projectsProgressivityChart, regimesProgressivityChart, spreadRows } from '../src/charts/fiscal';
import { identity } from './fixtures';

const thin = 'not defined: the pre-tax net cash flow (R - opex - capex) is not positive, so there is no rent to share';
const above = 'above 100%: the state receives more than the pre-tax net cash flow';

function project(name: string, take: number | null, aetrs: (number | null)[]): ProjectFiscal {
  return {
    name,
    breakeven_price: null,
    government_take: take,
    aetr: null,
    investor_npv: -24.9e6,
    irr: 0.138,
    payback_year: null,
    progressivity: [0.5, 0.75, 1, 1.25, 1.5, 2].map((f, i) => ({ price_factor: f, government_take: take, aetr: aetrs[i] ?? null })),
    notes: { aetr: thin, government_take: above, payback_year: 'not reached: the cumulative cash flow stays negative' },
  };
}

test('a measure not defined is said in words, with its note; a defined one as a number', () => {
  const p = project('dobra', 9.32, []);
  assert.deepEqual(measureText(p, 'aetr'), { text: 'not defined', note: thin });
  assert.deepEqual(measureText(p, 'payback_year'), { text: 'not reached', note: 'not reached: the cumulative cash flow stays negative' });
  // A take above 100% keeps its number, and its note explains it.
  assert.deepEqual(measureText(p, 'government_take'), { text: '932%', note: above });
  assert.deepEqual(measureText(p, 'investor_npv'), { text: '−$ 24.9 m', note: null });
  assert.deepEqual(measureText(p, 'irr'), { text: '14%', note: null });
  assert.equal(measureText(p, 'breakeven_price').text, 'never economic');
  // Without a note (a summary.json of an older nadra): a dash.
  assert.deepEqual(measureText({ breakeven_price: 1, government_take: null, aetr: null }, 'aetr'), { text: '–', note: null });
  assert.equal(noteHead('none: never economic'), 'none');
  assert.equal(noteHead('no colon here'), 'no colon here');
});

test('footnotes number each text once, in the order first marked', () => {
  const notes = new Footnotes();
  assert.equal(notes.mark(thin), 1);
  assert.equal(notes.mark(above), 2);
  assert.equal(notes.mark(thin), 1);
  assert.equal(notes.mark(null), null);
  assert.deepEqual(notes.list(), [
    [1, thin],
    [2, above],
  ]);
});

test('progressivity: from 1x to 2x the price, or between the nearest defined factors', () => {
  const rising = project('a', 0.4, [null, 0.5, 0.5, 0.52, 0.55, 0.6]).progressivity;
  const t = progressivityTrend(rising, 'aetr');
  assert.deepEqual(t, { from: 0.5, to: 0.6, fromFactor: 1, toFactor: 2, verdict: 'progressive', thin: false });
  assert.equal(trendText(t), '50% → 60%: progressive');
  // Defined only from 1.25x: the trend starts there, and an end above 100% is said.
  const falling = project('b', 0.4, [null, null, null, 3.02, 1, 0.57]).progressivity;
  assert.equal(trendText(progressivityTrend(falling, 'aetr')), '302% → 57% (1.25× → 2×): regressive; above 100% where the rent is thin');
  assert.equal(progressivityTrend(project('c', 0.4, [0.5, 0.5, 0.5, 0.5, 0.5, 0.505]).progressivity, 'aetr')?.verdict, 'neutral');
  // Defined at one price only, or at none: no trend.
  assert.equal(progressivityTrend(project('d', 0.4, [null, null, null, null, null, 0.3]).progressivity, 'aetr'), null);
  assert.equal(trendText(null), 'not defined at two prices');
  assert.equal(progressivityTrend(undefined, 'aetr'), null);
});

test('ratios are clipped at the ceiling and marked', () => {
  assert.deepEqual(clipped(0.4), { value: 0.4, above: false });
  assert.deepEqual(clipped(68.71), { value: ratioCeiling, above: true });
});

test("a paired difference's 95% interval, and whether it excludes 0", () => {
  assert.deepEqual(meanInterval(10, 2), { low: 10 - 3.92, high: 10 + 3.92, clear: true });
  assert.equal(meanInterval(3, 2)?.clear, false);
  assert.equal(meanInterval(null, 2), null);
  assert.deepEqual(meanInterval(-1, null), { low: -1, high: -1, clear: true });
});

test("the projects' progressivity chart: a panel a project with a defined point, clipped points as triangles", () => {
  const projects = [project('dobra', 0.45, [null, 0.55, 0.51, 0.5, 0.48, 2.5]), project('never', null, [])];
  const rows = progressivityRows(projects);
  // dobra: take at 6 factors, AETR at 5; `never`: nothing.
  assert.equal(rows.filter((r) => r.measure === 'government take').length, 6);
  assert.equal(rows.filter((r) => r.measure === 'AETR').length, 5);
  const top = rows.find((r) => r.measure === 'AETR' && r.factor === 2);
  assert.deepEqual(top, { name: 'dobra', measure: 'AETR', factor: 2, value: ratioCeiling, actual: 2.5, above: true });
  const chart = projectsProgressivityChart(projects, 1200);
  const spec = chart.spec as { facet: { sort: string[] } };
  assert.deepEqual(spec.facet.sort, ['dobra']);
  assert.match(JSON.stringify(chart.note), /Not defined at any price: never\./);
  assert.equal(projectsProgressivityChart([project('never', null, [])], 1200).spec, null);
});

const stats = (p50: number, count: number): Stats => ({ mean: p50, sem: 0.01, count, p5: p50 - 0.1, p25: p50 - 0.05, p50, p75: p50 + 0.05, p95: p50 + 2 });

function fiscal(): Fiscal {
  const regime = (name: string, points: [number, number][], take: Stats): FiscalRegime => ({
    name,
    base: { ...project(name, 0.4, [null, 0.5, 0.5, 0.5, 0.5, 0.5]), state_revenue_npv: 1e8 },
    started_probability: 0.5,
    state_npv: stats(1e8, 100),
    investor_npv: stats(1e7, 100),
    government_take: take,
    aetr: take,
    aetr_by_mean_real_price: points,
  });
  return {
    ...identity(30),
    analysis: 'fiscal',
    project: 'dobra',
    commodity: 'lithium',
    unit: 'USD/t LCE',
    price_level: 15000,
    investor_rate: 0.16,
    host_rate: 0.08,
    regimes: [
      regime('light', [
        [9000, 0.7],
        [15000, 4],
      ], stats(0.4, 50)),
      regime('none_start', [], { mean: null, count: 0, p5: null, p25: null, p50: null, p75: null, p95: null }),
    ],
    differences: [{ a: 'none_start', b: 'light', state_npv: stats(-1e8, 100), investor_npv: stats(0, 100) }],
  };
}

test("the regimes' charts: spread rows clipped, scatter rows per sampled path, notes that count", () => {
  const f = fiscal();
  const spread = spreadRows(f);
  // Only `light` has paths; its p95 (2.4) is drawn at the ceiling.
  assert.deepEqual(
    spread.map((r) => [r.regime, r.measure, r.p50, r.p95]),
    [
      ['light', 'government take', 0.4, ratioCeiling],
      ['light', 'AETR', 0.4, ratioCeiling],
    ],
  );
  const rows = aetrScatterRows(f);
  assert.deepEqual(rows, [
    { regime: 'light', price: 9000, value: 0.7, actual: 0.7, above: false },
    { regime: 'light', price: 15000, value: ratioCeiling, actual: 4, above: true },
  ]);
  const chart = aetrScatterChart(f, 1200);
  assert.deepEqual((chart.spec as { facet: { sort: string[] } }).facet.sort, ['light']);
  const note = JSON.stringify(chart.note);
  assert.match(note, /up to 2 a panel/);
  assert.match(note, /1 point above 150% is drawn at the top edge/);
  assert.match(note, /the long-run price, 15,000/);
  assert.notEqual(regimesProgressivityChart(f, 1200).spec, null);
});
