// Reaching the cap, and where the contributions come from.
import type { CapRow } from '../document';
import { bn, isNum } from '../format';
import type { RunView } from '../run';
import { type Chart, field, plotWidth, spec, yearAxis } from './base';
import { cumulativeCapChart } from './fans';

export function capChart(run: RunView, curve: CapRow[]): Chart {
  const capped = run.deals.filter((d) => {
    const terms = run.dealTerms(d);
    return !terms || terms.cap !== null;
  });
  if (capped.length === 0) return { spec: null, note: ['No deal in this run has a cap.'] };
  const rows = curve
    .filter((r) => capped.includes(r.deal))
    .map((r) => ({ deal: r.deal, year: r.year, probability: isNum(r.cap_reached_probability) ? r.cap_reached_probability : null }));
  const highest = Math.max(0, ...rows.map((r) => r.probability ?? 0));
  const note: Chart['note'] = [
    'The probability that the fund has reached the deal\'s cap by the end of each year, one line per deal with a cap.',
  ];
  if (highest === 0) {
    // Nothing to draw but lines at 0: how close contributions come instead, where the run has
    // per-year results.
    const instead = cumulativeCapChart(run, capped);
    if (instead) return instead;
    note.push(' ', { strong: `No path reaches a cap by ${run.lastYear}` }, ': every line is at 0.');
  }
  return {
    spec: {
      ...spec(),
      data: { values: rows },
      width: plotWidth(run.width, 200),
      height: 260,
      mark: { type: 'line', strokeWidth: 2, interpolate: 'step-after' },
      encoding: {
        x: yearAxis(),
        y: field('probability', 'quantitative', { title: 'P(cap reached)', axis: { format: '.0%' }, scale: { domain: [0, 1] } }),
        color: field('deal', 'nominal', { sort: capped, title: 'deal' }),
        tooltip: [field('deal', 'nominal'), field('year', 'quantitative'), field('probability', 'quantitative', { format: '.1%' })],
      },
    },
    note,
  };
}

// Where each deal's mean contributions come from, by commodity, stacked.
export function sourcesChart(run: RunView): Chart {
  const rows: Record<string, unknown>[] = [];
  const deals: string[] = [];
  const commodities: string[] = [];
  let any = false;
  for (const deal of run.summary.deals) {
    if (!deal.by_commodity) continue;
    any = true;
    let some = false;
    for (const c of deal.by_commodity) {
      if (!(isNum(c.contributions) && c.contributions > 0)) continue;
      if (!commodities.includes(c.commodity)) commodities.push(c.commodity);
      rows.push({ deal: deal.name, commodity: c.commodity, contributions: bn(c.contributions), npv: bn(c.contributions_npv), share: c.share });
      some = true;
    }
    if (some) deals.push(deal.name);
  }
  if (!any) return { spec: null, note: ['This run has no per-asset results.'] };
  if (deals.length === 0) return { spec: null, note: ['No deal takes contributions on any path.'] };
  return {
    spec: {
      ...spec(),
      data: { values: rows },
      width: plotWidth(run.width, 200),
      height: { step: 28 },
      mark: { type: 'bar' },
      encoding: {
        y: field('deal', 'nominal', { sort: deals, title: null }),
        x: field('contributions', 'quantitative', { title: 'mean host contributions over the horizon, $ bn' }),
        color: field('commodity', 'nominal', { sort: commodities, title: 'commodity', scale: { scheme: 'tableau20' }, legend: { orient: 'top' } }),
        tooltip: [
          field('deal', 'nominal'),
          field('commodity', 'nominal'),
          field('contributions', 'quantitative', { title: 'mean contributions, $ bn', format: ',.3f' }),
          field('npv', 'quantitative', { title: "their NPV at the host's rate, $ bn", format: ',.3f' }),
          field('share', 'quantitative', { title: "share of the deal's", format: '.1%' }),
        ],
      },
    },
    note: [
      "Where each deal's contributions come from: the mean over the paths of what each commodity's projects and streams pay into the fund, undiscounted, in $ bn. A year's contributions are split over the assets in proportion to their revenue in the deal's scope times the share that applies to each (docs/model.md). Hover for the present value at the host's rate and each commodity's share.",
    ],
  };
}
