// The analyses' sections: which terms both sides accept (sweep), where each side is indifferent
// (breakeven), which assumptions move the answer (tornado), where the uncertainty comes from
// (Sobol indices). Each returns its elements and the charts to draw in them.
import type { AnalysisBase, Breakeven, Estimate, Identity, Sobol, Sweep, Tornado } from '../document';
import { DASH, MINUS, digitsGrouped, formatMoney, formatPercent, formatTerm, isNum } from '../format';
import { amount, el, note, rich, small, table } from '../html';
import { type Variant, type SweepView, sweepView } from '../charts/sweep';
import { type TornadoRow, measureChange, measureText, outputInfo, signFlips, sobolRows, tornadoRows, tornadoTableRows, tornadoChartBars } from '../charts/sensitivity';
import type { Rich } from '../rich';

const sameRun = (a: Identity, b: Identity) =>
  a.scenario === b.scenario &&
  a.scenario_sha256 === b.scenario_sha256 &&
  a.seed === b.seed &&
  a.paths === b.paths &&
  a.start_year === b.start_year &&
  a.horizon === b.horizon &&
  a.nadra_version === b.nadra_version;

export function dealOf(a: AnalysisBase): string {
  return a.deals ? a.deals.join(', ') : (a.deal ?? '');
}

// What an analysis is about, and a warning when it did not run as the header says.
export function context(a: AnalysisBase, shown: Identity, what: string): HTMLElement {
  const p = el('p', { class: 'context' }, `${what} of `, el('strong', {}, dealOf(a)), ` against ${a.baseline}, on ${digitsGrouped(a.paths)} paths (seed ${a.seed}).`);
  if (!sameRun(a, shown)) {
    p.className = 'context mismatch';
    const differs: string[] = [];
    if (a.scenario !== shown.scenario) differs.push(`scenario ${a.scenario}`);
    if (a.scenario_sha256 !== shown.scenario_sha256) differs.push(`scenario SHA-256 ${a.scenario_sha256.slice(0, 12)}`);
    if (a.seed !== shown.seed) differs.push(`seed ${a.seed}`);
    if (a.paths !== shown.paths) differs.push(`${digitsGrouped(a.paths)} paths`);
    if (a.start_year !== shown.start_year || a.horizon !== shown.horizon) differs.push(`years ${a.start_year}–${a.start_year + a.horizon - 1}`);
    if (a.nadra_version !== shown.nadra_version) differs.push(`nadra ${a.nadra_version}`);
    p.append(' ', el('strong', {}, 'Not run as the header says:'), ` ${differs.join(', ')}.`);
  }
  if (a.command) p.append(' Reproduce: ', el('code', {}, a.command));
  return p;
}

const moneySe = (e: Estimate) => [amount(formatMoney(e.mean)), ' ', small(`± ${formatMoney(e.se)}`)];

export function sweepIntro(sweep: Sweep, s: SweepView, shown: Identity): HTMLElement[] {
  const axes = s.axes
    .map((key, i) => {
      const values = s.axisValues[i] ?? [];
      const list = values.length <= 6 ? values.join(', ') : `${values[0]}, ${values[1]}, …, ${values[values.length - 1]} (${values.length} values)`;
      return `${key} = ${list}`;
    })
    .join('; ');
  const what =
    s.axes.length === 0
      ? `${s.variants.length} deals as the scenario has them: ${dealOf(sweep)}`
      : `${s.variants.length} variants of ${dealOf(sweep)}, one for each combination of ${axes}${s.deals.length > 1 ? ' for each deal' : ''}`;
  return [
    context(sweep, shown, 'Sweep'),
    note([
      `${what}, every one run on the same futures as ${sweep.baseline} (host ${formatMoney(s.baseHost.mean)}, partner ${formatMoney(s.basePartner.mean)}). A negotiator looks for terms where both sides gain, and among those, for terms that cannot be bettered for one side without costing the other.`,
      s.total
        ? " Values and gains here count in-kind support as each side values it (--value total: the host's total value and the partner's net value, MODEL.md 4.2); sweep.csv also has them on money alone."
        : '',
    ]),
  ];
}

