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

/**
 * Pairs of visible text labels of one figure, of either layer (the published run's, the run's own),
 * whose boxes intersect, and visible labels the screen cuts off.
 */
export function overlappingLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('#figures figure')].flatMap((figure) => {
      const labels = [...figure.querySelectorAll<SVGTextElement>('svg text')]
        .filter((t) => getComputedStyle(t).visibility !== 'hidden' && (t.textContent ?? '').trim() !== '')
        .map((t) => ({ text: t.textContent!, box: t.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && box.height > 0);
      const screen = document.documentElement.clientWidth;
      const cut = labels
        .filter(({ box }) => box.left < 0 || box.right > screen)
        .map((l) => `${figure.id}: ${l.text} cut`);
      return cut.concat(
        labels.flatMap((a, i) =>
          labels
            .slice(i + 1)
            .filter(
              ({ box: b }) =>
                a.box.left < b.right && b.left < a.box.right && a.box.top < b.bottom && b.top < a.box.bottom,
            )
            .map((b) => `${figure.id}: ${a.text} / ${b.text}`),
        ),
      );
    }),
  );
}

/**
 * Records every text the status line shows, from before the page's script runs: each event the page
 * handles is its own task, so none is missed however fast the events come (a page that connects
 * after the run has ended still handles them one by one). Read them with `statusHistory`.
 */
export async function recordStatusLine(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { statusHistory: string[] }).statusHistory = seen;
    new MutationObserver(() => {
      const text = document.getElementById('status')?.textContent ?? '';
      if (text !== seen.at(-1)) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

/** Every text the status line has shown so far, in order (after `recordStatusLine`). */
export function statusHistory(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { statusHistory: string[] }).statusHistory);
}
