// The report: renderReport(container, doc) draws every section and chart of a results document
// into `container`; renderRunSections(container, doc, ids) only some of a run's sections (the
// live page, after each of its runs). Each call first clears what an earlier one drew into the
// container (and finalizes its charts' views), so a page may call them again with new documents.
import embed, { type Result } from 'vega-embed';
import type { ResultsDocument, Identity } from '../document';
import { type Chart, type Spec } from '../charts/base';
import { fundChart, yearsChart } from '../charts/fans';
import { capChart, sourcesChart } from '../charts/cap';
import { gainsChart, valueChart } from '../charts/values';
import { scatterChart } from '../charts/scatter';
import { chanceLevel, correlationChart, orderAgreement, spreadChart } from '../charts/judgement';
import { sweepAxisChart, sweepChart } from '../charts/sweep';
import { sobolChart, sobolRows, tornadoChart } from '../charts/sensitivity';
import { DASH, digitsGrouped } from '../format';
import { el, note } from '../html';
import { type RunView, runView } from '../run';
import { gainsSection, minesSection, resultsSection, termsSection } from './run';
import { fiscalBase, fiscalFutures, fiscalIntro, fiscalTakes, projectsTable } from './fiscal';
import { aetrScatterChart, projectsProgressivityChart, regimesProgressivityChart, takeSpreadChart } from '../charts/fiscal';
import { assumptionsSection } from './assumptions';
import { breakevenSection, dealOf, sobolSection, sweepIntro, sweepTables, sweepView, tornadoSection } from './analyses';

declare const NADRA_LIBRARIES: string; // "vega 6.4.0, vega-lite 6.4.1, vega-embed 7.3.0"
declare const NADRA_LICENCES: string;

interface Drawing {
  views: Result[];
  replaced: boolean; // a newer drawing took the container: views still being made are dropped
}
const drawings = new WeakMap<HTMLElement, Drawing>();

// A section that holds a chart: its heading, note, and the element the chart is drawn into.
function chartSection(name: string, chart: Chart, attributes: Record<string, string> = {}, ...before: (HTMLElement | null)[]): HTMLElement {
  const section = el('section', { ...attributes, class: 'chart', 'data-chart': name }, before, note(chart.note), el('div', { class: 'vega' }));
  charts.set(section, chart.spec);
  return section;
}
const charts = new WeakMap<HTMLElement, Spec | null>();

function section(id: string, title: string, ...children: (HTMLElement | HTMLElement[] | null)[]): HTMLElement {
  return el('section', { id }, el('h2', {}, title), ...children);
}

function identityOf(doc: ResultsDocument): Identity | null {
  if (doc.summary) return doc.summary;
  const a = doc.analyses;
  return a.sweep ?? a.breakeven ?? a.tornado ?? a.sobol ?? a.fiscal ?? null;
}

function header(doc: ResultsDocument, id: Identity, run: RunView | null): HTMLElement {
  const rows: [string, Node | string][] = [['Scenario', id.scenario]];
  if (run) rows.push(['Deals', run.deals.join(', ')]);
  const analyses = (['sweep', 'breakeven', 'tornado', 'sobol'] as const)
    .map((name) => doc.analyses[name])
    .filter((a) => a !== undefined)
    .map((a) => `${a.analysis} of ${dealOf(a)} against ${a.baseline}`);
  const fiscal = doc.analyses.fiscal;
  if (fiscal) analyses.push(`fiscal: ${fiscal.project} under ${fiscal.regimes.map((r) => r.name).join(', ')}`);
  if (analyses.length > 0) rows.push(['Analyses', analyses.join('; ')]);
  rows.push(
    ['Seed', String(id.seed)],
    ['Paths', digitsGrouped(id.paths)],
    ['Years', `${id.start_year}${DASH}${id.start_year + id.horizon - 1} (${id.horizon} years)`],
    ['nadra version', id.nadra_version],
    ['Scenario SHA-256', el('code', {}, id.scenario_sha256)],
    ['Report made', doc.generated],
  );
  if (run && doc.reproduce) rows.push(['Reproduce', el('code', {}, doc.reproduce)]);
  return el('dl', { class: 'run' }, rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));
}

