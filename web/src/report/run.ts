// A run's tables: who gains, the terms, which mines get built, all results (the projects':
// report/fiscal.ts).
import type { DealTerms, Scope, Stats } from '../document';
import { DASH, MINUS, formatMoney, formatPercent, formatYear, formatYears, isNum, startYearText } from '../format';
import { amount, breakable, el, note, small, table } from '../html';
import { metricLabel, spaced } from '../labels';
import { type RunView, pairWith } from '../run';
import { expectedSupport, scheduledTotal } from '../support';

type Kind = 'money' | 'fraction' | 'year';
const kindOf = (metric: string): Kind => (metric === 'share_ceded' ? 'fraction' : metric === 'cap_year' ? 'year' : 'money');
const value = (kind: Kind, v: unknown) => {
  const n = isNum(v as number) ? (v as number) : null;
  return kind === 'fraction' ? formatPercent(n) : kind === 'year' ? formatYear(n) : formatMoney(n);
};
const spread = (kind: Kind, v: unknown) => (kind === 'year' ? formatYears(v as number) : value(kind, v));
const num = (v: unknown): number | null => (isNum(v as number) ? (v as number) : null);

export function gainsSection(run: RunView): HTMLElement[] {
  const first = run.summary.differences[0];
  if (run.deals.length < 2 || !first || !('host_total_value' in first.metrics))
    return [note(["This run's summary has no paired gains on both bases."])];
  // A cell holds its numbers too (data-mean, data-sem: deal - reference, as summary.json's gains
  // have them), for a program that reads the page (the live page's test).
  const cell = (metric: string, stats: Stats | undefined, negate: boolean) => {
    const mean = num(stats?.mean);
    const se = num(stats?.sem) ?? 0;
    const m = mean === null ? null : negate ? -mean : mean;
    const verdict = m === null || Math.abs(m) <= 2 * se ? 'unclear' : m > 0 ? 'gains' : 'loses';
    const data = { 'data-metric': metric, 'data-mean': String(m), 'data-sem': String(se) };
    return el('td', { class: verdict, ...data }, formatMoney(m), ' ', small(`± ${formatMoney(se)}`), el('br'), el('b', {}, verdict));
  };
  const rows: HTMLElement[] = [];
  for (const deal of run.deals) {
    if (deal === run.reference) continue;
    const pair = pairWith(run, deal);
    if (!pair) continue;
    const m = pair.difference.metrics;
    rows.push(
      el(
        'tr',
        { 'data-deal': deal },
        el('th', { scope: 'row' }, deal),
        ['host_value', 'host_total_value', 'partner_value', 'partner_net_value'].map((k) => cell(k, m[k], pair.negate)),
      ),
    );
  }
  const weights = run.terms?.support_value;
  return [
    note([
      `Gain = deal − ${run.reference}, path by path, the mean ± one standard error; `,
      { strong: 'gains' },
      ' or ',
      { strong: 'loses' },
      ' where the mean is more than two standard errors from 0. ',
      { em: 'From the subsoil' },
      ": the money the deal moves (revenue, contributions, the fund's payouts and the partner's cash). ",
      { em: 'With support valued' },
      ': the host also counts the in-kind (military) support it receives, the partner the cost of what it gives.',
      weights
        ? ` A dollar of in-kind support is worth $ ${(weights.host ?? 0).toFixed(2)} to the host and costs the partner $ ${(weights.partner_cost ?? 0).toFixed(2)} (see the assumptions).`
        : '',
    ]),
    table(
      'numbers gains',
      ['deal', 'host: from the subsoil', 'host: with support valued', 'partner: from the subsoil', "partner: net of support's cost"],
      rows,
    ),
  ];
}

function joined(list: string[] | undefined, empty: string): string {
  return !list || list.length === 0 ? empty : list.map(spaced).join(', ');
}

function lines(...parts: (string | Node | null)[]): Node[] {
  const out: Node[] = [];
  for (const part of parts) {
    if (part === null) continue;
    if (out.length > 0) out.push(el('br'));
    out.push(typeof part === 'string' ? document.createTextNode(part) : part);
  }
  return out;
}

function filters(scope: Scope): (string | null)[] {
  return [
    scope.licence_classes.length ? `licences: ${joined(scope.licence_classes, '')}` : null,
    scope.commodities.length ? `commodities: ${joined(scope.commodities, '')}` : null,
    scope.statuses.length ? `regions: ${joined(scope.statuses, '')}` : null,
  ];
}

const years = (n: number) => `${n} year${n === 1 ? '' : 's'}`;
const times = (what: string, v: number | null) => (v === null || v === 1 ? null : `${what} ×${Number(v.toPrecision(2))}`);

