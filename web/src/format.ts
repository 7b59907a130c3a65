// Numbers for people, as the report writes them: "$ 12.3 bn", "−$ 450 m", "45%", "2061".
// Three significant digits for money; "–" for a number that is not defined. Negative signs are
// U+2212, so that a column of numbers lines up and a screen reader says "minus".

export const MINUS = '\u2212';
export const DASH = '\u2013';

type Maybe = number | null | undefined;

export function isNum(value: Maybe): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function signed(value: number, magnitude: string): string {
  return value < 0 ? MINUS + magnitude : magnitude;
}

// Thousands separated by commas: 1234567 -> "1,234,567".
export function digitsGrouped(value: number): string {
  const digits = String(Math.round(Math.abs(value)));
  return signed(value, digits.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

// Three significant digits of a positive number below 1000, never in exponent form.
export function threeDigits(value: number): string {
  const decimals = value >= 99.95 ? 0 : value >= 9.995 ? 1 : value >= 0.9995 ? 2 : 3;
  return value.toFixed(decimals);
}

export function formatMoney(usd: Maybe): string {
  if (!isNum(usd)) return DASH;
  const size = Math.abs(usd);
  if (size < 0.5) return '$ 0';
  let magnitude: string;
  if (size >= 999.95e9) magnitude = `$ ${threeDigits(size / 1e12)} tn`;
  else if (size >= 999.95e6) magnitude = `$ ${threeDigits(size / 1e9)} bn`;
  else if (size >= 999.95e3) magnitude = `$ ${threeDigits(size / 1e6)} m`;
  else magnitude = `$ ${digitsGrouped(size)}`;
  return signed(usd, magnitude);
}

export function formatPercent(fraction: Maybe): string {
  if (!isNum(fraction)) return DASH;
  const percent = Math.abs(fraction) * 100;
  if (percent < 0.005) return '0%';
  const decimals = percent >= 9.95 ? 0 : percent >= 0.995 ? 1 : 2;
  return signed(fraction, `${percent.toFixed(decimals)}%`);
}

export function formatYear(year: Maybe): string {
  return isNum(year) ? year.toFixed(0) : DASH;
}

// A commodity price in its own unit: whole units from 1,000 up, else three digits.
export function formatPrice(value: Maybe): string {
  if (!isNum(value)) return 'never economic';
  return Math.abs(value) >= 1000 ? digitsGrouped(value) : signed(value, threeDigits(Math.abs(value)));
}

// Four significant digits, without exponent or trailing zeros: 0.04500 -> "0.045".
function fourDigits(value: number): string {
  const text = value.toPrecision(4);
  return text.includes('e') ? String(Number(text)) : String(Number(text));
}

// A term's or an input's value: money from a million up, else four significant digits.
export function formatTerm(value: Maybe): string {
  if (!isNum(value)) return DASH;
  if (Math.abs(value) >= 1e6) return formatMoney(value);
  if (Math.abs(value) >= 1000) return digitsGrouped(value);
  return signed(value, fourDigits(Math.abs(value)));
}

// A standard error of a number of years.
export function formatYears(value: Maybe): string {
  return isNum(value) ? `${value.toFixed(1)} yr` : DASH;
}

// Dollars as billions for a chart, to the million: enough for a chart, and a sixth of the
// bytes of full precision.
export function bn(usd: Maybe): number | null {
  if (!isNum(usd)) return null;
  return Math.round((usd / 1e9) * 1000) / 1000;
}

// A median start year: a whole year, or half-way between two.
export function startYearText(year: Maybe): string {
  if (!isNum(year)) return 'never';
  return year === Math.floor(year) ? year.toFixed(0) : year.toFixed(1);
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

// "a, b and c"
export function listed(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
