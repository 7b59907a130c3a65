// The terms a negotiator moves, each one control bound to a scenario key. A control that is left
// as the scenario has it adds no `set`, so an untouched page runs the scenario as it is.

export type Control =
  | { kind: "range"; key: string; label: string; min: number; max: number; step: number; scale?: number; unit?: string }
  | { kind: "number"; key: string; label: string; scale: number; unit: string; noneAllowed?: boolean; list?: boolean }
  | { kind: "choice"; key: string; label: string; options: string[] }
  | { kind: "flag"; key: string; label: string }
  | { kind: "items"; key: string; label: string; options: string[] };

// Keys relative to deals.NAME, except those starting "world." (the support weights).
export const controls: Control[] = [
  { kind: "range", key: "share", label: "Share of scoped revenue", min: 0, max: 1, step: 0.01 },
  { kind: "items", key: "scope.items", label: "Scope: revenue items", options: ["royalty", "licence_fee", "profit_share", "income_tax", "dividend"] },
  { kind: "items", key: "scope.licence_classes", label: "Scope: licence classes", options: ["new", "existing"] },
  { kind: "number", key: "cap", label: "Cap on contributions", scale: 1e9, unit: "US$ bn", noneAllowed: true },
  { kind: "range", key: "cap_growth_per_support", label: "Cap growth per $ of support", min: 0, max: 5, step: 0.1 },
  { kind: "range", key: "lock_years", label: "Lock (years without payouts)", min: 0, max: 40, step: 1 },
  { kind: "range", key: "payout_rate", label: "Payout rate after the lock", min: 0, max: 1, step: 0.05 },
  { kind: "choice", key: "ownership", label: "Ownership", options: ["fixed", "pro_rata"] },
  { kind: "range", key: "partner_share", label: "Partner's fixed share", min: 0, max: 1, step: 0.01 },
  { kind: "choice", key: "waterfall", label: "Waterfall", options: ["pro_rata", "partner_first"] },
  { kind: "range", key: "recoup_rate", label: "Recoup rate (partner first)", min: 0, max: 0.2, step: 0.005 },
  { kind: "flag", key: "security_guarantee", label: "Security guarantee" },
  { kind: "range", key: "co_invest.share", label: "Co-investment share", min: 0.01, max: 1, step: 0.01 },
  { kind: "number", key: "partner_support.in_kind", label: "In-kind support a year", scale: 1e9, unit: "US$ bn", list: true },
  { kind: "range", key: "partner_support.continuation_probability", label: "Support continues (yearly odds)", min: 0, max: 1, step: 0.05 },
  { kind: "range", key: "world.host.support_value", label: "Support weight: host's value of $1", min: 0, max: 2, step: 0.05 },
  { kind: "range", key: "world.partner.support_cost", label: "Support weight: partner's cost of $1", min: 0, max: 2, step: 0.05 },
];

// A term's value: a number, a string, a list, true/false, or null (none).
export type TermValue = number | string | boolean | null | (number | string)[];

// The value a term has in the scenario (terms as GET /api/scenario gives them).
export function scenarioValue(
  terms: Record<string, unknown>,
  weights: { host: number; partner_cost: number },
  key: string,
): TermValue | undefined {
  if (key === "world.host.support_value") return weights.host;
  if (key === "world.partner.support_cost") return weights.partner_cost;
  let at: unknown = terms;
  for (const part of key.split(".")) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at as TermValue | undefined;
}

// A control that does not apply to the deal as it stands: partner_share with pro-rata
// ownership, recoup_rate with a pro-rata waterfall, co_invest.share without co-investment.
export function applies(key: string, current: (key: string) => TermValue | undefined): boolean {
  if (key === "partner_share") return current("ownership") === "fixed";
  if (key === "recoup_rate") return current("waterfall") === "partner_first";
  if (key === "co_invest.share") return current("co_invest.share") !== undefined && current("co_invest.share") !== null;
  return true;
}

// A value as a `set` writes it (a TOML value): numbers in JavaScript's shortest form.
export function valueText(value: TermValue): string {
  if (value === null) return "none";
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v))).join(", ")}]`;
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

// A `set`'s value read back: JSON covers numbers, true/false, quoted strings and lists; a bare
// word (none) is itself.
export function parseValue(text: string): TermValue {
  if (text === "none") return null;
  try {
    return JSON.parse(text) as TermValue;
  } catch {
    return text;
  }
}

export function sameValue(a: TermValue | undefined, b: TermValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// The full key of a control for a deal.
export function fullKey(deal: string, key: string): string {
  return key.startsWith("world.") ? key : `deals.${deal}.${key}`;
}