function variantsTable(s: SweepView, variants: Variant[], extra: string, extraOf: (v: Variant) => boolean, nashColumn: boolean): HTMLElement {
  const sorted = [...variants].sort((p, q) => (p.hostGain.mean ?? 0) - (q.hostGain.mean ?? 0));
  const dealColumn = s.deals.length > 1 || s.axes.length === 0;
  const head = [
    ...(dealColumn ? ['deal'] : []),
    ...s.axes,
    s.total ? 'host total gain' : 'host gain',
    s.total ? 'partner net gain' : 'partner gain',
    'P(cap reached)',
    extra,
    ...(nashColumn ? ['Nash point'] : []),
  ];
  const rows = sorted.map((v) =>
    el(
      'tr',
      {},
      dealColumn ? el('td', { class: 'text' }, v.deal) : null,
      v.values.map((x) => el('td', { class: 'text' }, x)),
      el('td', {}, moneySe(v.hostGain)),
      el('td', {}, moneySe(v.partnerGain)),
      el('td', {}, formatPercent(v.capProbability)),
      el('td', { class: 'mark' }, extraOf(v) ? 'yes' : ''),
      nashColumn ? el('td', { class: 'mark' }, v.nash ? 'yes' : '') : null,
    ),
  );
  return table('numbers sweep', head, rows);
}

export function sweepTables(sweep: Sweep, s: SweepView): HTMLElement[] {
  const zone = s.variants.filter((v) => v.zone);
  const frontier = s.variants.filter((v) => v.frontier);
  const n = s.variants.length;
  const out: HTMLElement[] = [
    el('h3', {}, `The zone of possible agreement: ${zone.length} of ${n} variants`),
    note([
      'The variants that ',
      { strong: `both sides would rather sign than have ${sweep.baseline}` },
      ": each side's mean gain is more than two standard errors above 0, so the gain is not an accident of the sampled futures. Sorted by the host's gain; ± one standard error.",
    ]),
    zone.length === 0
      ? note([{ strong: 'No variant is in the zone:' }, ` in every one, at least one side does not clearly gain over ${sweep.baseline}.`])
      : variantsTable(s, zone, 'on the frontier', (v) => v.frontier, true),
  ];
  for (const v of s.variants.filter((x) => x.nash))
    out.push(
      el(
        'p',
        { class: 'note' },
        el('strong', {}, `The Nash point: ${v.name}`),
        ', host ',
        ...moneySe(v.hostGain),
        ' and partner ',
        ...moneySe(v.partnerGain),
        ` over ${sweep.baseline}: of the variants in the zone, the one with the largest product of the two mean gains (the Nash bargaining solution, with ${sweep.baseline} as the point of disagreement).`,
      ),
    );
  out.push(
    el('h3', {}, `The frontier: ${frontier.length} of ${n} variants`),
    note([
      "The variants that no other variant beats for both sides at once (by mean value). Off the frontier, some other variant gives one side more and the other no less; along it, one side's gain is the other's loss. Sorted by the host's gain.",
    ]),
  );
  const same = zone.length > 0 && zone.length === frontier.length && zone.every((v, i) => v === frontier[i]);
  out.push(
    same ? note(["The same variants as the zone's, so the table above is the frontier's too."]) : variantsTable(s, frontier, 'in the zone', (v) => v.zone, false),
  );
  return out;
}

export { sweepView };

