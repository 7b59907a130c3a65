// What each deal is worth (levels, as box plots) and what each side gains over the reference
// (paired gains, where a small difference shows).
import { bn, formatMoney, isNum } from '../format';
import { type RunView, pairWith } from '../run';
import { type Chart, type Spec, colours, field, panels, plotWidth, spec, topLegend, zeroLine } from './base';

export function valueChart(run: RunView, metric: string, title: string): Chart {
  const rows: Record<string, unknown>[] = [];
  let referenceMedian: number | null = null;
  for (const deal of run.summary.deals) {
    const stats = deal.metrics[metric];
    if (!stats || (stats.count ?? 0) === 0) continue;
    const row: Record<string, unknown> = { deal: deal.name, role: deal.name === run.reference ? 'reference' : 'deal' };
    for (const key of ['mean', 'p5', 'p25', 'p50', 'p75', 'p95'] as const) row[key] = bn(stats[key]);
    if (deal.name === run.reference) referenceMedian = bn(stats.p50);
    rows.push(row);
  }
  const x = { title: `${title}, $ bn` };
  const y = field('deal', 'nominal', { sort: run.deals, title: null });
  const colour = field('role', 'nominal', { legend: null, scale: { domain: ['reference', 'deal'], range: ['#a0aec0', '#3182ce'] } });
  const layer = (mark: unknown, encoding: Record<string, unknown>): Spec => ({ mark, encoding: { ...encoding, y } });
  const tooltip = [
    field('deal', 'nominal'),
    ...(
      [
        ['p5', '5%'],
        ['p25', '25%'],
        ['p50', 'median'],
        ['mean', 'mean'],
        ['p75', '75%'],
        ['p95', '95%'],
      ] as const
    ).map(([key, label]) => field(key, 'quantitative', { title: `${label}, $ bn`, format: ',.1f' })),
  ];
  const layers: Spec[] = [
    layer({ type: 'rule', color: '#4a5568' }, { x: field('p5', 'quantitative', x), x2: { field: 'p95' } }),
    layer({ type: 'bar', size: 16 }, { x: field('p25', 'quantitative', x), x2: { field: 'p75' }, color: colour, tooltip }),
    layer({ type: 'tick', color: 'white', size: 16, thickness: 2 }, { x: field('p50', 'quantitative', x) }),
    layer({ type: 'point', shape: 'diamond', filled: true, color: colours.ink, size: 50 }, { x: field('mean', 'quantitative', x) }),
  ];
  if (referenceMedian !== null) {
    layers.push({
      data: { values: [{ x: referenceMedian }] },
      mark: { type: 'rule', strokeDash: [5, 4], color: colours.partner },
      encoding: { x: field('x', 'quantitative', x) },
    });
  }
  return {
    spec: { ...spec(), data: { values: rows }, width: plotWidth(run.width, 200), height: { step: 30 }, layer: layers },
    note: [
      `Box: 25–75th percentile; whiskers: 5–95th; white tick: median; diamond: mean; grey: ${run.reference} (the reference); dashed line: ${run.reference}'s median. The spread is that of the futures, which every deal shares: the gains over ${run.reference} at the top of the report, path by path, show what the box plots hide.`,
    ],
  };
}

export interface GainRow {
  deal: string;
  side: 'host' | 'partner';
  basis: string;
  gain: number | null; // $ bn
  low: number | null; // mean - 2 s.e., $ bn
  high: number | null;
  text: string; // the mean in words, "+$ 264 m"
  verdict: 'gains' | 'loses' | 'unclear';
}

const bases = [
  ['host', 'host_value', 'from the subsoil'],
  ['host', 'host_total_value', 'with support valued'],
  ['partner', 'partner_value', 'from the subsoil'],
  ['partner', 'partner_net_value', 'with support valued'],
] as const;

