// Key paths in words: "world.regions.*.war_disruption" over 7 inputs -> "output lost in war,
// 7 regions". A label the scenario gives an uncertain input (`label = "..."`) wins; a key path
// this file does not know is shown with its last part in words, never as a bare key path.

import type { UncertainInput } from './document';

// What a value means, by the last part of its key path (and, where that is ambiguous, the part
// before it).
const words: Record<string, string> = {
  'conflict.war_disruption': 'output lost in war, everywhere',
  war_disruption: 'output lost in war',
  end_hazard: 'chance a year that the war ends',
  renew_hazard: 'chance a year that the war resumes',
  liberation_probability: 'chance that occupied land is liberated',
  initial_war: 'the war goes on at the start',
  'host.discount_rate': "host's discount rate",
  'partner.discount_rate': "partner's discount rate",
  'host.support_value': 'worth to the host of $ 1 of in-kind support',
  'partner.support_cost': 'cost to the partner of $ 1 of in-kind support',
  inflation: 'cost inflation a year',
  hurdle_rate: "investors' hurdle rate",
  country_risk_premium: "investors' country risk premium",
  shut_in_cost: 'cost of shutting a mine in',
  'guarantee.renew_hazard_multiplier': "a guarantee's effect on the war resuming",
  'guarantee.risk_premium_multiplier': "a guarantee's effect on the risk premium",
  'world_modifiers.end_hazard_multiplier': 'effect on the war ending',
  'world_modifiers.renew_hazard_multiplier': 'effect on the war resuming',
  'fund.return_mean': "fund's mean return",
  'fund.return_sigma': "fund's return volatility",
  'fund.initial': "fund's initial capital",
  'co_invest.share': "fund's share of co-invested capex",
  'co_invest.receipt_share': "fund's share of co-invested cash flow",
  'co_invest.premium_multiplier': "co-investment's effect on the risk premium",
  payout_rate: 'share of the fund paid out a year',
  recoup_rate: "partner's recoupment rate",
  share: 'share of revenue paid in',
  share_liberated: 'share paid in from liberated regions',
  cap: 'cap on contributions',
  level: 'long-run price',
  price0: 'price today',
  drift: 'price drift a year',
  kappa: 'price reversion speed',
  sigma: 'price volatility',
  viability: 'chance a project is viable',
  volume_growth: 'growth of output a year',
  volume: 'output today',
  capex: 'capital cost',
  opex: 'operating cost',
  capex_sigma: 'capital cost uncertainty',
  opex_sigma: 'operating cost uncertainty',
  capacity: 'capacity',
  reserve: 'reserve',
  realisation: 'price realised',
  unit_cost: 'unit cost',
  licence_fee: 'licence fee',
  continuation_probability: 'chance support goes on each year',
};

// The collections whose members a key path names, singular and plural.
const collections: Record<string, [string, string]> = {
  regions: ['region', 'regions'],
  projects: ['project', 'projects'],
  streams: ['stream', 'streams'],
  commodities: ['commodity', 'commodities'],
  regimes: ['regime', 'regimes'],
  deals: ['deal', 'deals'],
};

function meaning(parts: string[]): string {
  const last = parts[parts.length - 1] ?? '';
  const two = parts.slice(-2).join('.');
  return words[two] ?? words[last] ?? last.replace(/_/g, ' ');
}

// A key path in words; `count` is how many inputs a group ("*") moves together.
export function keyLabel(key: string, count = 1): string {
  const parts = key.split('.');
  // Not a key path of a scenario: shown as it is.
  if (parts[0] !== 'world' && parts[0] !== 'deals') return words[key] ?? key.replace(/_/g, ' ');
  const what = meaning(parts);
  // world.<collection>.<member>.<field> or deals.<deal>.<...>
  const owner = parts[0] === 'world' ? 1 : parts[0] === 'deals' ? 0 : -1;
  const collection = owner >= 0 ? parts[owner] : undefined;
  const member = owner >= 0 ? parts[owner + 1] : undefined;
  if (collection && member && collections[collection] && parts.length > owner + 2) {
    const [one, many] = collections[collection];
    if (member === '*') return `${what}, ${count === 1 ? `1 ${one}` : `${count} ${many}`}`;
    const name = member.replace(/_/g, ' ');
    // A commodity's price reads best with the commodity first: "gas long-run price".
    if (collection === 'commodities') return `${name} ${what}`;
    if (collection === 'deals') return `${member}: ${what}`;
    return `${what}, ${name}`;
  }
  return what;
}

// A factor of a tornado or of Sobol indices in words: the scenario's label where its one input
// has one, else its key path in words.
export function factorLabel(factor: { factor: string; label?: string; inputs: UncertainInput[] }): string {
  if (factor.label) return factor.label;
  const only = factor.inputs.length === 1 ? factor.inputs[0] : undefined;
  if (only?.label) return only.label;
  return keyLabel(factor.factor, factor.inputs.length);
}

// The words for a metric of summary.json.
export const metricLabels: Record<string, string> = {
  host_value: 'Host value: NPV of revenue, less contributions, plus distributions',
  partner_value: 'Partner value: NPV of distributions, less cash support',
  in_kind_support_npv: "In-kind support (NPV at the partner's rate)",
  host_contributions: 'Host contributions to the fund (undiscounted)',
  host_revenue: 'Host revenue from the subsoil (NPV)',
  host_kept: 'Host revenue kept: revenue less contributions (NPV)',
  share_ceded: 'Share of revenue ceded (undiscounted)',
  cap_year: 'Year the cap is reached (over the paths that reach it)',
  host_total_value: 'Host total value: host value plus in-kind support as the host values it',
  partner_net_value: 'Partner net value: partner value less in-kind support at its cost',
};

export function metricLabel(metric: string): string {
  return metricLabels[metric] ?? metric.replace(/_/g, ' ');
}

// Words for a revenue item, a licence class or a region status: underscores as spaces.
export function spaced(text: string): string {
  return text.replace(/_/g, ' ');
}