function nav(links: [string, string][]): HTMLElement {
  return el('nav', {}, links.map(([id, text]) => el('a', { href: `#${id}` }, text)));
}

// A section of a run: the anchor its link goes to, the link's text, and how to draw it (only
// when asked: the live page draws a few of them).
interface RunPart {
  id: string;
  link: string;
  make: () => HTMLElement;
}

function scatterSection(doc: ResultsDocument, run: RunView): HTMLElement {
  const scatter = chartSection('scatter', scatterChart(run, doc.paths, true));
  // The switch between one scale across the panels and a scale of each panel's own.
  const own = el('input', { type: 'checkbox' }) as HTMLInputElement;
  own.addEventListener('change', () => redrawChart(scatter, scatterChart(run, doc.paths, !own.checked)));
  const toggle = doc.paths && run.deals.length > 1 ? el('label', { class: 'switch' }, own, ' each panel its own scale') : null;
  return el('section', { id: 'scatter-section' }, el('h2', { id: 'scatter' }, `Paired differences against ${run.reference}`), toggle, scatter);
}

function runParts(doc: ResultsDocument, run: RunView): RunPart[] {
  return [
    { id: 'gains', link: 'Who gains', make: () => section('gains', 'Does each side gain?', gainsSection(run), chartSection('gains', gainsChart(run))) },
    { id: 'assumptions', link: 'Assumptions', make: () => section('assumptions', 'Assumptions', assumptionsSection(run)) },
    { id: 'terms', link: 'Terms', make: () => section('terms', "The deals' terms", termsSection(run)) },
    {
      id: 'fund',
      link: 'Fund',
      make: () => chartSection('fund', fundChart(run, doc.fund_bands ?? []), { id: 'fund' }, el('h2', {}, "The fund's balance over time")),
    },
    { id: 'cap', link: 'Cap', make: () => chartSection('cap', capChart(run, doc.cap_curve ?? []), { id: 'cap' }, el('h2', {}, 'Reaching the cap')) },
    {
      id: 'years',
      link: 'Year by year',
      make: () => chartSection('years', yearsChart(run), { id: 'years' }, el('h2', {}, 'Contributions and distributions year by year')),
    },
    {
      id: 'sources',
      link: 'Sources',
      make: () => chartSection('sources', sourcesChart(run), { id: 'sources' }, el('h2', {}, 'Where the contributions come from')),
    },
    {
      id: 'values',
      link: 'Values',
      make: () =>
        section(
          'values',
          'What each deal is worth',
          chartSection('host_value', valueChart(run, 'host_value', 'host value'), {}, el('h3', {}, 'To the host')),
          chartSection('partner_value', valueChart(run, 'partner_value', 'partner value'), {}, el('h3', {}, 'To the partner')),
        ),
    },
    ...(run.summary.sample_inputs ? [{ id: 'judgement', link: 'Judgement', make: () => judgementSection(doc, run) }] : []),
    { id: 'scatter', link: 'Paired differences', make: () => scatterSection(doc, run) },
    {
      id: 'projects',
      link: 'Projects',
      make: () =>
        section(
          'projects',
          'Projects',
          note([
            "On base inputs and the base price path. Breakeven price: the constant real price (year-0 money) at which the project just earns the investor's hurdle rate. Investor's NPV at its hurdle rate; IRR after tax: the investor's, before tax: of the project's revenue less its costs; payback: the first year the investor's cumulative cash flow is no longer negative; effective royalty rate: the smallest share of a year's revenue the state takes; METR: the tax wedge on the real return of the project that just breaks even. Government take: all state revenue over the pre-tax net cash flow, undiscounted; AETR: the same ratio of present values at the host's rate. The last column: how the AETR moves as the price doubles from the commodity's long-run level (progressive where it rises). A superscript number points to a note below the table: why a measure is not defined, or what a take above 100% means.",
          ]),
          projectsTable(run),
          chartSection('progressivity', projectsProgressivityChart(run.summary.projects, run.width), {}, el('h3', {}, "How progressive each project's terms are")),
        ),
    },
    {
      id: 'mines',
      link: 'Mines built',
      make: () =>
        section(
          'mines',
          'Which mines get built',
          note([
            `The projects whose probability of starting construction by the horizon differs between a deal and ${run.reference} by at least a tenth of a percentage point, over the same paths: a deal changes it through the world it makes (a guarantee lowers the risk premium, and so the breakeven price an investor needs; its war ends sooner or later), through the fiscal terms it sets, or through a fund that co-invests (on its own terms, or lowering the risk investors price). Each cell: the share of paths on which the project has started by the horizon, and the median start year over those paths; "co-invested": the share of paths on which the deal's fund took its part. The largest differences come first.`,
          ]),
          minesSection(run),
        ),
    },
    {
      id: 'results',
      link: 'All results',
      make: () =>
        section(
          'results',
          'All results',
          note(['Every metric of every deal over the paths: the mean, its standard error (how far the mean may be from what infinitely many paths would give), and percentiles.']),
          resultsSection(run),
        ),
    },
  ];
}

