// A sweep's variants: each side's gain over the baseline (a point a variant), and the gains
// along one numeric term. The frontier is marked on its points only: a line between them would
// suggest deals in between that nobody has drafted or run.
import type { Estimate, Num, Sweep } from '../document';
import { bn, formatMoney, isNum } from '../format';
import { type Chart, type Spec, bothGainQuadrant, colours, field, plotWidth, spec, topLegend, zeroLine } from './base';

export interface Variant {
  deal: string;
  name: string;
  values: string[]; // one per axis
  hostGain: Estimate;
  partnerGain: Estimate;
  hostValue: Num;
  partnerValue: Num;
  capProbability: Num;
  frontier: boolean;
  zone: boolean;
  nash: boolean;
}

export interface SweepView {
  deals: string[];
  axes: string[];
  axisValues: string[][];
  total: boolean; // gains with in-kind support valued (MODEL.md 4.2)
  baseHost: Estimate;
  basePartner: Estimate;
  variants: Variant[];
}

function estimate(value: unknown): Estimate {
  const e = (value ?? {}) as Partial<Estimate>;
  return { mean: isNum(e.mean) ? e.mean : null, se: isNum(e.se) ? e.se : null };
}

export function sweepView(sweep: Sweep): SweepView {
  const total = sweep.value === 'total';
  const axes = sweep.axes.map((a) => a.key);
  return {
    deals: sweep.deals ?? (sweep.deal ? [sweep.deal] : []),
    axes,
    axisValues: sweep.axes.map((a) => a.values),
    total,
    baseHost: estimate(sweep.baseline_value[total ? 'host_total' : 'host']),
    basePartner: estimate(sweep.baseline_value[total ? 'partner_net' : 'partner']),
    variants: sweep.variants.map((v) => ({
      deal: v.deal,
      name: v.name,
      values: axes.map((key) => v.settings[key] ?? ''),
      hostGain: estimate(v[total ? 'host_total_gain' : 'host_gain']),
      partnerGain: estimate(v[total ? 'partner_net_gain' : 'partner_gain']),
      hostValue: estimate(v[total ? 'host_total_value' : 'host_value']).mean,
      partnerValue: estimate(v[total ? 'partner_net_value' : 'partner_value']).mean,
      capProbability: v.cap_probability,
      frontier: v.on_frontier,
      zone: v.in_zone,
      nash: v.nash ?? false,
    })),
  };
}

function twoSe(e: Estimate, sign: number): number | null {
  return isNum(e.mean) && isNum(e.se) ? bn(e.mean + sign * 2 * e.se) : bn(e.mean);
}

// A point's label: the variant's values (and deal), where labels fit; variants at one point
// share a label, and a label too close to one already placed (4% of each axis's span) is left
// to the tooltip.
export function placeLabels(rows: { tag: string; host: number; partner: number }[]): void {
  const first = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    if (row.tag === '') continue;
    const at = `${row.host},${row.partner}`;
    const earlier = first.get(at);
    if (earlier) {
      earlier.tag += ` = ${row.tag}`;
      row.tag = '';
    } else {
      first.set(at, row);
    }
  }
  const span = (values: number[]) => Math.max(0, ...values) - Math.min(0, ...values);
  const hostSpan = span(rows.map((r) => r.host));
  const partnerSpan = span(rows.map((r) => r.partner));
  const placed: [number, number][] = [];
  for (const row of rows) {
    if (row.tag === '') continue;
    const crowded = placed.some(([h, p]) => Math.abs(row.host - h) < 0.04 * hostSpan && Math.abs(row.partner - p) < 0.04 * partnerSpan);
    if (crowded) row.tag = '';
    else placed.push([row.host, row.partner]);
  }
}

