// axe as every e2e test runs it: the WCAG 2.2 A and AA rules unless a test names others, and only
// the violations, one line each.
//
// axe-core itself, run in the page: its script is put into each frame once per page load (not once
// per scan, twice, as @axe-core/playwright does), then axe.run() decides in the page, with the same
// rules and verdicts. A cross-origin frame cannot be reached this way, so a page with one fails here
// instead of going unscanned.
import { expect, type Page } from '@playwright/test';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The rule tags the site is held to: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Which rules, over which part of the page: the WCAG tags over the whole page unless named. */
export interface AxeScope {
  rules?: string[];
  /** A CSS selector: only the elements under it are scanned. */
  include?: string;
}

async function runAxe(tab: Page, { rules, include }: AxeScope, options: RunOptions): Promise<AxeResults> {
  const origin = new URL(tab.url()).origin;
  const frames = tab.frames().filter((f) => f.url() !== 'about:blank');
  expect(
    frames.filter((f) => new URL(f.url()).origin !== origin).map((f) => f.url()),
    'cross-origin frames, which axe would not scan',
  ).toEqual([]);
  for (const frame of frames) {
    if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(AXE_SOURCE);
  }
  const runOnly = rules ? { type: 'rule' as const, values: rules } : { type: 'tag' as const, values: WCAG };
  return tab.evaluate(
    ({ include, options }) =>
      (window as unknown as { axe: typeof import('axe-core') }).axe.run(include ?? document, options),
    { include, options: { ...options, runOnly } },
  );
}

const targets = (results: Result[]) => results.flatMap((r) => r.nodes.map((n) => n.target.join(' ')));

/** axe's violations on the page as it is now, all impacts, as "rule (impact): targets". */
export async function axeViolations(tab: Page, scope: AxeScope = {}): Promise<string[]> {
  // Only the violations carry their nodes: nothing here reads passes or incomplete results.
  const axe = await runAxe(tab, scope, { resultTypes: ['violations'] });
  return axe.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * axe's colour-contrast rule on the elements under `selector`, each result as the targets of its
 * nodes: those it passed, failed, and could not decide (`incomplete`: a background it cannot compute,
 * such as a gradient under the text), which `axeViolations` does not report.
 */
export async function contrastResults(
  tab: Page,
  selector: string,
): Promise<{ passes: string[]; violations: string[]; incomplete: string[] }> {
  const axe = await runAxe(tab, { rules: ['color-contrast'], include: selector }, {});
  return { passes: targets(axe.passes), violations: targets(axe.violations), incomplete: targets(axe.incomplete) };
}
