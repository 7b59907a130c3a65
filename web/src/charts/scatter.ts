// Paired differences: each sampled path's gain for the host (across) and the partner (up), a
// panel a deal. One scale across the panels by default, so that panels compare at a glance;
// `shared: false` gives each panel its own (the report has a switch).
import type { PathSample } from '../document';
import { bn, digitsGrouped, formatPercent, isNum } from '../format';
import type { RunView } from '../run';
import { type Chart, type Spec, bothGainQuadrant, colours, field, panels, spec, zeroLine } from './base';

export interface ScatterPoint {
  deal: string;
  host: number;
  partner: number;
}

// Each deal's gains over the reference on each sampled path where both are defined, in $ bn.
export function scatterPoints(run: RunView, paths: PathSample): ScatterPoint[] {
  const reference = paths.values[run.reference];
  const points: ScatterPoint[] = [];
  if (!reference) return points;
  for (const deal of run.deals) {
    const values = paths.values[deal];
    if (deal === run.reference || !values) continue;
    values.host_value.forEach((host, i) => {
      const partner = values.partner_value[i];
      const h0 = reference.host_value[i];
      const p0 = reference.partner_value[i];
      if (!isNum(host) || !isNum(partner) || !isNum(h0) || !isNum(p0)) return;
      const h = bn(host - h0);
      const p = bn(partner - p0);
      if (h !== null && p !== null) points.push({ deal, host: h, partner: p });
    });
  }
  return points;
}

// A domain that holds every value and 0, padded by 4% each side.
export function paddedDomain(values: number[]): [number, number] {
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const pad = (high - low) * 0.04 || 0.1;
  return [low - pad, high + pad];
}

export function scatterChart(run: RunView, paths: PathSample | null, shared = true): Chart {
  if (run.deals.length < 2) return { spec: null, note: ['Only one deal: nothing to compare.'] };
  if (!paths) {
    return {
      spec: null,
      note: [
        { strong: 'Left out: this run directory has no paths.csv.' },
        ' The scatter needs every path\'s values: run with ',
        { code: '--per-path' },
        ', or make the report with ',
        { code: 'nadra run --report FILE' },
        ', which always has them.',
      ],
    };
  }
  const points = scatterPoints(run, paths);
  const deals = run.deals.filter((d) => d !== run.reference && points.some((p) => p.deal === d));
  if (deals.length === 0) return { spec: null, note: ['The path sample holds none of the deals\' values.'] };
  const hostDomain = paddedDomain(points.map((p) => p.host));
  const partnerDomain = paddedDomain(points.map((p) => p.partner));
  const scale = (domain: [number, number]) => (shared ? { domain, nice: false } : {});
  const layout = panels(run.width, 220, 4);
  let shown = 0;
  const views: Spec[] = deals.map((deal) => {
    const own = points.filter((p) => p.deal === deal);
    shown = Math.max(shown, own.length);
    const both = own.filter((p) => p.host > 0 && p.partner > 0).length;
    return {
      title: { text: deal, subtitle: `both gain on ${formatPercent(both / own.length)} of paths` },
      width: layout.width,
      height: Math.round(layout.width * 0.8),
      layer: [
        bothGainQuadrant(0.7),
        zeroLine('x'),
        zeroLine('y'),
        {
          data: { name: 'paths' },
          transform: [{ filter: { field: 'deal', equal: deal } }],
          mark: { type: 'point', filled: true, size: 14, opacity: 0.45 },
          encoding: {
            x: field('host', 'quantitative', { title: 'host gain, $ bn', scale: scale(hostDomain) }),
            y: field('partner', 'quantitative', { title: 'partner gain, $ bn', scale: scale(partnerDomain) }),
            color: { condition: { test: 'datum.host > 0 && datum.partner > 0', value: colours.good }, value: '#718096' },
            tooltip: [
              field('host', 'quantitative', { title: 'host gain, $ bn', format: ',.2f' }),
              field('partner', 'quantitative', { title: 'partner gain, $ bn', format: ',.2f' }),
            ],
          },
        },
      ],
    };
  });
  return {
    spec: { ...spec(), datasets: { paths: points }, columns: layout.columns, concat: views },
    note: [
      `Each point is one sampled future (${digitsGrouped(shown)} of ${digitsGrouped(run.summary.paths)} paths): how much more the host (across) and the partner (up) get under the deal than under ${run.reference} on the same path. `,
      { strong: 'Green quadrant: both gain' },
      `, where a deal is a deal. ${shared ? 'Every panel has the same scale, so that the deals compare at a glance.' : 'Each panel has its own scale.'}`,
    ],
  };
}
