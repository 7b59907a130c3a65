// The fiscal parts of the report (MODEL.md 5, v1.3): the projects' measures (a run's projects
// table), and `nadra fiscal`'s regimes side by side: on the base case, over the futures, and the
// paired differences from the first regime. Where a measure is not defined, a footnote says why.
import type { Fiscal, FiscalRegime, Identity, ProjectFiscal, Stats } from '../document';
import { DASH, MINUS, digitsGrouped, formatMoney, formatPercent, formatPrice, isNum } from '../format';
import { Footnotes, type MeasureKey, factorText, meanInterval, verdictText, measureText, progressivityTrend, trendText } from '../fiscal';
import { el, note, small, table } from '../html';
import type { RunView } from '../run';

function cell(text: string, mark: number | null, className?: string): HTMLElement {
  return el('td', className ? { class: className } : {}, text, mark === null ? null : el('sup', {}, String(mark)));
}

function measureCell(m: Parameters<typeof measureText>[0], key: MeasureKey, notes: Footnotes): HTMLElement {
  const t = measureText(m, key);
  return cell(t.text, notes.mark(t.note), isNum(m[key]) ? undefined : 'words');
}

export function footnoteList(notes: Footnotes): HTMLElement | null {
  const list = notes.list();
  if (list.length === 0) return null;
  return el('ol', { class: 'footnotes' }, list.map(([n, text]) => el('li', { value: String(n) }, text)));
}

const columns: [MeasureKey, string][] = [
  ['investor_npv', "investor's NPV"],
  ['irr', 'IRR after tax'],
  ['pretax_irr', 'IRR before tax'],
  ['payback_year', 'payback year'],
  ['effective_royalty_rate', 'effective royalty rate'],
  ['metr', 'METR'],
  ['government_take', 'government take'],
  ['aetr', 'AETR'],
];

function trendCell(t: ReturnType<typeof progressivityTrend>): HTMLElement {
  if (!t) return el('td', { class: 'words' }, trendText(t));
  const factors = t.fromFactor === 1 && t.toFactor === 2 ? '' : `${factorText(t.fromFactor)} → ${factorText(t.toFactor)}: `;
  return el('td', { class: 'trend' }, `${formatPercent(t.from)} → ${formatPercent(t.to)}`, el('br'), small(factors + verdictText(t)));
}

// A run's projects: every fiscal measure on the base case, a footnote where one is not defined.
export function projectsTable(run: RunView): HTMLElement[] {
  const notes = new Footnotes();
  const units = new Map<string, string>();
  const rows = run.summary.projects.map((p: ProjectFiscal) => {
    const t = run.terms?.projects?.find((q) => q.name === p.name);
    if (t?.commodity && t.unit) units.set(t.commodity, t.unit);
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, p.name),
      el('td', { class: 'text' }, t?.commodity ?? DASH, t?.region ? el('br') : null, t?.region ? small(t.region) : null),
      measureCell(p, 'breakeven_price', notes),
      columns.map(([key]) => measureCell(p, key, notes)),
      p.progressivity ? trendCell(progressivityTrend(p.progressivity, 'aetr')) : el('td', {}, DASH),
    );
  });
  const head = [
    'project',
    el('th', { class: 'text' }, 'commodity, region'),
    'breakeven price',
    ...columns.map(([, label]) => label),
    'AETR at 1× → 2× price',
  ];
  const unitNote =
    units.size > 0 ? note([`Breakeven prices in each commodity's unit: ${[...units].map(([c, u]) => `${c}, ${u}`).join('; ')}.`]) : null;
  return [table('numbers projects', head, rows), footnoteList(notes), unitNote].filter((e): e is HTMLElement => e !== null);
}

const rate = (r: number | null) => (isNum(r) ? ` at ${formatPercent(r)}` : '');