// The run's sections, every one or those of `only` (in the report's order either way).
function runSections(doc: ResultsDocument, run: RunView, only?: readonly string[]): { links: [string, string][]; sections: HTMLElement[] } {
  const parts = runParts(doc, run).filter((p) => !only || only.includes(p.id));
  return { links: parts.map((p) => [p.id, p.link]), sections: parts.map((p) => p.make()) };
}

function analysisSections(doc: ResultsDocument, shown: Identity, width: number): { links: [string, string][]; sections: HTMLElement[] } {
  const links: [string, string][] = [];
  const sections: HTMLElement[] = [];
  const { sweep, breakeven, tornado, sobol, fiscal } = doc.analyses;
  if (sweep) {
    const s = sweepView(sweep);
    links.push(['sweep', 'Terms both accept']);
    sections.push(
      section(
        'sweep',
        'Which terms both sides accept',
        sweepIntro(sweep, s, shown),
        el('div', { class: 'pair' }, chartSection('sweep', sweepChart(sweep, s, width)), chartSection('sweep_axis', sweepAxisChart(sweep, s, width))),
        sweepTables(sweep, s),
      ),
    );
  }
  if (breakeven) {
    links.push(['breakeven', 'Indifference']);
    sections.push(section('breakeven', 'Where each side is indifferent', breakevenSection(breakeven, shown)));
  }
  if (tornado) {
    links.push(['tornado', 'Tornado']);
    const t = tornadoSection(tornado, shown);
    const spec = tornadoChart(tornado, t.rows, width);
    const chart: Chart = { spec, note: spec ? [] : ['No bar has finite values to draw.'] };
    const part = chartSection('tornado', chart, { id: 'tornado' }, el('h2', {}, 'Which assumptions move the answer'), ...t.intro);
    part.append(...t.table);
    sections.push(part);
  }
  if (sobol) {
    links.push(['sobol', 'Sobol indices']);
    const s = sobolSection(sobol, shown);
    const spec = sobolChart(sobolRows(sobol), width);
    const chart: Chart = { spec, note: spec ? [] : ['No index is finite: nothing to draw.'] };
    const part = chartSection('sobol', chart, { id: 'sobol' }, el('h2', {}, 'Sobol indices: where the uncertainty comes from'), ...s.intro);
    part.append(...s.table);
    sections.push(part);
  }
  if (fiscal) {
    links.push(['fiscal', 'Fiscal regimes']);
    sections.push(
      section(
        'fiscal',
        `${fiscal.project} under each fiscal regime`,
        ...fiscalIntro(fiscal, shown),
        el('h3', {}, 'On the base case: what the state gets, what the investor keeps'),
        ...fiscalBase(fiscal),
        chartSection('fiscal_progressivity', regimesProgressivityChart(fiscal, width), {}, el('h3', {}, 'How progressive each regime is')),
        el('h3', {}, 'Over the futures'),
        ...fiscalFutures(fiscal),
        el('h3', {}, "How the state's take spreads over the futures"),
        ...fiscalTakes(fiscal),
        chartSection('fiscal_spread', takeSpreadChart(fiscal, width)),
        chartSection('fiscal_scatter', aetrScatterChart(fiscal, width), {}, el('h3', {}, 'AETR against the price, path by path')),
      ),
    );
  }
  return { links, sections };
}

