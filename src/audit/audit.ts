// `npm run audit`: builds the site as `npm start` does (a local preview on a free port), serves it,
// and runs Lighthouse's mobile preset on every page in Debian's Chromium, with each page's weight.
// Prints a table, writes a JSON report, and exits 1 when a page misses a target. A measurement, not a
// test: scores move with the machine's load (the CPU column is Lighthouse's measure of the machine's
// speed in each run), so use --runs 3 or 5 for the median run that Lighthouse itself recommends.
// Usage: npm run audit -- [--no-build] [--runs 1] [--page /search/ …] [--out .output/audit.json]
// CHROMIUM_PATH picks another Chromium (default /usr/bin/chromium, the full browser a reader has; the
// e2e tests drive its headless shell).
import { launch } from 'chrome-launcher';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import type { Result } from 'lighthouse';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPreview } from '../preview/build.ts';
import { freePort, runMain, serveSite, StartError } from '../preview/server.ts';
import { CATEGORIES, missedTargets, pageAudit, runLighthouse, TARGETS, type PageAudit } from './lighthouse.ts';

const ROOT = 'dist';
// Folders of scripts, styles and search data, not pages. figures/ holds downloads and the figures'
// data pages; only its .html files are pages, as everywhere.
const NOT_PAGES = new Set(['_astro', 'pagefind']);

/** Every HTML page of the built site, as URL paths (/, /articles/x/, /404.html). */
function pagesOf(root: string, dir = ''): { path: string; bytes: number }[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return NOT_PAGES.has(rel) ? [] : pagesOf(root, rel);
      if (!entry.name.endsWith('.html')) return [];
      const url = entry.name === 'index.html' ? `/${dir}${dir ? '/' : ''}` : `/${rel}`;
      return [{ path: url, bytes: statSync(path.join(root, rel)).size }];
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function table(pages: PageAudit[]): string {
  const head = ['page', 'perf', 'a11y', 'best', 'SEO', 'LCP', 'HTML', 'transferred', 'JS', 'DOM', 'CPU', 'targets'];
  const rows = pages.map((p) => {
    const missed = missedTargets(p);
    return [
      p.path,
      ...CATEGORIES.map((id) => String(p.scores[id] ?? '–')),
      p.largestContentfulPaintMs === null ? '–' : `${(p.largestContentfulPaintMs / 1000).toFixed(1)} s`,
      kb(p.htmlBytes),
      kb(p.totalBytes),
      kb(p.scriptBytes),
      String(p.domElements ?? '–'),
      String(p.benchmarkIndex),
      missed.length === 0 ? 'pass' : `FAIL ${missed.join(', ')}`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w, i) => (i === 0 || i === head.length - 1 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

runMain('npm run audit', 'npm run audit -- --help', async () => {
  const { values } = parseArgs({
    options: {
      build: { type: 'boolean', default: true },
      runs: { type: 'string', default: '1' },
      // Only these pages (URL paths, repeatable); every page by default.
      page: { type: 'string', multiple: true },
      out: { type: 'string', default: '.output/audit.json' },
      help: { type: 'boolean', short: 'h' },
    },
    allowNegative: true,
  });
  if (values.help) {
    console.log(
      'Usage: npm run audit -- [--no-build] [--runs 1] [--page /search/ …] [--out .output/audit.json]\nCHROMIUM_PATH: the Chromium to drive (default /usr/bin/chromium).',
    );
    return;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 9)
    throw new StartError(`--runs must be a whole number from 1 to 9, not "${values.runs}"`);

  const port = await freePort(0);
  if (values.build) await buildPreview(port);
  await serveSite(ROOT, port);
  const pages = pagesOf(ROOT).filter((p) => !values.page || values.page.includes(p.path));
  const unknown = (values.page ?? []).filter((wanted) => !pages.some((p) => p.path === wanted));
  if (unknown.length > 0)
    throw new StartError(
      `no such page in ${ROOT}: ${unknown.join(', ')} (pages are URL paths such as /articles/methodology/)`,
    );
  const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const chrome = await launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  const audits: PageAudit[] = [];
  let first: Result | undefined;
  try {
    for (const page of pages) {
      const lhrs: Result[] = [];
      for (let run = 1; run <= runs; run++) {
        console.error(`lighthouse ${page.path}${runs > 1 ? ` (run ${run} of ${runs})` : ''}`);
        lhrs.push(await runLighthouse(`http://localhost:${port}${page.path}`, chrome.port));
      }
      first ??= lhrs[0];
      audits.push(pageAudit(page.path, page.bytes, runs > 1 ? computeMedianRun(lhrs) : lhrs[0]!));
    }
  } finally {
    chrome.kill();
  }

  const failed = audits.filter((p) => missedTargets(p).length > 0);
  const report = {
    date: new Date().toISOString(),
    chromium: chromePath,
    browser: first?.environment.hostUserAgent,
    lighthouse: first?.lighthouseVersion,
    // The mobile preset as this Lighthouse defines it: device, network and CPU throttling.
    settings: first && {
      formFactor: first.configSettings.formFactor,
      screenEmulation: first.configSettings.screenEmulation,
      throttlingMethod: first.configSettings.throttlingMethod,
      throttling: first.configSettings.throttling,
    },
    runsPerPage: runs,
    targets: TARGETS,
    pages: audits,
  };
  mkdirSync(path.dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);

  console.log(table(audits));
  for (const page of failed) for (const problem of page.problems) console.log(`${page.path}  ${problem}`);
  const slowest = Math.min(...audits.map((p) => p.benchmarkIndex));
  if (slowest < 1000) {
    console.log(
      `\nLighthouse rated this machine's CPU as low as ${slowest} during the audit (Chrome DevTools takes 1000 for a mid-tier phone): it is slow or busy, and the preset's 4× CPU slowdown comes on top, so performance reads low. Rerun on an idle machine, or with --runs 3.`,
    );
  }
  console.log(
    `\n${audits.length} page${audits.length === 1 ? '' : 's'}, ${failed.length} missing a target (performance ≥ ${TARGETS.performance}, the others ${TARGETS.accessibility}). Report: ${values.out}`,
  );
  process.exit(failed.length > 0 ? 1 : 0);
});
