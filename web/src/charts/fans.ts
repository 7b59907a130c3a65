// Fans over the years: the fund's balance, contributions and distributions, and cumulative
// contributions against the cap. Median (line), 25-75th percentile (dark band), 5-95th
// percentile (light band).
import type { DealSummary, FundBand } from '../document';
import { bn, isNum } from '../format';
import type { RunView } from '../run';
import { type Chart, type Spec, colours, field, panels, spec, unique, yearAxis } from './base';

type Row = Record<string, unknown>;

export const fanNote =
  ' Median (line), 25–75th percentile (dark band) and 5–95th percentile (light band) over the paths; each panel has its own scale.';

export function fundChart(run: RunView, bands: FundBand[]): Chart {
  const withFund = unique(
    bands.filter((b) => isNum(b.p50) && ((b.p95 ?? 0) !== 0 || (b.p5 ?? 0) !== 0)).map((b) => b.deal),
  );
  const order = run.deals.filter((d) => withFund.includes(d));
  const without = run.deals.filter((d) => !withFund.includes(d));
  const note = [
    "Median (line), 25–75th percentile (dark band) and 5–95th percentile (light band) of the fund's balance at the end of each year, in $ bn of the year. Each panel has its own scale.",
  ];
  if (without.length > 0)
    note.push(` Balance nil on every path (no fund, or all paid out in the year it comes in): ${without.join(', ')}.`);
  if (order.length === 0) return { spec: null, note };
  const rows = bands
    .filter((b) => order.includes(b.deal) && isNum(b.p50))
    .map((b) => ({ deal: b.deal, year: b.year, p5: bn(b.p5), p25: bn(b.p25), p50: bn(b.p50), p75: bn(b.p75), p95: bn(b.p95) }));
  const y = { title: 'fund balance, $ bn' };
  const band = (low: string, high: string, opacity: number): Spec => ({
    mark: { type: 'area', color: colours.host, opacity },
    encoding: { x: yearAxis(), y: field(low, 'quantitative', y), y2: { field: high } },
  });
  const median: Spec = {
    mark: { type: 'line', color: '#1a365d', strokeWidth: 2 },
    encoding: {
      x: yearAxis(),
      y: field('p50', 'quantitative', y),
      tooltip: [
        field('year', 'quantitative', { title: 'year' }),
        field('p5', 'quantitative', { title: '5%, $ bn', format: ',.1f' }),
        field('p50', 'quantitative', { title: 'median, $ bn', format: ',.1f' }),
        field('p95', 'quantitative', { title: '95%, $ bn', format: ',.1f' }),
      ],
    },
  };
  const layout = panels(run.width, 240, 4);
  return {
    spec: {
      ...spec(),
      data: { values: rows },
      columns: layout.columns,
      facet: field('deal', 'nominal', { sort: order, title: null }),
      spec: { width: layout.width, height: 150, layer: [band('p5', 'p95', 0.18), band('p25', 'p75', 0.35), median] },
      resolve: { scale: { y: 'independent' } },
    },
    note,
  };
}

// A deal's by_year series as rows {deal, series (its label), year, p5..p95 in $ bn}, and
// whether some value is not 0; none where the run has no such series.
export function yearRows(deal: DealSummary, series: string, label: string): { rows: Row[]; nonzero: boolean } {
  const byYear = deal.by_year;
  const stats = byYear?.series[series];
  if (!byYear || !stats) return { rows: [], nonzero: false };
  let nonzero = false;
  const rows = byYear.years.map((year, t) => {
    const row: Row = { deal: deal.name, series: label, year };
    for (const key of ['p5', 'p25', 'p50', 'p75', 'p95'] as const) {
      const v = stats[key][t];
      if (isNum(v) && v !== 0) nonzero = true;
      row[key] = bn(v);
    }
    return row;
  });
  return { rows, nonzero };
}