const termRows: [string, (d: DealTerms, horizon: number) => Node[]][] = [
  ['What it is', (d) => lines(d.description)],
  ['Share of revenue paid in', (d) => lines(formatPercent(d.share), isNum(d.share_liberated) && d.share_liberated !== d.share ? `${formatPercent(d.share_liberated)} in liberated regions` : null)],
  ['Scope', (d) => lines(joined(d.scope.items, 'all revenue items'), ...filters(d.scope))],
  [
    'Cap',
    (d) =>
      d.cap === null
        ? lines('none')
        : lines(amount(formatMoney(d.cap)), (d.cap_growth_per_support ?? 0) > 0 ? `+ ${Number((d.cap_growth_per_support ?? 0).toPrecision(3))} × support received` : null),
  ],
  ['Term', (d) => lines(d.term_years === null ? 'to the horizon' : years(d.term_years))],
  [
    'Ownership of the fund',
    (d) =>
      lines(
        d.ownership === 'fixed' ? `fixed: partner ${formatPercent(d.partner_share)}` : 'pro rata to contributions',
        d.in_kind_counts ? 'in-kind support counts' : null,
        (d.partner_initial_capital ?? 0) > 0 ? `partner credited ${formatMoney(d.partner_initial_capital)} at start` : null,
      ),
  ],
  ['Lock and payout', (d) => lines(d.lock_years === 0 ? 'no lock' : `locked ${years(d.lock_years)}`, `pays out ${formatPercent(d.payout_rate)} a year`)],
  ['Waterfall', (d) => lines(d.waterfall === 'pro_rata' ? 'pro rata' : `partner first, until recouped at ${formatPercent(d.recoup_rate)} a year`)],
  [
    'Security guarantee; effect on the war',
    (d) =>
      lines(
        d.security_guarantee ? 'yes' : 'no',
        times('war-end hazard', d.world_modifiers.end_hazard_multiplier),
        times('renewal hazard', d.world_modifiers.renew_hazard_multiplier),
      ),
  ],
  [
    'Partner support over the horizon (expected)',
    (d, horizon) => {
      const s = d.partner_support;
      const most = { cash: scheduledTotal(s.cash, horizon), inKind: scheduledTotal(s.in_kind, horizon) };
      if (most.cash === 0 && most.inKind === 0) return lines('none');
      const expected = expectedSupport(s.cash, s.in_kind, s.continuation_probability, horizon);
      const p = s.continuation_probability ?? 1;
      return lines(
        el('span', {}, 'cash ', amount(formatMoney(expected.cash))),
        el('span', {}, 'in kind ', amount(formatMoney(expected.inKind))),
        p < 1 ? `goes on each year with p = ${formatPercent(p)}; at most ${formatMoney(most.cash + most.inKind)} in all` : null,
      );
    },
  ],
  ['Fiscal regimes changed', (d) => lines(joined(d.regime_overrides, 'none'))],
  [
    'The fund co-invests in new projects',
    (d) => {
      const co = d.co_invest;
      if (!co) return lines('no');
      const { items: _items, ...dealScope } = d.scope;
      const same = JSON.stringify(dealScope) === JSON.stringify(co.scope);
      return lines(
        `pays ${formatPercent(co.share)} of capex, receives ${formatPercent(co.receipt_share)} of the operating cash flow`,
        co.premium_multiplier !== 1 && co.premium_multiplier !== null ? `investors' risk premium ×${Number(co.premium_multiplier.toPrecision(3))}` : null,
        ...(same ? ["in projects of the deal's scope"] : filters(co.scope)),
      );
    },
  ],
];

export function termsSection(run: RunView): HTMLElement[] {
  if (!run.terms)
    return [note(['This run directory has no terms.json; run the scenario again with this version of nadra to see the deals\' terms here.'])];
  const head = [el('th'), ...run.deals.map((d) => el('th', { scope: 'col' }, breakable(d)))];
  const rows = termRows.map(([label, cell]) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, label),
      run.deals.map((deal) => {
        const terms = run.dealTerms(deal);
        return el('td', {}, terms ? cell(terms, run.summary.horizon) : DASH);
      }),
    ),
  );
  return [
    table('terms', head, rows),
    note([
      'Partner support: its expected amount over the horizon, undiscounted, counting each year of the schedule only as likely as support still going on then; the schedule\'s maximum beside it where support may stop.',
    ]),
  ];
}

// The deals whose mines are compared with the reference's: the signed agreement (v5, and with
// the guarantee) against no_deal where the run has them; otherwise every deal.
function minesCompared(run: RunView): string[] {
  if (run.reference === 'no_deal') {
    const signed = ['v5', 'signed_with_guarantee'].filter((d) => run.deals.includes(d));
    if (signed.length > 0) return signed;
  }
  return run.deals.filter((d) => d !== run.reference);
}

