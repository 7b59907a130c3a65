// The live page: pick a draft, move its terms, see each side's value against no deal and the
// fund's path, drawn by the report's own code (renderRunSections). Each change runs a preview at
// 10^4 paths at once; once it is shown and the terms have stopped moving, the full run at the
// scenario's paths (`nadra serve --paths`) goes on in the background, the preview shown until it
// is done. The page's newer run cancels its stale one (the server does, by page id).
import { footer, renderRunSections } from "../report/render";
import { ApiError, getRun, getScenario, postRun, postVariant, type ScenarioInfo } from "./api";
import { applies, controls, fullKey, parseValue, sameValue, scenarioValue, valueText, type Control, type TermValue } from "./terms";

const idleMs = 600; // the full run starts when the terms have not moved for this long
const pollMs = 100;
// The report's sections the page draws: each side's gain over the baseline (table and chart),
// the fund's balance over time, and what each deal is worth.
const sections = ["gains", "fund", "values"] as const;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ""): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

export async function startLive(root: HTMLElement): Promise<void> {
  const page = Math.random().toString(36).slice(2) + Date.now().toString(36);
  root.replaceChildren(el("p", {}, "Loading the scenario…"));
  let scenario: ScenarioInfo;
  try {
    scenario = await getScenario();
  } catch (e) {
    root.replaceChildren(el("p", { class: "error" }, `Cannot read the scenario: ${(e as Error).message}`));
    return;
  }
  const drafts = scenario.deals.filter((d) => d.name !== scenario.baseline);
  let deal = (drafts.find((d) => d.name === "v5") ?? drafts[0] ?? scenario.deals[0])?.name ?? "";
  let values = new Map<string, TermValue>();
  let extraSets: string[] = []; // sets of a loaded variant that no control shows
  let generation = 0;
  let idleTimer: number | undefined;
  let movedAt = 0; // when the terms last moved (ms)
  // The page's POSTs go one at a time, so that the server sees them in order: an older one
  // arriving late would cancel the newer run (the server cancels a page's earlier runs).
  let posting: Promise<void> = Promise.resolve();

  // Layout.
  const dealSelect = el("select", { id: "deal", "aria-label": "Draft" });
  for (const d of scenario.deals) dealSelect.append(el("option", { value: d.name }, d.name));
  const description = el("p", { class: "description" });
  const termsBox = el("div", { class: "terms" });
  const status = el("div", { class: "status", id: "status" });
  const bar = el("progress", { id: "progress", max: "1", value: "0" });
  const message = el("p", { class: "error", id: "message", role: "alert" });
  const figures = el("div", { id: "figures" });
  let made: HTMLElement = el("footer");
  const save = el("a", { id: "save-variant", class: "button disabled" }, "Save variant (.toml)");
  const report = el("a", { id: "download-report", class: "button disabled" }, "Download report");
  const load = el("input", { id: "load-variant", type: "file", accept: ".toml,text/plain" });
  const loadLabel = el("label", { class: "button" }, "Load variant…");
  loadLabel.append(load);
  root.replaceChildren(
    el("h1", {}, `nadra live: ${scenario.name}`),
    el("p", { class: "scenario" }, scenario.description),
    (() => {
      const bar1 = el("div", { class: "toolbar" });
      const label = el("label", {}, "Draft ");
      label.append(dealSelect);
      bar1.append(label, save, report, loadLabel);
      return bar1;
    })(),
    description,
    status,
    bar,
    message,
    el("div", { class: "columns" }, ""),
    made,
  );
  const columns = root.querySelector(".columns") as HTMLElement;
  const left = el("section", { class: "left" });
  left.append(el("h2", {}, "Terms"), termsBox);
  const right = el("section", { class: "right" });
  right.append(figures);
  columns.append(left, right);
  const fullSize = scenario.paths > scenario.preview_paths;

  const dealInfo = () => scenario.deals.find((d) => d.name === deal)!;
  const original = (key: string) => scenarioValue(dealInfo().terms, scenario.support_value, key);
  const current = (key: string) => (values.has(key) ? values.get(key) : original(key));

  // The sets of the page as it stands: one per control moved from the scenario's value, in the
  // controls' order, then a loaded variant's other sets.
  function sets(): string[] {
    const out: string[] = [];
    for (const c of controls) {
      if (!values.has(c.key) || !applies(c.key, current)) continue;
      const v = values.get(c.key)!;
      if (!sameValue(v, original(c.key))) out.push(`${fullKey(deal, c.key)}=${valueText(v)}`);
    }
    return out.concat(extraSets);
  }

  function control(c: Control): HTMLElement {
    const row = el("div", { class: "term", "data-key": c.key });
    const id = `term-${c.key.replace(/\./g, "-")}`;
    const label = el("label", { for: id }, c.label);
    const shown = el("output", { for: id });
    const value = current(c.key);
    const usable = value !== undefined && applies(c.key, current);
    row.append(label);
    const set = (v: TermValue) => {
      values.set(c.key, v);
      changed(c.key);
    };
    if (c.kind === "range") {
      const input = el("input", { id, type: "range", min: String(c.min), max: String(c.max), step: String(c.step) });
      input.value = String(typeof value === "number" ? value : c.min);
      shown.textContent = input.value;
      input.addEventListener("input", () => {
        shown.textContent = input.value;
        set(Number(input.value));
      });
      input.disabled = !usable;
      row.append(input, shown);
    } else if (c.kind === "number") {
      const first = Array.isArray(value) ? Number(value[0]) : value;
      const input = el("input", { id, type: "number", min: "0", step: "0.1" });
      input.value = typeof first === "number" ? String(first / c.scale) : "";
      input.placeholder = c.noneAllowed ? "none" : "";
      input.addEventListener("change", () => {
        const text = input.value.trim();
        if (text === "" && c.noneAllowed) return set(null);
        const dollars = Math.round(Number(text) * c.scale);
        if (!Number.isFinite(dollars)) return;
        set(c.list ? [dollars] : dollars);
      });
      input.disabled = !usable;
      row.append(input, el("span", { class: "unit" }, c.unit + (c.noneAllowed ? " (empty: none)" : "")));
    } else if (c.kind === "choice") {
      const select = el("select", { id });
      for (const o of c.options) select.append(el("option", { value: o }, o));
      select.value = String(value);
      select.addEventListener("change", () => set(select.value));
      select.disabled = !usable;
      row.append(select);
    } else if (c.kind === "flag") {
      const input = el("input", { id, type: "checkbox" });
      input.checked = value === true;
      input.addEventListener("change", () => set(input.checked));
      input.disabled = !usable;
      row.append(input);
    } else {
      const chosen = Array.isArray(value) ? value.map(String) : [];
      const box = el("span", { id, class: "items" });
      for (const o of c.options) {
        const l = el("label", {}, "");
        const input = el("input", { type: "checkbox", value: o });
        input.checked = chosen.length === 0 || chosen.includes(o);
        input.addEventListener("change", () => {
          const picked = [...box.querySelectorAll("input")].filter((i) => i.checked).map((i) => i.value);
          set(picked.length === c.options.length ? [] : picked);
        });
        l.append(input, document.createTextNode(" " + o));
        box.append(l);
      }
      row.append(box);
    }
    if (!usable) row.classList.add("off");
    return row;
  }

  function drawTerms(): void {
    description.textContent = dealInfo().description;
    termsBox.replaceChildren(...controls.map(control));
  }

  function changed(key: string): void {
    // A choice changes which other terms apply.
    if (key === "ownership" || key === "waterfall") drawTerms();
    run(scenario.preview_paths, true);
  }

  async function run(paths: number, preview: boolean): Promise<void> {
    const mine = ++generation;
    window.clearTimeout(idleTimer);
    if (preview) movedAt = Date.now();
    message.textContent = "";
    root.dataset.state = "running";
    bar.value = 0;
    status.textContent = preview
      ? `Preview: ${paths.toLocaleString("en")} paths…`
      : `Full run: ${paths.toLocaleString("en")} paths… (the preview at ${scenario.preview_paths.toLocaleString("en")} shown until it is done)`;
    const previous = posting;
    let posted = () => {};
    posting = new Promise<void>((resolve) => (posted = resolve));
    await previous;
    if (mine !== generation) return posted(); // a newer move came while waiting: only it is sent
    const request = { set: sets(), paths, seed: scenario.seed, deals: [scenario.baseline, deal].filter((d, i, a) => a.indexOf(d) === i), page };
    let id: string;
    try {
      id = await postRun(request);
    } catch (e) {
      if (mine !== generation) return;
      message.textContent = (e as ApiError).message;
      root.dataset.state = "failed";
      return;
    } finally {
      posted();
    }
    while (mine === generation) {
      const r = await getRun(id).catch((e: Error) => ({ state: "failed", error: e.message, progress: 0 }) as const);
      if (mine !== generation) return;
      bar.value = r.progress;
      if (r.state === "running") {
        await new Promise((resolve) => window.setTimeout(resolve, pollMs));
        continue;
      }
      if (r.state === "failed") {
        message.textContent = r.error ?? "the run failed";
        root.dataset.state = "failed";
        return;
      }
      const summary = r.summary!;
      void renderRunSections(figures, r.document!, sections);
      const credits = footer(r.document!.summary?.nadra_version ?? "", "the page nadra serves");
      made.replaceWith(credits);
      made = credits;
      status.textContent = `${summary.paths.toLocaleString("en")} paths, seed ${summary.seed}, run ${id}` +
        (request.set.length ? `; changed: ${request.set.join(", ")}` : "; the draft as the scenario has it");
      status.dataset.run = id;
      status.dataset.paths = String(summary.paths);
      status.dataset.set = JSON.stringify(request.set);
      save.href = `api/runs/${id}/variant.toml?deal=${encodeURIComponent(deal)}`;
      save.setAttribute("download", `${deal}-variant.toml`);
      report.href = `api/runs/${id}/report.html`;
      report.setAttribute("download", "report.html");
      save.classList.toggle("disabled", request.set.length === 0);
      report.classList.remove("disabled");
      root.dataset.state = preview && fullSize ? "preview" : "done";
      // The full run, once the terms have rested idleMs: a move meanwhile clears the timer.
      if (preview && fullSize) idleTimer = window.setTimeout(() => run(scenario.paths, false), Math.max(0, movedAt + idleMs - Date.now()));
      return;
    }
  }

  dealSelect.value = deal;
  dealSelect.addEventListener("change", () => {
    deal = dealSelect.value;
    values = new Map();
    extraSets = [];
    drawTerms();
    run(scenario.preview_paths, true);
  });
  load.addEventListener("change", async () => {
    const file = load.files?.[0];
    if (!file) return;
    try {
      const variant = await postVariant(await file.text());
      deal = variant.deal;
      dealSelect.value = deal;
      values = new Map();
      extraSets = [];
      for (const s of variant.set) {
        const at = s.indexOf("=");
        const key = s.slice(0, at), text = s.slice(at + 1);
        const c = controls.find((x) => fullKey(deal, x.key) === key);
        if (c) values.set(c.key, parseValue(text));
        else extraSets.push(s);
      }
      drawTerms();
      run(scenario.preview_paths, true);
    } catch (e) {
      message.textContent = `Cannot load ${file.name}: ${(e as Error).message}`;
    } finally {
      load.value = "";
    }
  });
  drawTerms();
  run(scenario.preview_paths, true);
}
