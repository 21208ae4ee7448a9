// One page through Lighthouse's default (mobile) preset: a mid-range phone on a simulated slow 4G,
// scored for performance, accessibility, best practices and SEO, and the page's weight as Lighthouse
// loaded it. The targets are those of issue 9; `npm run audit` (audit.ts) runs every page.
import lighthouse from 'lighthouse';
import type { Result } from 'lighthouse';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The lowest acceptable score (0–100) in each category. */
export const TARGETS: Record<Category, number> = {
  performance: 98,
  accessibility: 100,
  'best-practices': 100,
  seo: 100,
};

export interface PageAudit {
  path: string;
  /** 0–100, or null when Lighthouse could not score the category (its error is in `problems`). */
  scores: Record<Category, number | null>;
  /** Bytes of the page's HTML file as the server sends it. */
  htmlBytes: number;
  /** Bytes transferred to load the page: everything, and scripts alone. */
  totalBytes: number;
  scriptBytes: number;
  /** Elements in the rendered page (Lighthouse's DOM-size insight). */
  domElements: number | null;
  largestContentfulPaintMs: number | null;
  /** Lighthouse's measure of the CPU's speed during this run (Chrome DevTools takes 1000 for a mid-tier phone). */
  benchmarkIndex: number;
  /** Audits that cost a score point or more, by category: what to fix. */
  problems: string[];
}

type ResourceRow = { resourceType: string; transferSize: number };

function resourceBytes(lhr: Result, type: string): number {
  const details = lhr.audits['resource-summary']?.details;
  const items = details && 'items' in details ? (details.items as ResourceRow[]) : [];
  return items.find((row) => row.resourceType === type)?.transferSize ?? 0;
}

/** The audits behind a score under 100: failing ones that weigh in their category. */
function problemsOf(lhr: Result): string[] {
  const problems: string[] = [];
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    if (!category) continue;
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (!audit || ref.weight === 0 || audit.score === null || audit.score >= 1) continue;
      if (audit.scoreDisplayMode === 'notApplicable' || audit.scoreDisplayMode === 'informative') continue;
      problems.push(`${id}: ${audit.id} (${audit.displayValue || audit.title})`);
    }
  }
  for (const warning of lhr.runWarnings) problems.push(`warning: ${warning}`);
  return problems;
}

/** Runs Lighthouse on url in the Chromium listening for DevTools on port. */
export async function runLighthouse(url: string, chromePort: number): Promise<Result> {
  const result = await lighthouse(url, {
    port: chromePort,
    output: 'json',
    logLevel: 'error',
    onlyCategories: [...CATEGORIES],
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  if (result.lhr.runtimeError) throw new Error(`Lighthouse could not load ${url}: ${result.lhr.runtimeError.message}`);
  return result.lhr;
}

export function pageAudit(path: string, htmlBytes: number, lhr: Result): PageAudit {
  const score = (id: Category) => {
    const value = lhr.categories[id]?.score;
    return value === null || value === undefined ? null : Math.round(value * 100);
  };
  return {
    path,
    scores: {
      performance: score('performance'),
      accessibility: score('accessibility'),
      'best-practices': score('best-practices'),
      seo: score('seo'),
    },
    htmlBytes,
    totalBytes: resourceBytes(lhr, 'total'),
    scriptBytes: resourceBytes(lhr, 'script'),
    domElements: lhr.audits['dom-size-insight']?.numericValue ?? null,
    largestContentfulPaintMs: lhr.audits['largest-contentful-paint']?.numericValue ?? null,
    benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    problems: problemsOf(lhr),
  };
}

/**
 * The categories in which the page misses its target. The 404 page is kept out of search engines on
 * purpose (noindex), which Lighthouse's SEO score counts against it: no SEO target there.
 */
export function missedTargets(page: PageAudit): Category[] {
  return CATEGORIES.filter(
    (id) => !(id === 'seo' && page.path === NOT_FOUND_PAGE) && (page.scores[id] ?? -1) < TARGETS[id],
  );
}

const NOT_FOUND_PAGE = '/404.html';
