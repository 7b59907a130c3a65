// Builds nadra's pages: bundles an entry (with vega, vega-lite and vega-embed) with esbuild, one
// configuration for both, and inlines it and src/style.css into the page's template. Nothing is
// fetched: the libraries come from node_modules, pinned by package-lock.json.
//   node build.mjs OUT.html              the report's page: src/main.ts into src/page.html
//   node build.mjs --live OUT.html       the live page of `nadra serve`: src/live/main.ts into
//                                        live.html (the build embeds it in the server)
//   node build.mjs --tests OUTDIR        the unit tests (test/*.test.ts), for node --test
import { build } from 'esbuild';
import { readFileSync, readdirSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const read = (path) => readFileSync(join(here, path), 'utf8');

function libraries() {
  const names = ['vega', 'vega-lite', 'vega-embed'];
  const versions = names.map((n) => `${n} ${JSON.parse(read(`node_modules/${n}/package.json`)).version}`);
  const licences = names.map((n, i) => `${versions[i]}\n\n${read(`node_modules/${n}/LICENSE`)}`).join('\n\n');
  return { NADRA_LIBRARIES: JSON.stringify(versions.join(', ')), NADRA_LICENCES: JSON.stringify(licences) };
}

// The pages: their entry, their template, and a check of the page made.
const pages = {
  report: {
    entry: 'src/main.ts',
    template: 'src/page.html',
    check: (html) => {
      if (html.split('<!--NADRA_RESULTS-->').length !== 2) throw new Error('the page must hold the marker <!--NADRA_RESULTS--> once');
    },
  },
  live: { entry: 'src/live/main.ts', template: 'live.html', check: () => {} },
};

async function page(kind, out) {
  const { entry, template, check } = pages[kind];
  const result = await build({
    entryPoints: [join(here, entry)],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    define: libraries(),
    logLevel: 'warning',
  });
  const js = result.outputFiles[0].text;
  // A script may hold neither "</script" (it would end the element) nor "<!--" (it would change
  // how the parser reads the rest of it).
  const lower = js.toLowerCase();
  if (lower.includes('</script') || lower.includes('<!--')) throw new Error('the bundle holds </script or <!--: it cannot be inlined');
  const html = read(template).replace('/*STYLE*/', () => read('src/style.css')).replace('/*BUNDLE*/', () => js);
  check(html);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, html);
  renameSync(`${out}.tmp`, out);
}

async function tests(outdir) {
  const entries = readdirSync(join(here, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(here, 'test', f));
  await build({
    entryPoints: entries,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    outdir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}

const args = process.argv.slice(2);
if (args[0] === '--tests' && args.length === 2) await tests(args[1]);
else if (args[0] === '--live' && args.length === 2) await page('live', args[1]);
else if (args.length === 1 && !args[0].startsWith('--')) await page('report', args[0]);
else {
  console.error('usage: node build.mjs OUT.html | node build.mjs --live OUT.html | node build.mjs --tests OUTDIR');
  process.exit(2);
}
