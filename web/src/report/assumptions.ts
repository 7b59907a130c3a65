// The assumptions a reader needs beside the results: discount rates, the war's odds, price
// levels, the no-deal world, the weights on in-kind support, and every uncertain input's range.
import type { Num } from '../document';
import { DASH, formatPercent, formatTerm, isNum } from '../format';
import { el, note, table } from '../html';
import { keyLabel } from '../labels';
import type { RunView } from '../run';
import { warLasts } from '../support';

const pct = (v: Num | undefined) => formatPercent(v ?? null);

function facts(rows: [string, string][]): HTMLElement {
  return el('dl', { class: 'run' }, rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

export function assumptionsSection(run: RunView): HTMLElement[] {
  const terms = run.terms;
  const a = terms?.assumptions;
  if (!terms || !a) return [note(['This run directory\'s terms.json does not record the assumptions; run the scenario again with this version of nadra to see them here.'])];
  const out: HTMLElement[] = [];
  const rates = terms.discount_rates;
  const weights = terms.support_value;
  const war = a.conflict;
  const noDeal = run.dealTerms(run.reference);
  const m = noDeal?.world_modifiers;
  const adjusted = (h: Num[], k: Num | undefined) => h.map((v) => (isNum(v) ? Math.min(1, v * (isNum(k) ? k : 1)) : v));
  const lasts = (years: number, hazard: Num[]) => pct(warLasts(hazard, years));
  const endFirst = war.end_hazard[0] ?? null;
  out.push(
    el('h3', {}, 'Money and time'),
    facts([
      ["Host's discount rate", `${pct(rates?.host)} a year (values to the host are NPVs at this rate)`],
      ["Partner's discount rate", `${pct(rates?.partner)} a year`],
      ['Cost inflation', `${pct(a.inflation)} a year (money of the year)`],
      ["Investors' hurdle rate", `${pct(a.investor.hurdle_rate)}, plus a country risk premium of ${pct(a.investor.country_risk_premium)}`],
      [
        'In-kind support',
        weights ? `$ 1 of it is worth $ ${(weights.host ?? 0).toFixed(2)} to the host and costs the partner $ ${(weights.partner_cost ?? 0).toFixed(2)}` : DASH,
      ],
      ["The fund's return", `mean log return ${pct(a.fund.return_mean)} a year, volatility ${pct(a.fund.return_sigma)}`],
    ]),
    el('h3', {}, 'The war'),
    facts([
      ['At the start', war.initial_war ? 'at war' : 'at peace'],
      ['Chance a year that the war ends', `${pct(endFirst)} in the first year${war.end_hazard.length > 1 ? ' (changing over the years)' : ''}`],
      ['Chance a year that it resumes after a ceasefire', pct(war.renew_hazard[0] ?? null)],
      ['Still at war after 5 and 10 years (no deal)', `${lasts(5, adjusted(war.end_hazard, m?.end_hazard_multiplier))}, ${lasts(10, adjusted(war.end_hazard, m?.end_hazard_multiplier))}`],
      ['Output lost in war', `${pct(war.war_disruption)} everywhere unless a region says otherwise${a.regions.some((r) => isNum(r.war_disruption)) ? `: ${a.regions.filter((r) => isNum(r.war_disruption)).map((r) => `${r.name.replace(/_/g, ' ')} ${pct(r.war_disruption)}`).join(', ')}` : ''}`],
      ['Chance occupied land is liberated', pct(war.liberation_probability)],
      ["A security guarantee's effect", `war resumes ×${formatTerm(a.guarantee.renew_hazard_multiplier)} as often; investors' risk premium ×${formatTerm(a.guarantee.risk_premium_multiplier)}`],
    ]),
  );
  if (noDeal) {
    out.push(
      el('h3', {}, `The world without a deal (${run.reference})`),
      note([
        noDeal.description || run.reference,
        m && (m.end_hazard_multiplier !== 1 || m.renew_hazard_multiplier !== 1)
          ? ` Here the war ends ×${formatTerm(m.end_hazard_multiplier)} and resumes ×${formatTerm(m.renew_hazard_multiplier)} as often as the scenario's base odds above.`
          : '',
      ]),
    );
  }
  out.push(
    el('h3', {}, 'Price levels'),
    table(
      'numbers prices',
      ['commodity', 'price today', 'long-run level', 'volatility', 'reversion a year', el('th', { class: 'text' }, 'unit')],
      a.commodities.map((c) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, c.name.replace(/_/g, ' ')),
          el('td', {}, formatTerm(c.price0)),
          el('td', {}, formatTerm(c.level)),
          el('td', {}, pct(c.sigma)),
          el('td', {}, pct(c.kappa)),
          el('td', { class: 'text unit' }, c.unit),
        ),
      ),
    ),
  );
  if (a.uncertain_inputs.length > 0) {
    out.push(
      el('h3', {}, 'Uncertain inputs'),
      note([`The ${a.uncertain_inputs.length} judgement inputs the scenario gives as a range (value, low, high): a tornado swings each across its range, Sobol indices and input sets draw them all.`]),
      el('details', {}, el('summary', {}, 'Every uncertain input and its range'), table(
        'numbers inputs',
        [el('th', { class: 'text' }, 'input'), 'value', 'low', 'high', el('th', { class: 'text' }, 'key path')],
        a.uncertain_inputs.map((i) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row', class: 'text' }, i.label ?? keyLabel(i.key)),
            el('td', {}, formatTerm(i.value)),
            el('td', {}, formatTerm(i.low)),
            el('td', {}, formatTerm(i.high)),
            el('td', { class: 'text unit' }, el('code', {}, i.key)),
          ),
        ),
      )),
    );
  }
  return out;
}

