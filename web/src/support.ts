// In-kind support as its expected amount: the schedule's years are reached only while support
// goes on, and after each year with support it goes on with the continuation probability
// (MODEL.md 4.2), so year t's amount counts with p^(years with support before t).
import type { Num } from './document';
import { isNum } from './format';

function at(list: Num[], t: number): number {
  if (list.length === 0) return 0;
  const v = list[Math.min(t, list.length - 1)];
  return isNum(v) ? v : 0;
}

// A per-year list's total over the horizon (the last value repeats): the schedule's maximum.
export function scheduledTotal(list: Num[], horizon: number): number {
  let total = 0;
  for (let t = 0; t < horizon; ++t) total += at(list, t);
  return total;
}

// The expected totals of cash and in-kind support over the horizon.
export function expectedSupport(cash: Num[], inKind: Num[], continuation: Num, horizon: number): { cash: number; inKind: number } {
  const p = isNum(continuation) ? continuation : 1;
  let going = 1; // the probability that support is still going in year t
  let expectedCash = 0;
  let expectedInKind = 0;
  for (let t = 0; t < horizon; ++t) {
    const c = at(cash, t);
    const k = at(inKind, t);
    expectedCash += going * c;
    expectedInKind += going * k;
    if (c + k > 0) going *= p;
  }
  return { cash: expectedCash, inKind: expectedInKind };
}

// The probability that a war goes on for `years` years (or more), with a yearly chance of ending
// `hazard` (a per-year list, the last value repeating).
export function warLasts(hazard: Num[], years: number): number {
  let going = 1;
  for (let t = 0; t < years; ++t) going *= 1 - at(hazard, t);
  return going;
}