// The base case, a column a regime.
function baseTable(f: Fiscal, notes: Footnotes): HTMLElement {
  const rows: [string, (r: FiscalRegime) => HTMLElement][] = [
    [`what the state gets: state revenue, NPV${rate(f.host_rate)}`, (r) => measureCell(r.base, 'state_revenue_npv', notes)],
    [`what the investor keeps: NPV${rate(f.investor_rate)}`, (r) => measureCell(r.base, 'investor_npv', notes)],
    ['government take (undiscounted)', (r) => measureCell(r.base, 'government_take', notes)],
    [`AETR (discounted${rate(f.host_rate)})`, (r) => measureCell(r.base, 'aetr', notes)],
    ['METR (at the breakeven price)', (r) => measureCell(r.base, 'metr', notes)],
    ['effective royalty rate', (r) => measureCell(r.base, 'effective_royalty_rate', notes)],
    ["investor's IRR after tax", (r) => measureCell(r.base, 'irr', notes)],
    ['IRR before tax', (r) => measureCell(r.base, 'pretax_irr', notes)],
    ['payback year', (r) => measureCell(r.base, 'payback_year', notes)],
    [`breakeven price (${f.unit})`, (r) => measureCell(r.base, 'breakeven_price', notes)],
    ['AETR at 1× → 2× the long-run price', (r) => trendCell(progressivityTrend(r.base.progressivity, 'aetr'))],
  ];
  const head = [el('th'), ...f.regimes.map((r, i) => el('th', { scope: 'col' }, r.name, i === 0 ? el('br') : null, i === 0 ? small('(reference)') : null))];
  return table(
    'numbers fiscal-base',
    head,
    rows.map(([label, value]) => el('tr', {}, el('th', { scope: 'row', class: 'label' }, label), f.regimes.map(value))),
  );
}

const spreadText = (s: Stats, format: (v: number | null) => string) => (s.count ? `${format(s.p5)} to ${format(s.p95)}` : '');

function statsCell(s: Stats, format: (v: number | null) => string, centre: 'mean' | 'p50'): HTMLElement {
  if (!s.count) return el('td', { class: 'words' }, 'no path');
  return el('td', {}, format(s[centre]), el('br'), small(`5–95%: ${spreadText(s, format)}`));
}

// A paired difference a - reference: its mean, 95% interval, and a word.
function differenceCell(s: Stats | undefined, more: string, less: string): HTMLElement {
  if (!s) return el('td', { class: 'words' }, '(reference)');
  const i = meanInterval(s.mean, s.sem ?? null);
  if (!i) return el('td', {}, DASH);
  const word = !i.clear ? 'unclear' : (s.mean ?? 0) > 0 ? more : less;
  return el(
    'td',
    { class: !i.clear ? 'unclear' : (s.mean ?? 0) > 0 ? 'gains' : 'loses' },
    formatMoney(s.mean),
    el('br'),
    small(`95% interval ${formatMoney(i.low)} to ${formatMoney(i.high)}`),
    el('br'),
    small(`path by path, 5–95%: ${spreadText(s, formatMoney)}`),
    el('br'),
    el('b', {}, word),
  );
}

// Of the paths where the project starts, the share on which the AETR is not defined.
function undefinedShare(r: FiscalRegime, paths: number): string | null {
  const started = Math.round((r.started_probability ?? 0) * paths);
  const count = r.aetr.count ?? 0;
  if (started === 0 || count >= started) return null;
  return `on ${formatPercent((started - count) / started)} of the paths where it starts (no pre-tax rent in present value)`;
}

function futuresTable(f: Fiscal): HTMLElement {
  const reference = f.regimes[0]?.name ?? '';
  const rows = f.regimes.map((r, i) => {
    const d = i === 0 ? undefined : f.differences.find((x) => x.a === r.name && x.b === reference);
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, r.name),
      el('td', {}, formatPercent(r.started_probability)),
      statsCell(r.state_npv, formatMoney, 'mean'),
      differenceCell(d?.state_npv, 'state gets more', 'state gets less'),
      statsCell(r.investor_npv, formatMoney, 'mean'),
      differenceCell(d?.investor_npv, 'investor keeps more', 'investor keeps less'),
    );
  });
  return table(
    'numbers fiscal-futures',
    ['regime', 'starts', 'state revenue NPV: mean', `state: regime ${MINUS} ${reference}`, "investor's NPV: mean", `investor: regime ${MINUS} ${reference}`],
    rows,
  );
}

// Take and AETR over the paths where the project starts.
function takeTable(f: Fiscal): HTMLElement {
  const rows = f.regimes.map((r) => {
    const share = undefinedShare(r, f.paths);
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, r.name),
      statsCell(r.government_take, formatPercent, 'p50'),
      statsCell(r.aetr, formatPercent, 'p50'),
      el('td', { class: 'text' }, share ?? 'defined on every path where it starts'),
    );
  });
  return table('numbers fiscal-take', ['regime', 'government take: median', 'AETR: median', el('th', { class: 'text' }, 'AETR not defined')], rows);
}

const sameRun = (a: Identity, b: Identity) =>
  a.scenario_sha256 === b.scenario_sha256 && a.seed === b.seed && a.paths === b.paths && a.start_year === b.start_year && a.horizon === b.horizon;

