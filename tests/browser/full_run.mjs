// The live page's full run after a preview (issue 17): `nadra serve --paths 40000` makes the
// full size larger than the preview's 10^4 paths. After a move of the share slider the page must
// show the preview's figures first, then the progress of the full run in the background (the
// preview's figures still shown), then the full run's figures, which equal `nadra run --set ...
// --paths 40000` with the same seed to the last digit. A recorder in the page notes every change
// of its state, so that no step can pass unseen between two polls. Screenshot:
// BUILD/live-full-run.png.
//
//   node full_run.mjs NADRA_BINARY WEB_DIR BUILD_DIR [BROWSER]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strict as assert } from "node:assert";
import { figures, launchBrowser, nadraRunGains, startServer, waitShown } from "./serve.mjs";

const [binary, webDir, buildDir, browserArg] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "nadra-full-run-"));
const fullPaths = 40_000;
const share = ["deals.v5.share=0.3"];

// In the page, before its code runs: each change of the page's state, status or progress, with
// the host's gain then shown.
function recordTimeline() {
  window.timeline = [];
  const note = () => {
    const root = document.getElementById("live");
    const status = document.getElementById("status");
    const bar = document.getElementById("progress");
    if (!root || !status || !bar) return;
    const host = document.querySelector('#figures table.gains tr[data-deal] td[data-metric="host_value"]');
    const entry = {
      state: root.dataset.state ?? "",
      status: status.textContent,
      paths: status.dataset.paths ?? "",
      set: status.dataset.set ?? "",
      progress: bar.value,
      barShown: getComputedStyle(bar).visibility === "visible",
      host: host ? host.dataset.mean : "",
    };
    const last = window.timeline[window.timeline.length - 1];
    if (!last || Object.keys(entry).some((k) => last[k] !== entry[k])) window.timeline.push(entry);
  };
  new MutationObserver(note).observe(document, {
    subtree: true, attributes: true, attributeFilter: ["data-state", "data-paths", "data-set", "value"],
  });
}

const started = Date.now();
const { server, url } = await startServer(binary, ["--paths", String(fullPaths)]);
const browser = await launchBrowser(webDir, browserArg);
let failed = false;
try {
  const scenario = await (await fetch(url + "api/scenario")).json();
  assert.equal(scenario.paths, fullPaths, "--paths sets the full run's size");
  assert.equal(scenario.preview_paths, 10_000);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(recordTimeline);
  await page.goto(url);
  await waitShown(page, []);
  assert.equal(await page.$eval("#status", (s) => s.dataset.paths), String(fullPaths), "the first full run is shown");

  await page.evaluate(() => (window.timeline = []));
  const slider = page.locator("#term-share");
  await slider.focus();
  for (let i = 0; i < 20; ++i) await page.keyboard.press("ArrowLeft");
  assert.equal(await slider.inputValue(), "0.3");
  // A look at the page while the full run goes on (not checked here: the timeline is).
  await page
    .waitForFunction(() => document.getElementById("status").textContent.startsWith("Full run"), null, { timeout: 60_000, polling: 20 })
    .then(() => page.screenshot({ path: join(buildDir, "live-full-run.png"), fullPage: true }))
    .catch(() => console.log("(the full run ended before a screenshot of it)"));
  await waitShown(page, share);
  const shown = await figures(page);
  const timeline = await page.evaluate(() => window.timeline);
  const sets = JSON.stringify(share);

  // 1. The preview's figures, at 10^4 paths.
  const preview = timeline.findIndex((e) => e.state === "preview" && e.set === sets);
  assert.ok(preview >= 0, `the preview is shown: ${JSON.stringify(timeline)}`);
  assert.equal(timeline[preview].paths, String(scenario.preview_paths));
  const previewHost = timeline[preview].host;
  assert.ok(previewHost !== "" && Number.isFinite(Number(previewHost)));
  // 2. Then the full run's progress, the preview's figures still shown.
  const full = timeline.findIndex((e, i) => i > preview && e.state === "running");
  assert.ok(full > preview, `the full run starts after the preview: ${JSON.stringify(timeline)}`);
  assert.match(timeline[full].status, /^Full run: 40,000 paths/);
  assert.ok(timeline[full].barShown, "the progress bar shows while the full run goes on");
  const done = timeline.findIndex((e, i) => i > full && e.state === "done");
  assert.ok(done > full, `the full run ends: ${JSON.stringify(timeline)}`);
  const during = timeline.slice(full, done);
  for (const e of during) {
    assert.equal(e.state, "running", "nothing else is shown before the full run ends");
    assert.equal(e.host, previewHost, "the preview's figures stay while the full run goes on");
    assert.ok(e.barShown && e.progress >= 0 && e.progress <= 1);
  }
  for (let i = 1; i < during.length; ++i) assert.ok(during[i].progress >= during[i - 1].progress, "progress never goes back");
  // 3. The full run's figures, as `nadra run` gives them.
  assert.equal(timeline[done].paths, String(fullPaths));
  assert.ok(!timeline[done].barShown, "the progress bar hides when the run is done");
  assert.notEqual(shown.host_value.mean, Number(previewHost), "the full run's figures replace the preview's");
  const gains = nadraRunGains(binary, work, {
    sets: share, paths: fullPaths, seed: scenario.seed, deals: [scenario.baseline, "v5"], deal: "v5",
  });
  for (const [metric, value] of Object.entries(shown)) {
    assert.equal(value.mean, gains[metric].mean, `${metric} mean`);
    assert.equal(value.sem, gains[metric].sem, `${metric} standard error`);
  }
  assert.deepEqual(errors, [], "no script errors on the page");
  const intermediate = during.filter((e) => e.progress > 0 && e.progress < 1).length;
  console.log(`full run: preview (10,000 paths), then the full run's progress (${during.length} steps, ` +
    `${intermediate} between 0 and 1), then its figures = nadra run --paths ${fullPaths}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
