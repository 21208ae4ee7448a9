// axe as every e2e test runs it: the WCAG 2.2 A and AA rules unless a test names others, and only
// the violations, one line each.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The rule tags the site is held to: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe's violations on the page as it is now, all impacts, as "rule (impact): targets". By default
 * the WCAG rules; `configure` picks others (withRules, withTags, include; not options, which would
 * undo the ones set here).
 *
 * The same rules and verdicts as `analyze()`'s default, three to four times faster: axe.run() in
 * the page (legacy mode) rather than runPartial() in each frame and finishRun() in a new blank tab,
 * which copies every node's partial result across; and only the violations carry all their nodes
 * (`resultTypes`), as nothing here reads passes or incomplete results. Legacy mode cannot reach a
 * cross-origin frame, so a page with one fails here instead of going unscanned.
 */
export async function axeViolations(
  tab: Page,
  configure: (axe: AxeBuilder) => AxeBuilder = (axe) => axe.withTags(WCAG),
): Promise<string[]> {
  const origin = new URL(tab.url()).origin;
  const foreign = tab.frames().filter((f) => f.url() !== 'about:blank' && new URL(f.url()).origin !== origin);
  expect(
    foreign.map((f) => f.url()),
    'cross-origin frames, which axe would not scan',
  ).toEqual([]);
  // options() replaces every option, withTags() and the like set one: it comes first.
  const builder = new AxeBuilder({ page: tab }).options({ resultTypes: ['violations'] }).setLegacyMode(true);
  const axe = await configure(builder).analyze();
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
  const axe = await new AxeBuilder({ page: tab })
    .setLegacyMode(true)
    .withRules(['color-contrast'])
    .include(selector)
    .analyze();
  const targets = (results: typeof axe.passes) => results.flatMap((r) => r.nodes.map((n) => n.target.join(' ')));
  return { passes: targets(axe.passes), violations: targets(axe.violations), incomplete: targets(axe.incomplete) };
}
