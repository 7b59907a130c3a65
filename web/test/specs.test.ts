// The charts' specs from a small hand-made document: what each draws, with numbers checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultsDocument, Stats, Summary, Sweep } from '../src/document';
import { runView } from '../src/run';
import { gainRows, gainsChart, valueChart } from '../src/charts/values';
import { paddedDomain, scatterChart, scatterPoints } from '../src/charts/scatter';
import { fundChart } from '../src/charts/fans';
import { panels } from '../src/charts/base';
import { placeLabels, sweepChart, sweepView } from '../src/charts/sweep';
import { inputsText } from '../src/charts/sensitivity';
import { identity } from './fixtures';

const stats = (mean: number, sem: number): Stats => ({ mean, sem, count: 100, p5: mean - 1e9, p25: mean, p50: mean, p75: mean, p95: mean + 1e9 });

function summary(): Summary {
  return {
    ...identity(3),
    projects: [],
    deals: [
      { name: 'no_deal', metrics: { host_value: stats(20e9, 1e8), partner_value: stats(0, 0) } },
      { name: 'v5', metrics: { host_value: stats(20.2e9, 1e8), partner_value: stats(0.3e9, 1e7) } },
    ],
    // (a, b) holds a - b: here no_deal - v5, so the gain of v5 is its negation.
    differences: [
      {
        a: 'no_deal',
        b: 'v5',
        metrics: {
          host_value: stats(-0.2e9, 0.01e9),
          partner_value: stats(-0.3e9, 0.01e9),
          host_total_value: stats(-2e9, 0.05e9),
          partner_net_value: stats(1.1e9, 0.05e9),
        },
      },
    ],
  };
}

function doc(): ResultsDocument {
  return {
    nadra_results: 1,
    generated: 'today',
    reproduce: null,
    summary: summary(),
    terms: null,
    fund_bands: [
      { deal: 'no_deal', year: 2025, p5: 0, p25: 0, p50: 0, p75: 0, p95: 0 },
      { deal: 'v5', year: 2025, p5: 0, p25: 1e9, p50: 2e9, p75: 3e9, p95: 4e9 },
    ],
    cap_curve: [],
    paths: {
      path: [0, 1, 2],
      values: {
        no_deal: { host_value: [10e9, 20e9, 30e9], partner_value: [0, 0, 0] },
        v5: { host_value: [10.5e9, 19e9, null], partner_value: [1e9, 2e9, 3e9] },
      },
    },
    analyses: {},
  };
}

test('gains over the reference are deal minus reference, with a verdict at two standard errors', () => {
  const run = runView(doc(), 1200);
  assert.ok(run);
  const rows = gainRows(run);
  assert.equal(rows.length, 4);
  const host = rows.find((r) => r.side === 'host' && r.basis === 'from the subsoil');
  assert.deepEqual([host?.gain, host?.low, host?.high, host?.verdict, host?.text], [0.2, 0.18, 0.22, 'gains', '+$ 200 m']);
  const partnerNet = rows.find((r) => r.side === 'partner' && r.basis === 'with support valued');
  assert.deepEqual([partnerNet?.gain, partnerNet?.verdict], [-1.1, 'loses']);
  // The scale is stretched near 0, so that $ 0.2 bn stands apart from 0.
  const spec = gainsChart(run).spec as { concat: { layer: { layer?: { encoding: { x: { scale?: { type: string } } } }[] }[] }[] };
  assert.equal(spec.concat.length, 2);
  assert.equal(spec.concat[0]?.layer[1]?.layer?.[1]?.encoding.x.scale?.type, 'symlog');
});

test('the value chart marks the reference and its median', () => {
  const run = runView(doc(), 1200);
  assert.ok(run);
  const spec = valueChart(run, 'host_value', 'host value').spec as { data: { values: { deal: string; role: string; p50: number }[] }; layer: unknown[] };
  assert.deepEqual(
    spec.data.values.map((r) => [r.deal, r.role, r.p50]),
    [
      ['no_deal', 'reference', 20],
      ['v5', 'deal', 20.2],
    ],
  );
  assert.equal(spec.layer.length, 5); // whisker, box, median, mean, the reference's median
});