// Which regime gives the state, and which the investor, the most on average over the futures.
function leaders(f: Fiscal): string {
  const best = (key: 'state_npv' | 'investor_npv') => f.regimes.reduce((a, b) => ((b[key].mean ?? -Infinity) > (a[key].mean ?? -Infinity) ? b : a));
  const state = best('state_npv');
  const investor = best('investor_npv');
  return `Over the futures the state gets most under ${state.name} (${formatMoney(state.state_npv.mean)} on average) and the investor keeps most under ${investor.name} (${formatMoney(investor.investor_npv.mean)}).`;
}

export function fiscalIntro(f: Fiscal, shown: Identity): HTMLElement[] {
  const p = el(
    'p',
    { class: 'context' },
    el('strong', {}, f.project),
    ` (${f.commodity}) under ${f.regimes.length} fiscal regime${f.regimes.length === 1 ? '' : 's'}, on ${digitsGrouped(f.paths)} paths (seed ${f.seed}), in the world without a deal.`,
  );
  if (!sameRun(f, shown)) {
    p.className = 'context mismatch';
    p.append(' ', el('strong', {}, 'Not run as the header says:'), ` seed ${f.seed}, ${digitsGrouped(f.paths)} paths, scenario SHA-256 ${f.scenario_sha256.slice(0, 12)}.`);
  }
  if (f.command) p.append(' Reproduce: ', el('code', {}, f.command));
  return [
    p,
    note([
      `The same project under each regime, everything else equal: first on base inputs and the base price path (every price shock 0: today's price moving towards the long-run price${isNum(f.price_level) ? ` of ${formatPrice(f.price_level)} ${f.unit}` : ''}), the measures a fiscal model such as the IMF's FARI gives; then over the same sampled futures (common random numbers: each path's prices, wars and start draws are the same under every regime), where the differences from ${f.regimes[0]?.name ?? 'the first'} are paired path by path. `,
      leaders(f),
    ]),
  ];
}

export function fiscalBase(f: Fiscal): HTMLElement[] {
  const notes = new Footnotes();
  const t = baseTable(f, notes);
  return [
    note([
      "Government take: all the state's revenue from the project over its pre-tax net cash flow (revenue less operating and capital costs), undiscounted; AETR: the same in present values at the host's rate; METR: the tax wedge on the marginal project's real return; effective royalty rate: the smallest share of a year's revenue the state takes. A superscript number points to a note below on why a measure is not defined or what a take above 100% means.",
    ]),
    t,
    ...[footnoteList(notes)].filter((e): e is HTMLElement => e !== null),
  ];
}

// What would surprise a reader of the futures' table: the same share of starts under every
// regime, and an investor who loses on the base case but gains on average over the futures.
function futuresRemarks(f: Fiscal): string {
  const starts = f.regimes.map((r) => r.started_probability ?? 0);
  const remarks: string[] = [];
  if (f.regimes.length > 1 && Math.max(...starts) - Math.min(...starts) < 0.01)
    remarks.push(
      ` The project starts on nearly the same share of paths under every regime: it starts once the price passes the regime's breakeven, and over ${f.horizon} years the price passes every one of these breakevens on nearly the same paths; a heavier regime moves when it starts more than whether.`,
    );
  if (f.regimes.some((r) => (r.base.investor_npv ?? 0) < 0 && (r.investor_npv.mean ?? 0) > 0))
    remarks.push(
      " The investor's NPV can be negative on the base case and positive on average over the futures: the investor builds only on the paths where the price has made the project pay, and counts 0 where it never builds.",
    );
  return remarks.join('');
}

export function fiscalFutures(f: Fiscal): HTMLElement[] {
  return [
    note([
      `Over the ${digitsGrouped(f.paths)} sampled futures. NPVs count 0 on a path where the project never starts; "starts": the share of paths on which it starts by the horizon. The differences from ${f.regimes[0]?.name ?? 'the first regime'} are paired on the same paths: the mean with its 95% interval (mean ± 1.96 standard errors; `,
      { strong: 'more' },
      ' or ',
      { strong: 'less' },
      ' where the interval excludes 0), then the spread of the path-by-path difference.',
      futuresRemarks(f),
    ]),
    futuresTable(f),
  ];
}

export function fiscalTakes(f: Fiscal): HTMLElement[] {
  return [
    note([
      `Over the paths where ${f.project} starts, each on its own prices, wars and years: the median and the 5th–95th percentiles of its government take and AETR (on a path where the pre-tax rent is near zero, the ratios run to many times 100%).`,
    ]),
    takeTable(f),
  ];
}
