// What the page shows of a run: each side's value against the baseline, with its standard
// error, and small charts drawn as SVG (the report's charts take over at the merge with the
// report front-end: web/src/report/render.ts).
import type { Stats, Summary } from "./api";

const svgNs = "http://www.w3.org/2000/svg";

// "$ 12.3 bn", "−$ 450 m": three significant digits, as the report writes money.
export function money(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return "–";
  const sign = usd < 0 ? "−" : "";
  const a = Math.abs(usd);
  const [value, unit] = a >= 1e9 ? [a / 1e9, " bn"] : a >= 1e6 ? [a / 1e6, " m"] : [a, ""];
  return `${sign}$ ${Number(value.toPrecision(3))}${unit}`;
}

// The figures the page shows: for each side, the mean gain against the baseline (summary.json's
// gains: the deal's value less the baseline's, path by path) and its standard error, money only
// and with in-kind support valued.
export const figures: { metric: string; label: string }[] = [
  { metric: "host_value", label: "Host, money" },
  { metric: "partner_value", label: "Partner, money" },
  { metric: "host_total_value", label: "Host, with support valued" },
  { metric: "partner_net_value", label: "Partner, net of support's cost" },
];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const e = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

// The table of figures and a bar chart of them (mean ± 2 standard errors).
export function renderFigures(root: HTMLElement, summary: Summary, deal: string): void {
  root.replaceChildren();
  const gain = summary.gains.find((g) => g.deal === deal);
  if (!gain) {
    root.append(el("p", {}, `No gains for ${deal}: it is the baseline.`));
    return;
  }
  const table = el("table", { class: "figures" });
  const head = el("tr");
  for (const h of ["", `Value against ${gain.baseline}`, "± standard error"]) head.append(el("th", {}, h));
  table.append(head);
  const shown: { label: string; stats: Stats }[] = [];
  for (const f of figures) {
    const stats = gain.metrics[f.metric];
    if (!stats) continue;
    shown.push({ label: f.label, stats });
    const row = el("tr", { "data-metric": f.metric });
    row.append(el("th", {}, f.label));
    row.append(el("td", { class: "mean", "data-value": String(stats.mean) }, money(stats.mean)));
    row.append(el("td", { class: "sem", "data-value": String(stats.sem) }, money(stats.sem)));
    table.append(row);
  }
  root.append(table);
  root.append(barChart(shown));
}

function barChart(rows: { label: string; stats: Stats }[]): SVGElement {
  const width = 520, rowHeight = 30, left = 190, right = 20;
  const height = rows.length * rowHeight + 24;
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "bars", role: "img" });
  const ends = rows.flatMap((r) => [(r.stats.mean ?? 0) - 2 * (r.stats.sem ?? 0), (r.stats.mean ?? 0) + 2 * (r.stats.sem ?? 0), 0]);
  let lo = Math.min(...ends), hi = Math.max(...ends);
  if (hi - lo < 1) hi = lo + 1;
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * (width - left - right);
  chart.append(svg("line", { x1: x(0), x2: x(0), y1: 0, y2: height - 18, class: "zero" }));
  rows.forEach((r, i) => {
    const y = i * rowHeight + 6;
    const mean = r.stats.mean ?? 0, sem = r.stats.sem ?? 0;
    const label = svg("text", { x: left - 8, y: y + 14, "text-anchor": "end" });
    label.textContent = r.label;
    chart.append(label);
    chart.append(svg("rect", { x: Math.min(x(0), x(mean)), y, width: Math.abs(x(mean) - x(0)), height: 18, class: mean >= 0 ? "gain" : "loss" }));
    chart.append(svg("line", { x1: x(mean - 2 * sem), x2: x(mean + 2 * sem), y1: y + 9, y2: y + 9, class: "error" }));
  });
  const axis = svg("text", { x: left, y: height - 4 });
  axis.textContent = `${money(lo)} to ${money(hi)} · bar: mean · line: ± 2 s.e.`;
  chart.append(axis);
  return chart;
}

// The fund's balance by year: median and the 5-95% band.
export function renderFund(root: HTMLElement, summary: Summary, deal: string): void {
  root.replaceChildren();
  const d = summary.deals.find((x) => x.name === deal);
  if (!d) return;
  const years = Object.keys(d.fund_balance_by_year);
  // Every key of the record has its value: Object.keys gave them.
  const stats = years.map((y) => d.fund_balance_by_year[y]).filter((s) => s !== undefined);
  const width = 520, height = 160, left = 60, bottom = 20;
  const values = stats.flatMap((s) => [s.p5 ?? 0, s.p95 ?? 0]);
  const hi = Math.max(1, ...values), lo = Math.min(0, ...values);
  const x = (i: number) => left + (i / Math.max(1, years.length - 1)) * (width - left - 10);
  const y = (v: number) => (height - bottom) - ((v - lo) / (hi - lo)) * (height - bottom - 10);
  const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "fund", role: "img" });
  const band = stats.map((s, i) => `${x(i)},${y(s.p95 ?? 0)}`).concat(stats.map((s, i) => `${x(i)},${y(s.p5 ?? 0)}`).reverse());
  chart.append(svg("polygon", { points: band.join(" "), class: "band" }));
  chart.append(svg("polyline", { points: stats.map((s, i) => `${x(i)},${y(s.p50 ?? 0)}`).join(" "), class: "median" }));
  const top = svg("text", { x: 4, y: 14 });
  top.textContent = money(hi);
  const first = svg("text", { x: left, y: height - 4 });
  first.textContent = years[0] ?? "";
  const last = svg("text", { x: width - 10, y: height - 4, "text-anchor": "end" });
  last.textContent = years[years.length - 1] ?? "";
  chart.append(top, first, last);
  root.append(el("h3", {}, "Fund balance (median, 5–95%)"), chart);
}