export function sweepChart(sweep: Sweep, s: SweepView, width: number): Chart {
  const frontierCount = s.variants.filter((v) => v.frontier).length;
  const labelAll = s.variants.length <= 24;
  const labelFrontier = !labelAll && frontierCount <= 24;
  const rows = s.variants
    .filter((v) => isNum(v.hostGain.mean) && isNum(v.partnerGain.mean))
    .map((v) => {
      let tag = '';
      if (labelAll || (labelFrontier && v.frontier)) {
        const parts = s.deals.length > 1 || s.axes.length === 0 ? [v.deal] : [];
        tag = [...parts, ...v.values].join(', ');
      }
      if (v.nash) tag += tag === '' ? 'Nash point' : ' (Nash point)';
      return {
        variant: v.name,
        tag,
        group: v.zone ? 'in the zone' : v.frontier ? 'on the frontier' : 'other',
        frontier: v.frontier,
        nash: v.nash,
        host: bn(v.hostGain.mean) as number,
        host_se: bn(v.hostGain.se),
        host_low: twoSe(v.hostGain, -1),
        host_high: twoSe(v.hostGain, 1),
        partner: bn(v.partnerGain.mean) as number,
        partner_se: bn(v.partnerGain.se),
        partner_low: twoSe(v.partnerGain, -1),
        partner_high: twoSe(v.partnerGain, 1),
        host_value: bn(v.hostValue),
        partner_value: bn(v.partnerValue),
        cap: isNum(v.capProbability) ? v.capProbability : null,
      };
    });
  if (rows.length === 0) return { spec: null, note: ['No variant has finite gains to draw.'] };
  placeLabels(rows);
  const hostWords = s.total ? 'host total gain' : 'host gain';
  const partnerWords = s.total ? 'partner net gain' : 'partner gain';
  const x = field('host', 'quantitative', { title: `${hostWords} over ${sweep.baseline}, $ bn`, scale: { zero: true, padding: 12 } });
  const y = field('partner', 'quantitative', { title: `${partnerWords} over ${sweep.baseline}, $ bn`, scale: { zero: true, padding: 12 } });
  const colour = field('group', 'nominal', {
    title: null,
    scale: { domain: ['in the zone', 'on the frontier', 'other'], range: [colours.zone, colours.frontier, colours.other] },
    legend: topLegend,
  });
  const marked = { filter: "datum.group != 'other'" };
  const tooltip = [
    field('variant', 'nominal', { title: 'terms' }),
    field('host', 'quantitative', { title: `${hostWords}, $ bn`, format: ',.2f' }),
    field('host_se', 'quantitative', { title: '± s.e.', format: ',.2f' }),
    field('partner', 'quantitative', { title: `${partnerWords}, $ bn`, format: ',.2f' }),
    field('partner_se', 'quantitative', { title: '± s.e. ', format: ',.2f' }),
    field('host_value', 'quantitative', { title: s.total ? 'host total value, $ bn' : 'host value, $ bn', format: ',.2f' }),
    field('partner_value', 'quantitative', { title: s.total ? 'partner net value, $ bn' : 'partner value, $ bn', format: ',.2f' }),
    field('nash', 'nominal', { title: 'Nash point' }),
    field('cap', 'quantitative', { title: 'P(cap reached)', format: '.1%' }),
    field('group', 'nominal', { title: 'group' }),
  ];
  const layers: Spec[] = [
    bothGainQuadrant(0.45),
    zeroLine('x'),
    zeroLine('y'),
    {
      transform: [marked],
      mark: { type: 'rule', opacity: 0.55 },
      encoding: { x: field('host_low', 'quantitative', { title: x.title }), x2: { field: 'host_high' }, y, color: colour },
    },
    {
      transform: [marked],
      mark: { type: 'rule', opacity: 0.55 },
      encoding: { x, y: field('partner_low', 'quantitative', { title: y.title }), y2: { field: 'partner_high' }, color: colour },
    },
    // The frontier's points ringed, not joined.
    {
      transform: [{ filter: 'datum.frontier' }],
      mark: { type: 'point', filled: false, size: 120, strokeWidth: 1.5, color: colours.frontier },
      encoding: { x, y },
    },
    { mark: { type: 'point', filled: true, size: 55 }, encoding: { x, y, color: colour, opacity: { value: 0.9 }, tooltip } },
    {
      transform: [{ filter: 'datum.nash' }],
      mark: { type: 'point', filled: false, size: 300, strokeWidth: 2, color: colours.ink },
      encoding: { x, y, tooltip },
    },
    {
      transform: [{ filter: "datum.tag != ''" }],
      mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10, color: '#4a5568' },
      encoding: { x, y, text: field('tag', 'nominal') },
    },
  ];
  const side = Math.min(560, plotWidth(width, 120));
  const what = s.axes.length === 0 ? 'deal' : s.deals.length > 1 ? 'deal and value' : 'value';
  const note: Chart['note'] = [
    `Each point is one variant of ${s.deals.join(', ')}: how much more the host (across) and the partner (up) get on average than under ${sweep.baseline}, on the same paths${s.total ? ', with in-kind support valued (host total and partner net value)' : ''}. `,
    { strong: 'Green: in the zone' },
    ', where both gains are more than two standard errors above 0; blue rings: the frontier (variants no other beats for both sides; no line joins them, since the terms between them are not deals that were run); black ring: the Nash point, the variant in the zone with the largest product of the two gains. Whiskers: ±2 standard errors (zone and frontier only).',
  ];
  if (labelAll) note.push(` Labels: each variant's ${what}${s.axes.length > 1 ? 's' : ''} where they fit; the tooltip has every one.`);
  else if (labelFrontier) note.push(` Labels: the frontier variants' ${what}${s.axes.length > 1 ? 's' : ''}.`);
  return {
    spec: { ...spec(), data: { values: rows }, width: side, height: Math.round(side * 0.75), layer: layers },
    note,
  };
}

