// Judgement as well as chance (MODEL.md 4.3): the two spreads, the inputs that move a deal's
// gains, and how their order compares with a tornado's, from a small hand-made summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InputCorrelationRow, ResultsDocument, Stats, Summary } from '../src/document';
import { runView } from '../src/run';
import { KNOWN, SAMPLED, chanceLevel, correlationChart, correlationRows, orderAgreement, spreadRows } from '../src/charts/judgement';
import { identity } from './fixtures';

const stats = (mean: number, sd: number, share: number): Stats => ({ mean, sd, sem: sd / 10, count: 100, p5: 0, p25: 0, p50: 0, p75: 0, p95: 0, between_sets_share: share });

const row = (deal: string, metric: string, input: string, spearman: number | null): InputCorrelationRow => ({
  deal,
  metric,
  input,
  spearman,
  low: spearman === null ? null : spearman - 0.1,
  high: spearman === null ? null : spearman + 0.1,
});

function summary(): Summary {
  return {
    ...identity(3),
    projects: [],
    deals: [
      { name: 'no_deal', metrics: { host_value: stats(20e9, 4e9, 0.36), partner_value: stats(0, 0, 0) } },
      { name: 'v5', metrics: { host_value: stats(20e9, 5e9, 0.19), partner_value: stats(3e8, 2e8, 0.75) } },
    ],
    differences: [],
    sample_inputs: 101,
    sampled_inputs: ['world.a', 'world.b', 'world.c'],
    input_correlations: {
      reference: 'no_deal',
      bootstrap: 500,
      confidence: 0.9,
      rows: [
        row('v5', 'host_gain', 'world.a', 0.2),
        row('v5', 'partner_gain', 'world.a', -0.1),
        row('v5', 'host_gain', 'world.b', -0.7),
        row('v5', 'partner_gain', 'world.b', 0.05),
        row('v5', 'host_gain', 'world.c', null),
        row('v5', 'partner_gain', 'world.c', 0.4),
      ],
    },
  };
}

function doc(): ResultsDocument {
  return { nadra_results: 1, generated: 't', reproduce: null, summary: summary(), terms: null, fund_bands: [], cap_curve: [], paths: null, analyses: {} };
}

test('the spread left with the inputs known is sd x sqrt(1 - between-set share)', () => {
  const run = runView(doc(), 1200);
  assert.ok(run);
  const rows = spreadRows(run);
  assert.equal(rows.length, 8);
  const v5host = rows.filter((r) => r.deal === 'v5' && r.side === 'host value');
  assert.deepEqual(
    v5host.map((r) => r.spread),
    [SAMPLED, KNOWN],
  );
  assert.equal(v5host[0]?.sd, 5);
  assert.ok(Math.abs((v5host[1]?.sd ?? 0) - 5 * Math.sqrt(0.81)) < 1e-3);
  const partner = rows.find((r) => r.deal === 'v5' && r.side === 'partner value' && r.spread === KNOWN);
  assert.ok(Math.abs((partner?.sd ?? 0) - 0.2 * 0.5) < 1e-3);
});

test('the inputs most correlated with either gain come first, both gains each, without the undefined', () => {
  const rows = correlationRows(summary().input_correlations?.rows ?? [], 'v5', 2);
  assert.deepEqual(
    rows.map((r) => [r.key, r.metric, r.rho]),
    [
      ['world.b', 'host gain', -0.7],
      ['world.b', 'partner gain', 0.05],
      ['world.c', 'partner gain', 0.4],
    ],
  );
  assert.equal(correlationRows(summary().input_correlations?.rows ?? [], 'no_deal', 5).length, 0);
});

test('within chance is twice the sd of rho under no effect', () => {
  assert.ok(Math.abs(chanceLevel(101) - 0.2) < 1e-12);
  assert.ok(Math.abs(chanceLevel(201) - 2 / Math.sqrt(200)) < 1e-12);
});

test('the correlation chart draws the chance band at the level of the sets', () => {
  const run = runView(doc(), 1200);
  assert.ok(run);
  const chart = correlationChart(run, 'v5');
  assert.ok(chart.spec);
  const text = JSON.stringify(chart.spec);
  assert.ok(text.includes('"low":-0.2'), text.slice(0, 400));
  assert.equal(correlationChart(run, 'no_deal').spec, null);
});

test("the tornado's widest factors are compared with the largest correlations, groups by any key", () => {
  const rows = summary().input_correlations?.rows ?? [];
  // Top host-gain inputs: b, a. Tornado factors: [b], [x, a] (a group holding a), [c].
  assert.deepEqual(orderAgreement(rows, 'v5', 'host_gain', [['world.b'], ['world.x', 'world.a'], ['world.c']], 2), { shared: 2, compared: 2 });
  assert.deepEqual(orderAgreement(rows, 'v5', 'host_gain', [['world.c'], ['world.x']], 2), { shared: 0, compared: 2 });
});
