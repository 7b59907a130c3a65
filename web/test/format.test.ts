// The numbers a reader sees: the same rules as the report always had (three significant digits
// for money, U+2212 minus signs, a dash for an undefined number).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bn, digitsGrouped, formatMoney, formatPercent, formatPrice, formatTerm, formatYear, startYearText } from '../src/format';
import { keyLabel, factorLabel } from '../src/labels';
import { expectedSupport, scheduledTotal, warLasts } from '../src/support';

test('money has three significant digits and a unit', () => {
  assert.equal(formatMoney(12.34e9), '$ 12.3 bn');
  assert.equal(formatMoney(512.4e9), '$ 512 bn');
  assert.equal(formatMoney(1.234e9), '$ 1.23 bn');
  assert.equal(formatMoney(999.99e9), '$ 1.00 tn');
  assert.equal(formatMoney(-450e6), '\u2212$ 450 m');
  assert.equal(formatMoney(45_600), '$ 45,600');
  assert.equal(formatMoney(0), '$ 0');
  assert.equal(formatMoney(0.2e9), '$ 200 m');
  assert.equal(formatMoney(Number.NaN), '\u2013');
  assert.equal(formatMoney(null), '\u2013');
});

test('percentages keep two significant digits down to a hundredth of a percent', () => {
  assert.equal(formatPercent(0.45), '45%');
  assert.equal(formatPercent(0.045), '4.5%');
  assert.equal(formatPercent(0.0012), '0.12%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(-0.2), '\u221220%');
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.00001), '0%');
});

test('years, prices, terms and groups of digits', () => {
  assert.equal(formatYear(2061), '2061');
  assert.equal(formatYear(null), '\u2013');
  assert.equal(digitsGrouped(1234567), '1,234,567');
  assert.equal(digitsGrouped(-1000), '\u22121,000');
  assert.equal(formatPrice(13284.03), '13,284');
  assert.equal(formatPrice(72.44), '72.4');
  assert.equal(formatPrice(null), 'never economic');
  assert.equal(formatTerm(0.045), '0.045');
  assert.equal(formatTerm(12.5), '12.5');
  assert.equal(formatTerm(2500), '2,500');
  assert.equal(formatTerm(5e8), '$ 500 m');
  assert.equal(startYearText(2052.5), '2052.5');
  assert.equal(startYearText(2039), '2039');
  assert.equal(startYearText(null), 'never');
  assert.equal(bn(1234567890), 1.235);
  assert.equal(bn(null), null);
});

test('key paths read as words', () => {
  assert.equal(keyLabel('world.regions.*.war_disruption', 7), 'output lost in war, 7 regions');
  assert.equal(keyLabel('world.regions.poltava.war_disruption'), 'output lost in war, poltava');
  assert.equal(keyLabel('world.commodities.gas.level'), 'gas long-run price');
  assert.equal(keyLabel('world.host.discount_rate'), "host's discount rate");
  assert.equal(keyLabel('deals.no_deal.world_modifiers.end_hazard_multiplier'), 'no_deal: effect on the war ending');
  assert.equal(keyLabel('world.projects.*.viability', 30), 'chance a project is viable, 30 projects');
  assert.equal(keyLabel('world.something_new'), 'something new');
  const input = { key: 'world.conflict.end_hazard', value: 0.1, low: 0.05, high: 0.2 };
  assert.equal(factorLabel({ factor: input.key, inputs: [input] }), 'chance a year that the war ends');
  assert.equal(factorLabel({ factor: input.key, inputs: [{ ...input, label: 'peace soon' }] }), 'peace soon');
});

test('in-kind support counts as its expected amount', () => {
  // 10 a year for 3 years, then nothing; support goes on after each year with p = 0.5:
  // 10 + 5 + 2.5 expected, 30 at most.
  assert.equal(scheduledTotal([10, 10, 10, 0], 10), 30);
  const e = expectedSupport([0], [10, 10, 10, 0], 0.5, 10);
  assert.equal(e.inKind, 17.5);
  assert.equal(e.cash, 0);
  // p = 1: the schedule's total.
  assert.equal(expectedSupport([1], [2], 1, 5).inKind, 10);
  assert.equal(expectedSupport([1], [2], 1, 5).cash, 5);
});

test('the odds that a war lasts', () => {
  // A 20% chance a year that it ends: 0.8^5 after five years.
  assert.ok(Math.abs(warLasts([0.2], 5) - 0.32768) < 1e-12);
  assert.equal(warLasts([0.2], 0), 1);
  // The last value repeats.
  assert.ok(Math.abs(warLasts([0, 0.5], 3) - 0.25) < 1e-12);
});