function lede(doc: ResultsDocument): string {
  const a = doc.analyses;
  if (!doc.summary && a.fiscal && !a.sweep && !a.breakeven && !a.tornado && !a.sobol)
    return `What a project yields to the state and to its investor under each fiscal regime, on the base case and over many sampled futures (commodity prices, the war's end and renewal, when the project starts). Every regime runs on the same futures, so differences between regimes are paired path by path. Money is in US dollars of year 0, as net present values.`;
  return "What each draft of the deal is worth to each side, over many sampled futures (commodity prices, the war's end and renewal, which deposits get built). Every deal runs on the same futures, so differences between deals are paired path by path. Money is in US dollars: values are net present values, fund balances and contributions are in money of the year.";
}

// Who made the page, and the charting libraries it carries with their licences.
// `carrier`: what holds the libraries, "this file" for a report, "the page nadra serves" live.
export function footer(version: string, carrier = 'this file'): HTMLElement {
  return el(
    'footer',
    {},
    `Made by nadra ${version}. Charts drawn in the page by ${NADRA_LIBRARIES}, carried in ${carrier}: it needs no network.`,
    el('details', {}, el('summary', {}, 'Licences of the charting libraries'), el('pre', {}, NADRA_LICENCES)),
  );
}

let current: Drawing | undefined;

async function drawChart(section: HTMLElement, spec: Spec | null, drawing: Drawing): Promise<void> {
  if (!spec) {
    section.dataset.marks = 'omitted';
    return;
  }
  const target = section.querySelector('.vega') as HTMLElement;
  const result = await embed(target, spec as never, { renderer: 'svg', actions: false });
  if (drawing.replaced) return result.finalize();
  drawing.views.push(result);
  section.dataset.marks = String(target.querySelectorAll('svg .role-mark > *').length);
}

// With input sets (MODEL.md 4.3): the two spreads side by side, and which sampled inputs move a
// deal's gains (a switch picks the deal), compared with the tornado's order where the folder has
// a tornado of the same deal and gain.
function judgementSection(doc: ResultsDocument, run: RunView): HTMLElement {
  const c = run.summary.input_correlations;
  const deals = run.deals.filter((d) => d !== run.reference);
  const first = deals.includes('v5') ? 'v5' : (deals[0] ?? '');
  const parts: (HTMLElement | null)[] = [chartSection('spreads', spreadChart(run))];
  if (c && first) {
    const correlations = chartSection('correlations', correlationChart(run, first));
    const pick = el('select', {}, deals.map((d) => el('option', d === first ? { value: d, selected: 'selected' } : { value: d }, d))) as HTMLSelectElement;
    pick.addEventListener('change', () => redrawChart(correlations, correlationChart(run, pick.value)));
    parts.push(el('label', { class: 'switch' }, 'deal: ', pick), correlations);
    const t = doc.analyses.tornado;
    const metric = t?.output === 'host_gain' || t?.output === 'partner_gain' ? t.output : null;
    if (t?.deal && metric && deals.includes(t.deal)) {
      const most = 5;
      const tornadoDeal = t.deal;
      const a = orderAgreement(c.rows, tornadoDeal, metric, t.bars.map((b) => b.inputs.map((i) => i.key)), most);
      const words = metric === 'host_gain' ? 'host gain' : 'partner gain';
      parts.push(
        note([
          `Against the tornado of ${tornadoDeal}'s ${words}: of its ${a.compared} widest bars, ${a.shared} hold one of the ${most} inputs most correlated with that gain here. ${
            a.shared >= Math.ceil(a.compared * 0.6)
              ? 'The two orders agree, as they should where the gain is near-additive in the inputs.'
              : "The two orders differ: the tornado swings one input end to end with the others at their values, the correlations average over all of them drawn, so an input that acts through others (a term that binds only at high prices, a war that must last for a lock to matter) ranks differently; trust neither order alone. With few sets the correlations are noisy too (within chance below |rho| " +
                chanceLevel(run.summary.sample_inputs ?? 0).toFixed(2) +
                ').'
          }`,
        ]),
      );
    }
  }
  return section('judgement', 'Judgement as well as chance', ...parts);
}

