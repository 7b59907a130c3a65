// The live page as a person uses it (issue 17): Playwright (playwright-core from web/) drives
// Debian's headless Chromium against `nadra serve` on loopback. It moves the share slider with
// the keyboard, waits for the figures to redraw, checks them against `nadra run --set` with the
// same seed and paths to the last digit, saves the variant, loads it back (same figures) and
// downloads the report. Screenshots go to BUILD/live-*.png for a person to look at.
//
//   node live_page.mjs NADRA_BINARY WEB_DIR BUILD_DIR [BROWSER]
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { strict as assert } from "node:assert";

const [binary, webDir, buildDir, browserArg] = process.argv.slice(2);
const require = createRequire(resolve(webDir, "package.json"));
const { chromium } = require("playwright-core");
const browserPath = browserArg || process.env.NADRA_BROWSER || "/usr/bin/chromium-headless-shell";
const work = mkdtempSync(join(tmpdir(), "nadra-live-"));

function startServer() {
  return new Promise((resolve, reject) => {
    const server = spawn(binary, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    server.stdout.on("data", (chunk) => {
      text += chunk;
      const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ server, url: m[0] });
    });
    server.on("exit", (code) => reject(new Error(`nadra serve ended (${code}): ${text}`)));
  });
}

// The figures the page shows: metric -> {mean, sem} as the page holds them (data-value).
async function figures(page) {
  return page.$$eval("#figures tr[data-metric]", (rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.metric, {
      mean: Number(r.querySelector(".mean").dataset.value),
      sem: Number(r.querySelector(".sem").dataset.value),
      shown: r.querySelector(".mean").textContent,
    }])));
}

async function waitDone(page, sets) {
  try {
    await page.waitForFunction((expected) => {
      const root = document.getElementById("live");
      const status = document.getElementById("status");
      return root.dataset.state === "done" && status.dataset.set === expected;
    }, JSON.stringify(sets), { timeout: 120_000 });
  } catch (e) {
    // Say what the page showed instead.
    const shown = await page.evaluate(() => ({
      state: document.getElementById("live").dataset.state,
      status: document.getElementById("status").textContent,
      message: document.getElementById("message").textContent,
    }));
    throw new Error(`waiting for a run with ${JSON.stringify(sets)}: the page shows ${JSON.stringify(shown)}`);
  }
}

const { server, url } = await startServer();
const browser = await chromium.launch({
  executablePath: browserPath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run"],
});
let failed = false;
try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1240, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await waitDone(page, []);
  const before = await figures(page);
  assert.ok(Number.isFinite(before.host_value.mean), "the page shows the host's gain");
  await page.screenshot({ path: join(buildDir, "live-start.png"), fullPage: true });

  // The share slider from 0.5 down to 0.3, one arrow key at a time, as a person would.
  const slider = page.locator("#term-share");
  assert.equal(await slider.inputValue(), "0.5");
  await slider.focus();
  for (let i = 0; i < 20; ++i) await page.keyboard.press("ArrowLeft");
  assert.equal(await slider.inputValue(), "0.3");
  await waitDone(page, ["deals.v5.share=0.3"]);
  const after = await figures(page);
  await page.screenshot({ path: join(buildDir, "live-share-0.3.png"), fullPage: true });
  assert.notEqual(after.host_value.mean, before.host_value.mean, "the figures redrew");

  // The same run on the command line: every figure to the last digit.
  const paths = await page.$eval("#status", (s) => s.dataset.paths);
  const scenario = await (await fetch(url + "api/scenario")).json();
  const out = join(work, "out");
  execFileSync(binary, ["run", "--set", "deals.v5.share=0.3", "--paths", paths, "--seed", String(scenario.seed),
    "--deals", `${scenario.baseline},v5`, "--out", out], { stdio: "ignore" });
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  const gain = summary.gains.find((g) => g.deal === "v5");
  for (const [metric, shown] of Object.entries(after)) {
    assert.equal(shown.mean, gain.metrics[metric].mean, `${metric} mean`);
    assert.equal(shown.sem, gain.metrics[metric].sem, `${metric} standard error`);
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
  await waitDone(page, ["deals.v5.share=0.3"]);
  assert.equal(await page.inputValue("#deal"), "v5");
  assert.equal(await slider.inputValue(), "0.3");
  assert.deepEqual(await figures(page), after, "a variant loaded back gives the same figures");

  const [report] = await Promise.all([page.waitForEvent("download"), page.click("#download-report")]);
  const reportFile = join(work, "report.html");
  await report.saveAs(reportFile);
  assert.match(readFileSync(reportFile, "utf8"), /<html/);
  await page.screenshot({ path: join(buildDir, "live-variant-loaded.png"), fullPage: true });
  assert.deepEqual(errors, [], "no script errors on the page");
  console.log("live page: slider, figures = nadra run, variant saved and loaded back, report downloaded");
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