// Fans of the rows' series, a colour a series. `grid`: a panel a deal and series, a row a deal;
// otherwise a panel a deal with every series in it.
export function fanSpec(
  rows: Row[],
  deals: string[],
  series: string[],
  seriesColours: string[],
  yTitle: string,
  grid: boolean,
  width: number,
): Spec {
  const y = { title: yTitle, axis: { format: ',.2~f' } };
  const legend = grid ? null : { orient: 'top', labelLimit: 400, symbolOpacity: 1, symbolType: 'square' };
  const colour = field('series', 'nominal', { title: null, scale: { domain: series, range: seriesColours }, legend });
  const band = (low: string, high: string, opacity: number): Spec => ({
    mark: { type: 'area', opacity },
    encoding: { x: yearAxis(), y: field(low, 'quantitative', y), y2: { field: high }, color: colour },
  });
  const median: Spec = {
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: yearAxis(),
      y: field('p50', 'quantitative', y),
      color: colour,
      tooltip: [
        field('series', 'nominal', { title: 'series' }),
        field('year', 'quantitative', { title: 'year' }),
        field('p5', 'quantitative', { title: '5%, $ bn', format: ',.2f' }),
        field('p50', 'quantitative', { title: 'median, $ bn', format: ',.2f' }),
        field('p95', 'quantitative', { title: '95%, $ bn', format: ',.2f' }),
      ],
    },
  };
  const layers = [band('p5', 'p95', 0.15), band('p25', 'p75', 0.3), median];
  if (grid) {
    // A wrapped facet over "deal: series" (a row and a column facet with independent scales
    // put the panels' data out of place).
    const layout = panels(width, 300, series.length);
    const names = deals.flatMap((d) => series.map((s) => `${d}: ${s}`));
    return {
      ...spec(),
      data: { values: rows.map((r) => ({ ...r, panel: `${String(r.deal)}: ${String(r.series)}` })) },
      columns: layout.columns,
      facet: field('panel', 'nominal', { sort: names, title: null }),
      spec: { width: layout.width, height: 110, layer: layers },
      resolve: { scale: { y: 'independent' } },
    };
  }
  const layout = panels(width, 240, 4);
  return {
    ...spec(),
    data: { values: rows },
    columns: layout.columns,
    facet: field('deal', 'nominal', { sort: deals, title: null }),
    spec: { width: layout.width, height: 150, layer: layers },
    resolve: { scale: { y: 'independent' } },
  };
}

export function yearsChart(run: RunView): Chart {
  const shown: string[] = [];
  const quiet: string[] = [];
  const rows: Row[] = [];
  const series: [string, string][] = [
    ['contributions', 'host contributions'],
    ['distributions_to_host', 'distributions to the host'],
    ['distributions_to_partner', 'distributions to the partner'],
  ];
  let any = false;
  for (const deal of run.summary.deals) {
    if (!deal.by_year) continue;
    any = true;
    const parts = series.map(([name, label]) => yearRows(deal, name, label));
    // A deal's three panels together (one of them all zeros: a line at 0), or none.
    if (parts.some((p) => p.nonzero)) {
      shown.push(deal.name);
      for (const p of parts) rows.push(...p.rows);
    } else {
      quiet.push(deal.name);
    }
  }
  if (!any) return { spec: null, note: ['This run has no per-year results.'] };
  const note = [
    'What the host pays into the fund each year (left) and what the fund pays out to each party (middle and right), a row a deal, in $ bn of the year.' +
      fanNote,
  ];
  if (quiet.length > 0) note.push(` Nothing paid in or out on any path: ${quiet.join(', ')}.`);
  if (shown.length === 0) return { spec: null, note };
  return {
    spec: fanSpec(rows, shown, series.map((s) => s[1]), [colours.partner, colours.zone, colours.host], '$ bn a year', true, run.width),
    note,
  };
}

// Cumulative contributions as a fan against the cap in force (its median), a panel a capped
// deal: in place of the probability of reaching it when no path does.
export function cumulativeCapChart(run: RunView, capped: string[]): Chart | null {
  const rows: Row[] = [];
  const shown: string[] = [];
  for (const deal of run.summary.deals) {
    if (!capped.includes(deal.name)) continue;
    const cumulative = yearRows(deal, 'cumulative_contributions', 'cumulative contributions');
    if (!cumulative.nonzero) continue;
    rows.push(...cumulative.rows);
    const cap = yearRows(deal, 'cap', 'the cap');
    // The cap as a line only: its bands (the cap grows with support on some paths) left out.
    if (cap.nonzero) rows.push(...cap.rows.map((r) => ({ ...r, p5: r.p50, p25: r.p50, p75: r.p50, p95: r.p50 })));
    shown.push(deal.name);
  }
  if (shown.length === 0) return null;
  return {
    spec: fanSpec(rows, shown, ['cumulative contributions', 'the cap'], [colours.partner, colours.ink], 'cumulative contributions, $ bn', false, run.width),
    note: [
      { strong: `No path reaches a cap by ${run.lastYear}.` },
      " Instead: how close each capped deal's cumulative contributions come to its cap (the cap in force, its median over the paths, as a line), in $ bn of each year." +
        fanNote,
    ],
  };
}
