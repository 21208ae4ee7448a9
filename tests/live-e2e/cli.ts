// The real CLI for the live page's browser tests (tests/repro/harness/run-cli.ts starts it), and the
// page's address read from what it prints.
import type { Page } from '@playwright/test';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../repro/harness/paths.ts';
import type { RunningCli } from '../repro/harness/run-cli.ts';

export { startCli, type RunningCli } from '../repro/harness/run-cli.ts';

/** The page's address, from the line the CLI prints (a live run first checks its builds). */
export async function addressOf(cli: RunningCli, timeoutMs = 60_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.stdout())?.[1];
    if (url) return url;
    if (cli.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no address printed: ${cli.stdout()} ${cli.stderr()}`);
}

/** Console errors and warnings (a CSP violation is one) and script errors on the page, as they come. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => void ((m.type() === 'error' || m.type() === 'warning') && problems.push(m.text())));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

/** A scenario's published records (content/runs/<scenario>/), in file-name order. */
export function publishedRecords(scenario: string): string[] {
  const dir = fromRoot('content', 'runs', scenario);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The published run under another run id, written into `dir`: a rerun that measured the same, so the published run is drawn faintly behind it. */
export function rerunOf(scenario: string, runId: string, dir: string): string[] {
  return publishedRecords(scenario).map((file) => {
    const record = JSON.parse(readFileSync(file, 'utf8'));
    record.runId = runId;
    const copy = path.join(dir, path.basename(file).replace(/^[^_]+/, runId));
    writeFileSync(copy, JSON.stringify(record));
    return copy;
  });
}

/** Pairs of visible text labels, one of the published layer and one of the run's, whose boxes intersect. */
/** The live figures' visible labels that reach past their SVG's edges (which clip them), as "text (layer)". */
export function clippedLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<SVGSVGElement>('#figures svg.reference, #figures svg.current')].flatMap((svg) => {
      const edge = svg.getBoundingClientRect();
      return [...svg.querySelectorAll<SVGTextElement>('text')]
        .filter((t) => getComputedStyle(t).visibility !== 'hidden' && (t.textContent ?? '').trim() !== '')
        .filter((t) => {
          const r = t.getBoundingClientRect();
          return r.width > 0 && (r.left < edge.left - 0.5 || r.right > edge.right + 0.5);
        })
        .map((t) => `${t.textContent} (${svg.getAttribute('class')})`);
    }),
  );
}

export function overlappingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const visible = (layer: string) =>
      [...document.querySelectorAll<SVGTextElement>(`#figures svg.${layer} text`)]
        .filter((t) => getComputedStyle(t).visibility !== 'hidden' && (t.textContent ?? '').trim() !== '')
        .map((t) => ({ text: t.textContent!, box: t.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && box.height > 0);
    const live = visible('current');
    return visible('reference').flatMap((f) =>
      live
        .filter(
          ({ box: b }) => f.box.left < b.right && b.left < f.box.right && f.box.top < b.bottom && b.top < f.box.bottom,
        )
        .map((l) => `${f.text} / ${l.text}`),
    );
  });
}