test('the scatter pairs paths and shares one scale across its panels unless asked not to', () => {
  const d = doc();
  const run = runView(d, 1200);
  assert.ok(run && d.paths);
  const points = scatterPoints(run, d.paths);
  // Path 2 has no host value under v5: left out.
  assert.deepEqual(points, [
    { deal: 'v5', host: 0.5, partner: 1 },
    { deal: 'v5', host: -1, partner: 2 },
  ]);
  const [low, high] = paddedDomain([0.5, -1]);
  assert.ok(Math.abs(low - -1.06) < 1e-12 && Math.abs(high - 0.56) < 1e-12);
  type S = { concat: { layer: { encoding?: { x?: { scale?: { domain?: number[] } } } }[] }[] };
  const shared = scatterChart(run, d.paths, true).spec as S;
  assert.deepEqual(shared.concat[0]?.layer[3]?.encoding?.x?.scale?.domain, [low, high]);
  const own = scatterChart(run, d.paths, false).spec as S;
  assert.equal(own.concat[0]?.layer[3]?.encoding?.x?.scale?.domain, undefined);
  assert.equal(scatterChart(run, null).spec, null);
});

test('the fund chart leaves out deals whose fund is nil, and names them', () => {
  const run = runView(doc(), 1200);
  assert.ok(run);
  const chart = fundChart(run, doc().fund_bands ?? []);
  const spec = chart.spec as { data: { values: { deal: string; p50: number }[] } };
  assert.deepEqual(spec.data.values.map((r) => [r.deal, r.p50]), [['v5', 2]]);
  assert.match(String(chart.note[1]), /no_deal/);
});

test('panels fit the width they are given', () => {
  assert.deepEqual(panels(1320, 240, 4), { columns: 4, width: 240 });
  assert.deepEqual(panels(700, 240, 4), { columns: 2, width: 260 });
  assert.equal(panels(300, 240, 4).columns, 1);
});

test('a sweep draws its frontier as points, never as a line', () => {
  const sweep: Sweep = {
    nadra_version: 't', scenario: 's', scenario_sha256: 'x', seed: 1, paths: 100, start_year: 2025, horizon: 3,
    analysis: 'sweep', deal: 'v5', deals: ['v5'], baseline: 'no_deal', value: 'money',
    axes: [{ key: 'share', values: ['0.1', '0.5'] }],
    baseline_value: { host: { mean: 1e9, se: 1e7 }, partner: { mean: 0, se: 0 } },
    variants: [0.1, 0.5].map((share, i) => ({
      name: `v5[share=${share}]`, deal: 'v5', settings: { share: String(share) },
      host_gain: { mean: (1 - i) * 1e9, se: 1e7 }, partner_gain: { mean: i * 1e9, se: 1e7 },
      host_value: { mean: 2e9, se: 1e7 }, partner_value: { mean: 1e9, se: 1e7 },
      cap_probability: 0, on_frontier: true, in_zone: false, nash: false,
    })),
  };
  const chart = sweepChart(sweep, sweepView(sweep), 1200).spec as { layer: { mark: { type: string } }[]; data: { values: { tag: string; host: number }[] } };
  assert.ok(chart.layer.every((l) => l.mark.type !== 'line'));
  assert.deepEqual(chart.data.values.map((r) => [r.tag, r.host]), [['0.1', 1], ['0.5', 0]]);
});

test('labels at one point are merged, and crowded ones dropped', () => {
  const rows = [
    { tag: 'a', host: 0, partner: 0 },
    { tag: 'b', host: 0, partner: 0 },
    { tag: 'c', host: 0.01, partner: 0.01 },
    { tag: 'd', host: 1, partner: 1 },
  ];
  placeLabels(rows);
  assert.deepEqual(rows.map((r) => r.tag), ['a = b', '', '', 'd']);
});

test('an input group reads as its size and shared range', () => {
  const i = { key: 'k', value: 0.1, low: 0.05, high: 0.2 };
  assert.equal(inputsText([i]), '0.05 \u2013 0.2 (value 0.1)');
  assert.equal(inputsText([i, { ...i, key: 'j' }]), '2 inputs, each 0.05 \u2013 0.2 (value 0.1)');
  assert.equal(inputsText([i, { ...i, high: 0.3 }]), '2 inputs, each over its own range');
});