function redrawChart(section: HTMLElement, chart: Chart): void {
  const noteElement = section.querySelector('p.note');
  if (noteElement) noteElement.replaceWith(note(chart.note));
  const target = section.querySelector('.vega') as HTMLElement;
  target.replaceChildren();
  if (current) void drawChart(section, chart.spec, current).catch((e: unknown) => console.error('a chart failed:', e));
}

// Clears what an earlier call drew into `container` (finalizing its charts' views) and starts a
// new drawing there.
function begin(container: HTMLElement): Drawing {
  const previous = drawings.get(container);
  if (previous) {
    previous.replaced = true;
    for (const view of previous.views) view.finalize();
  }
  const drawing: Drawing = { views: [], replaced: false };
  drawings.set(container, drawing);
  current = drawing;
  container.replaceChildren();
  document.body.dataset.rendered = 'pending';
  return drawing;
}

// Draws every chart placed in `container`; marks document.body with data-rendered="ok" (or
// "error") once they are drawn, unless a newer drawing has taken the container meanwhile.
function drawCharts(container: HTMLElement, drawing: Drawing): Promise<void> {
  const sections = [...container.querySelectorAll<HTMLElement>('[data-chart]')];
  return Promise.all(sections.map((s) => drawChart(s, charts.get(s) ?? null, drawing))).then(
    () => {
      if (drawing.replaced) return;
      const failed = (document.getElementById('errors')?.children.length ?? 0) > 0;
      document.body.dataset.rendered = failed ? 'error' : 'ok';
    },
    (e: unknown) => {
      console.error('a chart failed:', e);
      document.body.dataset.rendered = 'error';
    },
  );
}

const chartWidth = (container: HTMLElement) => Math.max(480, (container.clientWidth || 1200) - 8);

// Draws the report of `doc` into `container`, replacing what was there. Resolves once every chart
// is drawn; marks document.body with data-rendered="ok" (or "error").
export function renderReport(container: HTMLElement, doc: ResultsDocument): Promise<void> {
  const drawing = begin(container);
  const width = chartWidth(container);
  const run = runView(doc, width);
  const shown = identityOf(doc);
  if (!shown) {
    container.append(note(['This results document has neither a run nor an analysis.']));
    document.body.dataset.rendered = 'ok';
    return Promise.resolve();
  }
  document.title = `nadra: ${shown.scenario}`;
  const parts = run ? runSections(doc, run) : { links: [], sections: [] };
  const analyses = analysisSections(doc, shown, width);
  container.append(
    el(
      'header',
      {},
      el('h1', {}, `nadra: ${shown.scenario}`),
      el(
        'p',
        { class: 'lede' },
        lede(doc),
      ),
      header(doc, shown, run),
    ),
    nav([...parts.links, ...analyses.links]),
    ...parts.sections,
    ...analyses.sections,
    footer(shown.nadra_version),
  );
  return drawCharts(container, drawing);
}

// Draws only the run's sections named in `ids` ('gains', 'fund', 'values', ...: the anchors of
// the report's contents), in the report's order and as the report draws them: the live page shows
// this part of the report after each run. Replaces what was there; resolves as renderReport does.
export function renderRunSections(container: HTMLElement, doc: ResultsDocument, ids: readonly string[]): Promise<void> {
  const drawing = begin(container);
  const run = runView(doc, chartWidth(container));
  if (!run) {
    container.append(note(['This results document has no run.']));
    document.body.dataset.rendered = 'ok';
    return Promise.resolve();
  }
  container.append(...runSections(doc, run, ids).sections);
  return drawCharts(container, drawing);
}