export function breakevenSection(b: Breakeven, shown: Identity): HTMLElement[] {
  const low = b.range[0];
  const high = b.range[1];
  const p = b.param;
  const deal = dealOf(b);
  const out: HTMLElement[] = [
    context(b, shown, 'Breakeven'),
    note([
      'The value of ',
      { code: p },
      ` in ${deal} at which a side gets, on average over the same futures, exactly what it gets under ${b.baseline}, searched for between ${formatTerm(low)} and ${formatTerm(high)}. The 95% interval: the values at which the side's mean gain is 1.96 standard errors from 0; an open end lies outside the range searched.`,
      b.value === 'total' ? " Gains with in-kind support valued (--value total: the host's total value, the partner's net value, MODEL.md 4.2)." : '',
    ]),
  ];
  const sentences: Rich[] = [];
  const gains: ([number, number] | null)[] = [];
  const rows = b.parties.map((party) => {
    const interval = isNum(party.value)
      ? `${isNum(party.ci_low) ? formatTerm(party.ci_low) : `< ${formatTerm(low)}`} to ${isNum(party.ci_high) ? formatTerm(party.ci_high) : `> ${formatTerm(high)}`}`
      : DASH;
    const who = `The ${party.party}`;
    const atLow = party.gain_at_low ?? 0;
    const atHigh = party.gain_at_high ?? 0;
    if (isNum(party.value)) {
      const falling = atLow > atHigh;
      sentences.push([`${who} gains from ${deal} while ${p} ${falling ? '<' : '>'} `, { strong: formatTerm(party.value) }, ` (95% interval ${interval}), and loses ${falling ? 'above' : 'below'} it.`]);
      gains.push(falling ? [low ?? -Infinity, party.value] : [party.value, high ?? Infinity]);
    } else if (atLow > 0 && atHigh > 0) {
      sentences.push([`${who} gains from ${deal} at every ${p} from ${formatTerm(low)} to ${formatTerm(high)}.`]);
      gains.push([low ?? -Infinity, high ?? Infinity]);
    } else {
      sentences.push([`${who} gains nothing from ${deal} at any ${p} from ${formatTerm(low)} to ${formatTerm(high)}.`]);
      gains.push(null);
    }
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, party.party),
      el('td', {}, isNum(party.value) ? formatTerm(party.value) : 'none in the range'),
      el('td', {}, interval),
      el('td', {}, amount(formatMoney(party.gain_at_low))),
      el('td', {}, amount(formatMoney(party.gain_at_high))),
    );
  });
  out.push(table('numbers breakeven', ['side', `${p} at indifference`, '95% interval', `gain at ${p} = ${formatTerm(low)}`, `gain at ${p} = ${formatTerm(high)}`], rows));
  if (gains.length > 1) {
    const all = gains.every((g) => g !== null);
    const from = Math.max(low ?? -Infinity, ...gains.map((g) => (g ? g[0] : -Infinity)));
    const to = Math.min(high ?? Infinity, ...gains.map((g) => (g ? g[1] : Infinity)));
    if (all && from < to) {
      const where =
        from > (low ?? -Infinity) && to < (high ?? Infinity)
          ? `while ${formatTerm(from)} < ${p} < ${formatTerm(to)}`
          : from > (low ?? -Infinity)
            ? `while ${p} > ${formatTerm(from)}`
            : to < (high ?? Infinity)
              ? `while ${p} < ${formatTerm(to)}`
              : `at every ${p} searched`;
      sentences.push([{ strong: `Both sides gain ${where}` }, ': the room to negotiate in (by mean gain).']);
    } else {
      sentences.push([{ strong: `No ${p} between ${formatTerm(low)} and ${formatTerm(high)} makes both sides gain` }, ' (by mean gain).']);
    }
  }
  out.push(el('ul', { class: 'plain' }, sentences.map((s) => el('li', {}, rich(s)))));
  return out;
}