// Money terms (a million or more) in $ bn on the axis; anything else as it is.
export function axisScale(values: number[]): { divisor: number; suffix: string } {
  const moneyLike = values.every((v) => v === 0 || Math.abs(v) >= 1e6) && values.some((v) => v !== 0);
  return moneyLike ? { divisor: 1e9, suffix: ', $ bn' } : { divisor: 1, suffix: '' };
}

// The gains against the one axis's values, where they are numbers.
export function sweepAxisChart(sweep: Sweep, s: SweepView, width: number): Chart {
  if (s.axes.length !== 1 || s.deals.length !== 1)
    return { spec: null, note: ["The gains against a term's values are drawn for a sweep of one deal along one term."] };
  const key = s.axes[0] as string;
  const points: [number, Variant][] = [];
  const leftOut: string[] = [];
  for (const v of s.variants) {
    const text = v.values[0] ?? '';
    const x = text.trim() === '' ? NaN : Number(text);
    if (Number.isFinite(x) && isNum(v.hostGain.mean) && isNum(v.partnerGain.mean)) points.push([x, v]);
    else leftOut.push(`${key} = ${text} (host ${formatMoney(v.hostGain.mean)}, partner ${formatMoney(v.partnerGain.mean)})`);
  }
  if (points.length < 2) return { spec: null, note: [`Fewer than two numeric values of ${key}: no line to draw.`] };
  points.sort((p, q) => p[0] - q[0]);
  const scale = axisScale(points.map((p) => p[0]));
  const xTitle = key + scale.suffix;
  const rows: Record<string, unknown>[] = [];
  const zone: { from: number; to: number }[] = [];
  points.forEach(([value, v], i) => {
    const x = value / scale.divisor;
    for (const [party, e] of [
      ['host', v.hostGain],
      ['partner', v.partnerGain],
    ] as const) {
      const se = isNum(e.se) ? e.se : 0;
      const mean = e.mean as number;
      rows.push({ x, party, gain: bn(mean), se: bn(e.se), low: bn(mean - 2 * se), high: bn(mean + 2 * se), zone: v.zone ? 'yes' : 'no' });
    }
    if (v.zone) {
      // Halfway to the neighbours, so that neighbouring variants in the zone make one band.
      const before = i > 0 ? ((points[i - 1] as [number, Variant])[0] + value) / 2 : value;
      const after = i + 1 < points.length ? (value + (points[i + 1] as [number, Variant])[0]) / 2 : value;
      const last = zone[zone.length - 1];
      if (last && last.to === before / scale.divisor) last.to = after / scale.divisor;
      else zone.push({ from: before / scale.divisor, to: after / scale.divisor });
    }
  });
  const x = field('x', 'quantitative', { title: xTitle, scale: { nice: false, zero: false } });
  const yTitle = { title: `gain over ${sweep.baseline}, $ bn` };
  const colour = field('party', 'nominal', { title: null, scale: { domain: ['host', 'partner'], range: [colours.host, colours.partner] }, legend: topLegend });
  const layers: Spec[] = [];
  if (zone.length > 0)
    layers.push({
      data: { values: zone },
      mark: { type: 'rect', color: colours.quadrant, opacity: 0.6 },
      encoding: { x: field('from', 'quantitative', { title: xTitle }), x2: { field: 'to' } },
    });
  layers.push(zeroLine('y'));
  layers.push({ mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: field('low', 'quantitative', yTitle), y2: { field: 'high' }, color: colour } });
  layers.push({
    mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 30 } },
    encoding: {
      x,
      y: field('gain', 'quantitative', yTitle),
      color: colour,
      tooltip: [
        field('x', 'quantitative', { title: xTitle, format: ',.4~g' }),
        field('party', 'nominal'),
        field('gain', 'quantitative', { title: 'gain, $ bn', format: ',.2f' }),
        field('se', 'quantitative', { title: '± s.e., $ bn', format: ',.2f' }),
        field('zone', 'nominal', { title: 'in the zone' }),
      ],
    },
  });
  const side = Math.min(520, plotWidth(width, 120));
  const note: Chart['note'] = [
    `Each side's mean gain over ${sweep.baseline} as ${key} varies; bands: ±2 standard errors. `,
    { strong: 'Green bands: the values in the zone' },
    ', where both sides gain.',
  ];
  if (leftOut.length > 0) note.push(` Left out, not being numbers: ${leftOut.join('; ')}.`);
  return { spec: { ...spec(), data: { values: rows }, width: side, height: Math.round(side * 0.8), layer: layers }, note };
}
