// The live page as a person uses it (issue 17): Playwright drives Debian's headless Chromium
// against `nadra serve` on loopback. It moves the share slider with the keyboard, waits for the
// figures to redraw, checks them against `nadra run --set` with the same seed and paths to the
// last digit, checks that the report's charts are drawn (gains, the fund's path, values), saves
// the variant, loads it back (same figures) and downloads the report. Screenshots go to
// BUILD/live-*.png for a person to look at.
//
//   node live_page.mjs NADRA_BINARY WEB_DIR BUILD_DIR [BROWSER]
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strict as assert } from "node:assert";
import { figures, launchBrowser, nadraRunGains, startServer, waitCharts, waitShown } from "./serve.mjs";

const [binary, webDir, buildDir, browserArg] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), "nadra-live-"));

// The charts the page drew from the report's code: chart name -> its marks (data-marks).
async function charts(page) {
  return page.$$eval("#figures [data-chart]", (sections) => Object.fromEntries(sections.map((s) => [s.dataset.chart, s.dataset.marks])));
}

const { server, url } = await startServer(binary);
const browser = await launchBrowser(webDir, browserArg);
let failed = false;
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await waitShown(page, []);
  const before = await figures(page);
  assert.ok(Number.isFinite(before.host_value.mean), "the page shows the host's gain");
  await waitCharts(page);
  const drawn = await charts(page);
  assert.deepEqual(Object.keys(drawn), ["gains", "fund", "host_value", "partner_value"], "the report's sections the page draws");
  for (const [name, marks] of Object.entries(drawn)) assert.ok(Number(marks) > 0, `the ${name} chart has marks (${marks})`);
  await page.screenshot({ path: join(buildDir, "live-start.png"), fullPage: true });

  // The share slider from 0.5 down to 0.3, one arrow key at a time, as a person would.
  const slider = page.locator("#term-share");
  assert.equal(await slider.inputValue(), "0.5");
  await slider.focus();
  for (let i = 0; i < 20; ++i) await page.keyboard.press("ArrowLeft");
  assert.equal(await slider.inputValue(), "0.3");
  await waitShown(page, ["deals.v5.share=0.3"]);
  const after = await figures(page);
  await waitCharts(page);
  await page.screenshot({ path: join(buildDir, "live-share-0.3.png"), fullPage: true });
  assert.notEqual(after.host_value.mean, before.host_value.mean, "the figures redrew");

  // The same run on the command line: every figure to the last digit.
  const paths = await page.$eval("#status", (s) => s.dataset.paths);
  const scenario = await (await fetch(url + "api/scenario")).json();
  const gains = nadraRunGains(binary, work, {
    sets: ["deals.v5.share=0.3"], paths, seed: scenario.seed, deals: [scenario.baseline, "v5"], deal: "v5",
  });
  assert.deepEqual(Object.keys(after).sort(), ["host_total_value", "host_value", "partner_net_value", "partner_value"]);
  for (const [metric, shown] of Object.entries(after)) {
    assert.equal(shown.mean, gains[metric].mean, `${metric} mean`);
    assert.equal(shown.sem, gains[metric].sem, `${metric} standard error`);
    assert.match(shown.shown, /\$/);
  }

  // Save the variant, then load it back: the same figures.
  const [saved] = await Promise.all([page.waitForEvent("download"), page.click("#save-variant")]);
  const variantFile = join(work, "v5-variant.toml");
  await saved.saveAs(variantFile);
  const variant = readFileSync(variantFile, "utf8");
  assert.match(variant, /^# changed from deal v5: share 0\.5 -> 0\.3/);
  await page.selectOption("#deal", "v4");
  await page.waitForFunction(() => document.getElementById("live").dataset.state === "done");
  await page.setInputFiles("#load-variant", variantFile);
  await waitShown(page, ["deals.v5.share=0.3"]);
  assert.equal(await page.inputValue("#deal"), "v5");
  assert.equal(await slider.inputValue(), "0.3");
  assert.deepEqual(await figures(page), after, "a variant loaded back gives the same figures");

  const [report] = await Promise.all([page.waitForEvent("download"), page.click("#download-report")]);
  const reportFile = join(work, "report.html");
  await report.saveAs(reportFile);
  assert.match(readFileSync(reportFile, "utf8"), /<html/);
  await waitCharts(page);
  await page.screenshot({ path: join(buildDir, "live-variant-loaded.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script errors on the page");
  console.log("live page: slider, figures = nadra run, report's charts drawn, variant saved and loaded back, report downloaded");
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