export function tornadoSection(t: Tornado, shown: Identity): { intro: HTMLElement[]; table: HTMLElement[]; rows: TornadoRow[] } {
  const info = outputInfo(t);
  const rows = tornadoRows(t);
  const base = t.base[t.output]?.mean ?? null;
  const unit = info.measure === 'money' ? '$ bn' : info.measure === 'probability' ? 'share of paths' : 'calendar year';
  const intro: HTMLElement[] = [
    context(t, shown, 'Tornado'),
    note([
      `Each uncertain input of the scenario (or group of inputs moved together) is set to the low and then the high end of its range, every other input at its value, on the same futures: how far ${info.label} of ${dealOf(t)} moves (${unit}). At the scenario's values it is `,
      { strong: measureText(info.measure, base) },
      ` (the vertical line). Widest first; ${rows.length > tornadoChartBars ? `the ${tornadoChartBars} widest of ${rows.length} are drawn.` : `all ${rows.length} are drawn.`}`,
    ]),
  ];
  if (info.measure === 'money' && isNum(base) && base !== 0) {
    const flips = signFlips(t, rows);
    intro.push(
      flips.length === 0
        ? note([`No input, alone at either end of its range, turns the sign of ${info.label}.`])
        : el(
            'p',
            { class: 'note' },
            `Alone, these would turn the sign of ${info.label}: `,
            ...flips.flatMap((f, i) => [
              i === 0 ? '' : i + 1 === flips.length ? ' and ' : ', ',
              el('strong', {}, f.label),
              ` at its ${f.end} end (${measureText(info.measure, f.value)})`,
            ]),
            '.',
          ),
    );
  }
  const body = rows.slice(0, tornadoTableRows).map((r) =>
    el(
      'tr',
      {},
      el('td', {}, String(r.rank)),
      el('th', { scope: 'row', class: 'text', title: r.keys }, r.label),
      el('td', { class: 'text unit' }, r.inputs),
      el('td', {}, measureText(info.measure, r.atLow.mean)),
      el('td', {}, measureText(info.measure, r.atHigh.mean)),
      el('td', {}, measureChange(info.measure, r.swing.mean)),
      el('td', {}, measureChange(info.measure, r.swing.se)),
    ),
  );
  const out = [
    table(
      'numbers tornado',
      ['#', el('th', { class: 'text' }, 'input'), el('th', { class: 'text' }, 'range'), 'at its low end', 'at its high end', 'swing', '± s.e.'],
      body,
    ),
  ];
  if (rows.length > tornadoTableRows) out.push(note([`The ${tornadoTableRows} widest of ${rows.length} bars; tornado.csv has them all.`]));
  return { intro, table: out, rows };
}

export function sobolSection(s: Sobol, shown: Identity): { intro: HTMLElement[]; table: HTMLElement[] } {
  const info = outputInfo(s);
  const rows = sobolRows(s);
  const firstSum = rows.reduce((sum, r) => sum + (isNum(r.first) ? r.first : 0), 0);
  const sd = isNum(s.variance) ? Math.sqrt(s.variance) : null;
  const decimals = (v: number | null) => (isNum(v) ? (v < 0 ? MINUS : '') + Math.abs(v).toFixed(2) : DASH);
  const percent = Math.round((s.confidence ?? 0.95) * 100);
  const intro = [
    context(s, shown, 'Sobol indices'),
    note([
      `How much of the uncertainty in ${info.label} of ${dealOf(s)} each input accounts for, every uncertain input drawn at once (${s.distribution ?? 'triangular(low, value, high)'}, independently). `,
      { strong: 'First order' },
      ": the share of the output's variance that comes from this input alone: the share that would go if it alone were known. ",
      { strong: 'Total' },
      ': its share including every interaction with other inputs: the share that would remain if every input but this one were known. A total well above the first order means the input matters through others.',
    ]),
    note([
      `Over the inputs' ranges the output has mean ${measureText(info.measure, s.mean)} and standard deviation ${info.measure === 'probability' ? `${((sd ?? 0) * 100).toFixed(1)} pp` : measureChange(info.measure, sd)}. The first orders sum to ${firstSum.toFixed(2)}${firstSum <= 1 ? `: about ${formatPercent(1 - firstSum)} of the variance comes from interactions` : ', above 1 only by the noise of the estimates (more samples narrow it)'}. N = ${digitsGrouped(s.samples)} samples of the inputs, ${digitsGrouped(s.runs)} runs of ${digitsGrouped(s.paths)} paths each; whiskers: ${percent}% bootstrap intervals. An estimate a little below 0 is 0 within noise.`,
    ]),
  ];
  const body = rows.map((r) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row', class: 'text', title: r.keys }, r.label),
      el('td', { class: 'text unit' }, r.inputs),
      el('td', {}, decimals(r.first)),
      el('td', {}, `${decimals(r.firstLow)} – ${decimals(r.firstHigh)}`),
      el('td', {}, decimals(r.total)),
      el('td', {}, `${decimals(r.totalLow)} – ${decimals(r.totalHigh)}`),
    ),
  );
  return {
    intro,
    table: [table('numbers sobol', [el('th', { class: 'text' }, 'input'), el('th', { class: 'text' }, 'range'), 'first order', 'interval', 'total', 'interval'], body)],
  };
}

