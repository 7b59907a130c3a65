// What the browser tests of the live page share: `nadra serve` on a free loopback port, Debian's
// headless Chromium through Playwright (playwright-core from web/), and reading the page.
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

// `nadra serve --port 0 ARGS...`: the process and the address it prints.
export function startServer(binary, args = []) {
  return new Promise((resolve, reject) => {
    const server = spawn(binary, ["serve", "--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    server.stdout.on("data", (chunk) => {
      text += chunk;
      const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) resolve({ server, url: m[0] });
    });
    server.on("exit", (code) => reject(new Error(`nadra serve ended (${code}): ${text}`)));
  });
}

export async function launchBrowser(webDir, browserPath) {
  const require = createRequire(resolve(webDir, "package.json"));
  const { chromium } = require("playwright-core");
  return chromium.launch({
    executablePath: browserPath || process.env.NADRA_BROWSER || "/usr/bin/chromium-headless-shell",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
}

// The figures the page shows, from the report's table of gains (its row of the draft): metric ->
// {mean, sem} as the cells hold them (data-mean, data-sem) and the text shown.
export async function figures(page) {
  return page.$$eval("#figures table.gains tr[data-deal] td[data-metric]", (cells) =>
    Object.fromEntries(cells.map((c) => [c.dataset.metric, {
      mean: Number(c.dataset.mean),
      sem: Number(c.dataset.sem),
      shown: c.textContent,
    }])));
}

// Until the page shows a finished run (data-state `state`) with these sets.
export async function waitShown(page, sets, state = "done") {
  try {
    await page.waitForFunction(([expected, wanted]) => {
      const root = document.getElementById("live");
      const status = document.getElementById("status");
      return root.dataset.state === wanted && status.dataset.set === expected;
    }, [JSON.stringify(sets), state], { timeout: 120_000 });
  } catch (e) {
    // Say what the page showed instead.
    const shown = await page.evaluate(() => ({
      state: document.getElementById("live").dataset.state,
      status: document.getElementById("status").textContent,
      message: document.getElementById("message").textContent,
    }));
    throw new Error(`waiting for a run with ${JSON.stringify(sets)} (${state}): the page shows ${JSON.stringify(shown)}`);
  }
}

// Until the report's charts on the page are drawn (renderRunSections marks the body).
export async function waitCharts(page) {
  await page.waitForFunction(() => document.body.dataset.rendered === "ok", null, { timeout: 60_000 });
}

// The gains of `deal` that `nadra run` gives with these sets, paths and seed: summary.json's
// gains metrics.
export function nadraRunGains(binary, work, { sets, paths, seed, deals, deal }) {
  const out = join(work, `out-${paths}-${sets.join("_").replace(/[^a-z0-9.]+/gi, "_")}`);
  const args = ["run", ...sets.flatMap((s) => ["--set", s]), "--paths", String(paths), "--seed", String(seed),
    "--deals", deals.join(","), "--out", out];
  execFileSync(binary, args, { stdio: "ignore" });
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  return summary.gains.find((g) => g.deal === deal).metrics;
}