// Each deal's mean gain over the reference, each side on both bases, with ±2 standard errors.
export function gainRows(run: RunView): GainRow[] {
  const rows: GainRow[] = [];
  for (const deal of run.deals) {
    if (deal === run.reference) continue;
    const pair = pairWith(run, deal);
    if (!pair) continue;
    for (const [side, metric, basis] of bases) {
      const stats = pair.difference.metrics[metric];
      if (!stats || !isNum(stats.mean)) continue;
      const mean = pair.negate ? -stats.mean : stats.mean;
      const se = isNum(stats.sem) ? stats.sem : 0;
      rows.push({
        deal,
        side,
        basis,
        gain: bn(mean),
        low: bn(mean - 2 * se),
        high: bn(mean + 2 * se),
        text: (mean > 0 ? '+' : '') + formatMoney(mean),
        verdict: Math.abs(mean) <= 2 * se ? 'unclear' : mean > 0 ? 'gains' : 'loses',
      });
    }
  }
  return rows;
}

// The gains as dots with ±2 s.e. whiskers, a panel a side, on a scale stretched near 0
// (symmetric log, linear within ±$ 0.1 bn) so that a gain of $ 0.2 bn stands apart from 0 beside
// one of $ 20 bn; each dot is labelled with its amount.
export function gainsChart(run: RunView): Chart {
  const rows = gainRows(run);
  if (rows.length === 0) return { spec: null, note: ["This run's summary has no paired gains."] };
  const deals = run.deals.filter((d) => d !== run.reference);
  // Two panels side by side where they fit, each with its deals' names along y.
  const layout = panels(run.width - 2 * 170, 380, 2);
  const x = field('gain', 'quantitative', {
    title: `gain over ${run.reference}, $ bn (stretched near 0)`,
    scale: { type: 'symlog', constant: 0.1 },
    axis: { values: [-100, -30, -10, -3, -1, -0.3, -0.1, 0, 0.1, 0.3, 1, 3, 10, 30, 100], format: '~g', grid: true },
  });
  const y = field('deal', 'nominal', { sort: deals, title: null });
  const yOffset = field('basis', 'nominal', { sort: ['from the subsoil', 'with support valued'] });
  const colour = field('basis', 'nominal', {
    title: null,
    scale: { domain: ['from the subsoil', 'with support valued'], range: [colours.host, colours.partner] },
    legend: topLegend,
  });
  const tooltip = [
    field('deal', 'nominal'),
    field('side', 'nominal'),
    field('basis', 'nominal'),
    field('text', 'nominal', { title: 'mean gain' }),
    field('low', 'quantitative', { title: '−2 s.e., $ bn', format: ',.3f' }),
    field('high', 'quantitative', { title: '+2 s.e., $ bn', format: ',.3f' }),
    field('verdict', 'nominal'),
  ];
  const view = (side: 'host' | 'partner'): Spec => ({
    title: side === 'host' ? 'The host gains' : 'The partner gains',
    width: layout.width,
    height: { step: 16 },
    layer: [
      zeroLine('x'),
      {
        data: { name: 'gains' },
        transform: [{ filter: { field: 'side', equal: side } }],
        layer: [
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, yOffset, x: field('low', 'quantitative', { title: x.title }), x2: { field: 'high' }, color: colour } },
          { mark: { type: 'point', filled: true, size: 45, opacity: 1 }, encoding: { y, yOffset, x, color: colour, tooltip } },
          { mark: { type: 'text', align: 'left', dx: 7, fontSize: 10, color: '#4a5568' }, encoding: { y, yOffset, x, text: field('text', 'nominal') } },
        ],
      },
    ],
  });
  return {
    spec: {
      ...spec(),
      datasets: { gains: rows },
      columns: layout.columns,
      concat: [view('host'), view('partner')],
      resolve: { scale: { x: 'independent' } },
    },
    note: [
      `Each side's mean gain over ${run.reference}, path by path, on both bases: dots at the mean, whiskers ±2 standard errors, the amount beside each dot. The scale is stretched near 0 (linear within ±$ 0.1 bn, logarithmic beyond) so that a gain of a few hundred million shows beside one of tens of billions; the gains are also in the table above.`,
    ],
  };
}
