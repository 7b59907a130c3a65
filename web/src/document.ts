// The results document (docs/results-document.md): everything a report or the live page shows,
// gathered by the C++ side (src/report/results_document.cpp) from a run's files. Numbers are
// JSON numbers; null where a value is not defined (a NaN in the engine).

export type Num = number | null;

export interface Stats {
  mean: Num;
  sem?: Num;
  count?: number;
  p5: Num;
  p25: Num;
  p50: Num;
  p75: Num;
  p95: Num;
  between_sets_share?: Num;
  [key: string]: unknown;
}

export interface YearSeries {
  mean?: Num[];
  p5: Num[];
  p25: Num[];
  p50: Num[];
  p75: Num[];
  p95: Num[];
}

export interface DealProject {
  name: string;
  started_probability: Num;
  median_start_year: Num;
  co_invested_probability?: Num;
}

export interface DealSummary {
  name: string;
  metrics: Record<string, Stats>;
  projects?: DealProject[];
  by_year?: { years: number[]; series: Record<string, YearSeries> };
  by_commodity?: {
    commodity: string;
    contributions: Num;
    contributions_npv: Num;
    share: Num;
  }[];
  [key: string]: unknown;
}

export interface Difference {
  a: string;
  b: string;
  metrics: Record<string, Stats>;
}

export interface Identity {
  nadra_version: string;
  scenario: string;
  scenario_sha256: string;
  seed: number;
  paths: number;
  start_year: number;
  horizon: number;
}

export interface Summary extends Identity {
  deals: DealSummary[];
  differences: Difference[];
  projects: ProjectFiscal[];
  sample_inputs?: number;
  sampled_inputs?: string[];
  input_patterns?: string[];
  input_correlations?: InputCorrelations;
  [key: string]: unknown;
}

// A project's fiscal measures on the base case (MODEL.md 5, v1.3): null where not defined, and
// `notes` says why in words (and what a take above 100% means), keyed by the measure's name.
export interface ProgressivityPoint {
  price_factor: number;
  government_take: Num;
  aetr: Num;
}

export interface FiscalMeasures {
  breakeven_price: Num;
  government_take: Num;
  aetr: Num;
  investor_npv?: Num;
  irr?: Num;
  pretax_irr?: Num;
  payback_year?: Num;
  effective_royalty_rate?: Num;
  metr?: Num;
  progressivity?: ProgressivityPoint[];
  notes?: Record<string, string>;
}

export interface ProjectFiscal extends FiscalMeasures {
  name: string;
}

// With input sets: Spearman's rho of each sampled input's draws with each deal's per-set mean
// gain over the reference, and its bootstrap interval (docs/model.md, MODEL.md 4.3).
export interface InputCorrelationRow {
  deal: string;
  metric: string; // "host_gain" or "partner_gain"
  input: string; // key path
  spearman: Num;
  low: Num;
  high: Num;
}

export interface InputCorrelations {
  reference: string;
  bootstrap: number;
  confidence: number;
  rows: InputCorrelationRow[];
}

export interface Scope {
  items?: string[];
  licence_classes: string[];
  commodities: string[];
  statuses: string[];
}

export interface DealTerms {
  name: string;
  description: string;
  scope: Scope;
  share: Num;
  share_liberated: Num;
  cap: Num;
  cap_growth_per_support: Num;
  term_years: number | null;
  partner_support: { cash: Num[]; in_kind: Num[]; continuation_probability: Num };
  lock_years: number;
  payout_rate: Num;
  ownership: 'fixed' | 'pro_rata';
  partner_share: Num;
  in_kind_counts: boolean;
  partner_initial_capital: Num;
  waterfall: 'pro_rata' | 'partner_first';
  recoup_rate: Num;
  security_guarantee: boolean;
  world_modifiers: { end_hazard_multiplier: Num; renew_hazard_multiplier: Num };
  regime_overrides: string[];
  co_invest: null | {
    share: Num;
    receipt_share: Num;
    premium_multiplier: Num;
    scope: Scope;
  };
}

export interface UncertainInput {
  key: string;
  label?: string;
  value: Num;
  low: Num;
  high: Num;
}

// The world a run assumes (terms.json's "assumptions"), for the assumptions panel.
export interface Assumptions {
  inflation: Num;
  investor: { hurdle_rate: Num; country_risk_premium: Num };
  conflict: {
    initial_war: boolean;
    end_hazard: Num[];
    renew_hazard: Num[];
    war_disruption: Num;
    liberation_probability: Num;
  };
  guarantee: { renew_hazard_multiplier: Num; risk_premium_multiplier: Num };
  fund: { initial: Num; return_mean: Num; return_sigma: Num };
  commodities: {
    name: string;
    unit: string;
    price0: Num;
    level: Num;
    drift: Num;
    kappa: Num;
    sigma: Num;
  }[];
  regions: { name: string; war_disruption: Num }[];
  uncertain_inputs: UncertainInput[];
}