export function minesSection(run: RunView): HTMLElement[] {
  const projectsOf = (name: string) => run.summary.deals.find((d) => d.name === name)?.projects;
  const reference = projectsOf(run.reference);
  if (!reference) return [note(["This run's summary does not say which projects start."])];
  const compared = minesCompared(run)
    .map((d) => [d, projectsOf(d)] as const)
    .filter((c): c is readonly [string, NonNullable<ReturnType<typeof projectsOf>>] => c[1] !== undefined);
  const started = (p: { started_probability: number | null; median_start_year: number | null }) =>
    el('td', {}, formatPercent(p.started_probability), el('br'), small(startYearText(p.median_start_year)));
  const rows: [number, HTMLElement][] = [];
  reference.forEach((base, j) => {
    const q = num(base.started_probability) ?? 0;
    let largest = 0;
    const cells: HTMLElement[] = [started(base)];
    for (const [, projects] of compared) {
      const p = projects[j];
      if (!p) continue;
      largest = Math.max(largest, Math.abs((num(p.started_probability) ?? 0) - q));
      const co = num(p.co_invested_probability) ?? 0;
      cells.push(started(p), el('td', {}, co > 0 ? formatPercent(co) : DASH));
    }
    if (largest >= 0.001) rows.push([largest, el('tr', {}, el('th', { scope: 'row' }, base.name), cells)]);
  });
  if (rows.length === 0)
    return [note([`No deal compared here changes the probability that any project starts construction by ${run.lastYear} by a tenth of a percentage point or more.`])];
  rows.sort((a, b) => b[0] - a[0]); // stable: ties keep the projects' order
  const head = ['project', `${run.reference}: started by ${run.lastYear}`, ...compared.flatMap(([d]) => [`${d}: started by ${run.lastYear}`, 'co-invested'])];
  return [table('numbers mines', head, rows.map((r) => r[1]))];
}

const statsHead = ['mean', '± s.e.', '5%', '25%', 'median', '75%', '95%'];

function statsCells(stats: Stats, kind: Kind, negate = false): HTMLElement[] {
  const v = (key: string) => {
    const n = num(stats[key]);
    return n === null ? null : negate ? -n : n;
  };
  // The difference b - a has the percentiles of a - b reversed and negated.
  const keys = negate ? ['p95', 'p75', 'p50', 'p25', 'p5'] : ['p5', 'p25', 'p50', 'p75', 'p95'];
  return [el('td', {}, value(kind, v('mean'))), el('td', {}, spread(kind, stats.sem)), ...keys.map((k) => el('td', {}, value(kind, v(k))))];
}

export function resultsSection(run: RunView): HTMLElement[] {
  const deals = run.summary.deals;
  const metrics = Object.keys(deals[0]?.metrics ?? {});
  const bodies = metrics.map((metric) => {
    const kind = kindOf(metric);
    const rows = [el('tr', { class: 'metric' }, el('th', { colspan: '8' }, metricLabel(metric)))];
    for (const deal of deals) {
      const stats = deal.metrics[metric];
      if (!stats) continue;
      const count = stats.count ?? 0;
      const name = el('th', { scope: 'row' }, deal.name);
      if (kind === 'year') name.append(' ', small(`reached on ${formatPercent(run.summary.paths > 0 ? count / run.summary.paths : 0)} of paths`));
      rows.push(
        el(
          'tr',
          {},
          name,
          count === 0 ? el('td', { colspan: '7', class: 'none' }, kind === 'year' ? 'never reached' : 'no values') : statsCells(stats, kind),
        ),
      );
    }
    return rows;
  });
  const out = [table('numbers results', ['deal', ...statsHead], bodies)];
  // With input sets (MODEL.md 4.3): how much of the spread lies between the sets (judgement).
  if (run.summary.sample_inputs !== undefined) {
    const shares = deals
      .map((d) => {
        const share = (m: string) => formatPercent(num(d.metrics[m]?.between_sets_share));
        return `${d.name}: host ${share('host_value')}, partner ${share('partner_value')}`;
      })
      .join('; ');
    const inputs = run.summary.sampled_inputs?.length ?? 0;
    out.push(
      note([
        `Judgement as well as chance: the ${inputs} uncertain input${inputs === 1 ? '' : 's'} were drawn in ${run.summary.sample_inputs} input sets (triangular(low, value, high); path p on set p mod K), so the spreads above include not knowing them. The share of the variance of host and partner value that lies between the sets (judgement) rather than within them (the future): ${shares}.`,
      ]),
    );
  }
  if (run.deals.length >= 2) {
    out.push(el('h3', {}, `Paired gains against ${run.reference}: gain = deal − ${run.reference}, path by path`));
    const first = run.summary.differences[0];
    const bodies2 = ['host_value', 'partner_value', 'host_total_value', 'partner_net_value']
      .filter((m) => !first || m in first.metrics)
      .map((metric) => {
        const rows = [el('tr', { class: 'metric' }, el('th', { colspan: '8' }, `${metricLabel(metric)} ${MINUS} ${run.reference}`))];
        for (const deal of run.deals) {
          const pair = deal === run.reference ? undefined : pairWith(run, deal);
          const stats = pair?.difference.metrics[metric];
          if (pair && stats) rows.push(el('tr', {}, el('th', { scope: 'row' }, deal), statsCells(stats, 'money', pair.negate)));
        }
        return rows;
      });
    out.push(table('numbers differences', ['deal', ...statsHead], bodies2));
  }
  return out;
}