export interface Terms {
  deals: DealTerms[];
  support_value?: { host: Num; partner_cost: Num };
  discount_rates?: { host: Num; partner: Num };
  projects?: {
    name: string;
    commodity: string | null;
    unit: string | null;
    region: string | null;
    licence_class?: string;
    regime?: string | null;
  }[];
  assumptions?: Assumptions;
}

export interface Estimate {
  mean: Num;
  se: Num;
}

export interface AnalysisBase extends Identity {
  analysis: string;
  command?: string;
  deal?: string;
  deals?: string[];
  baseline: string;
  value?: 'money' | 'total';
}

export interface SweepVariant {
  name: string;
  deal: string;
  settings: Record<string, string>;
  cap_probability: Num;
  on_frontier: boolean;
  in_zone: boolean;
  nash?: boolean;
  [metric: string]: unknown;
}

export interface Sweep extends AnalysisBase {
  analysis: 'sweep';
  axes: { key: string; values: string[] }[];
  baseline_value: Record<string, Estimate>;
  variants: SweepVariant[];
}

export interface Breakeven extends AnalysisBase {
  analysis: 'breakeven';
  param: string;
  range: [Num, Num];
  parties: {
    party: string;
    value: Num;
    ci_low: Num;
    ci_high: Num;
    gain_at_low: Num;
    gain_at_high: Num;
  }[];
}

export interface TornadoBar {
  factor: string;
  label?: string;
  inputs: UncertainInput[];
  low: Record<string, Estimate>;
  high: Record<string, Estimate>;
  swing: Record<string, Estimate>;
}

export interface Tornado extends AnalysisBase {
  analysis: 'tornado';
  output: string;
  cap_by_year?: number;
  base: Record<string, Estimate>;
  bars: TornadoBar[];
}

export interface SobolIndex {
  factor: string;
  label?: string;
  inputs: UncertainInput[];
  first: Num;
  first_low: Num;
  first_high: Num;
  total: Num;
  total_low: Num;
  total_high: Num;
}

export interface Sobol extends AnalysisBase {
  analysis: 'sobol';
  output: string;
  cap_by_year?: number;
  distribution?: string;
  samples: number;
  runs: number;
  confidence: Num;
  mean: Num;
  variance: Num;
  indices: SobolIndex[];
}

// `nadra fiscal` (fiscal.json): one project under several regimes, on the base case and on the
// same futures (common random numbers).
export interface FiscalRegime {
  name: string;
  base: FiscalMeasures & { state_revenue_npv: Num };
  started_probability: Num;
  state_npv: Stats; // over every path (0 where the project never starts)
  investor_npv: Stats;
  government_take: Stats; // over the paths where it starts and the ratio is defined
  aetr: Stats;
  aetr_by_mean_real_price: [number, number][]; // a sample of paths: (mean real price, AETR)
}

export interface Fiscal extends Identity {
  analysis: 'fiscal';
  command?: string;
  project: string;
  commodity: string;
  unit: string;
  price_level?: Num; // the commodity's long-run real price: progressivity's 1x
  investor_rate: Num;
  host_rate: Num;
  regimes: FiscalRegime[];
  differences: { a: string; b: string; state_npv: Stats; investor_npv: Stats }[]; // a - b per path
}

export interface FundBand {
  deal: string;
  year: number;
  p5: Num;
  p25: Num;
  p50: Num;
  p75: Num;
  p95: Num;
}

export interface CapRow {
  deal: string;
  year: number;
  cap_reached_probability: Num;
}

// A sample of the paths (at most report_path_sample of them): each deal's host and partner
// value on each sampled path, in the order of `path`.
export interface PathSample {
  path: number[];
  values: Record<string, { host_value: Num[]; partner_value: Num[] }>;
}

export interface ResultsDocument {
  nadra_results: 1;
  generated: string;
  reproduce: string | null; // the command line that makes the run again
  summary: Summary | null;
  terms: Terms | null;
  fund_bands: FundBand[] | null;
  cap_curve: CapRow[] | null;
  paths: PathSample | null;
  analyses: {
    sweep?: Sweep;
    breakeven?: Breakeven;
    tornado?: Tornado;
    sobol?: Sobol;
    fiscal?: Fiscal;
  };
}
