// The built site under its Content-Security-Policy: every page is served with the policy the build
// wrote to dist/_headers and carries it in a <meta> too, nothing on any page trips it, and it is
// really enforced (an injected inline script does not run). Search and the copy buttons still work.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  fromHeadersFile,
  headersForPath,
  metaPolicy,
  parseHeadersFile,
} from '../../src/integrations/security-headers.ts';
import { builtPages, dist } from './site.ts';

// Read when a test runs, not when the file loads: the web server builds dist/ first.
const builtHeaders = () => fromHeadersFile(readFileSync(path.join(dist, '_headers'), 'utf8'));
/** What _headers gives this path: the site's policy, or the WebContainer page's own. */
const builtHeadersFor = (url: string) =>
  headersForPath(parseHeadersFile(readFileSync(path.join(dist, '_headers'), 'utf8')), url);

/** Collects CSP violations, both as DOM events and as the console messages Chromium logs for them. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) logged.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = ((window as unknown as { cspViolations: string[] }).cspViolations = []);
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`),
    );
  });
  return async () => [
    ...logged,
    ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
  ];
}

test('dist/_headers holds a policy with hashes, frame-ancestors and the other security headers', () => {
  const headers = builtHeaders();
  const policy = headers['Content-Security-Policy'];
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain("'unsafe-inline'");
  expect(headers['X-Content-Type-Options']).toBe('nosniff');
  expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
});

test('every page is served with the policy _headers gives its path, and carries it in a <meta>', async ({
  page,
  request,
}) => {
  for (const url of builtPages()) {
    const policy = builtHeadersFor(url)['Content-Security-Policy'];
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    const served = response.headers();
    expect(served['content-security-policy'], url).toBe(policy);
    expect(served['x-content-type-options'], url).toBe('nosniff');
    expect(served['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
    // The same policy for hosts that ignore _headers, less what a <meta> cannot carry; read by the
    // browser's HTML parser.
    const meta = await page.evaluate(
      (html) =>
        [...new DOMParser().parseFromString(html, 'text/html').querySelectorAll('meta[http-equiv]')]
          .filter((m) => m.getAttribute('http-equiv')?.toLowerCase() === 'content-security-policy')
          .map((m) => m.getAttribute('content')),
      await response.text(),
    );
    expect(meta, url).toEqual([metaPolicy(policy!)]);
  }
});

// That nothing on a page trips its policy is checked where every page is loaded anyway: the light
// pass of the page sweep (sweep.test.ts) fails on any CSP violation, event or console message,
// once the page is idle. The one document that sweep does not load is the standalone chart.
test("/figures/s3-rss.svg is served with the site's policy and trips none of it", async ({ page }) => {
  const url = '/figures/s3-rss.svg';
  const policy = builtHeadersFor(url)['Content-Security-Policy'];
  const violations = await watchViolations(page);
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  expect((await response!.allHeaders())['content-security-policy']).toBe(policy);
  expect(await page.locator('svg style').count()).toBeGreaterThan(0);
  await page.waitForLoadState('networkidle');
  expect(await violations()).toEqual([]);
});

test('the policy is enforced: an injected inline script does not run', async ({ page }) => {
  await page.goto('/articles/s3-read-leak/');
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injectedRan = true';
    document.body.append(script);
    return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
  });
  expect(ran).toBe(false);
});

test("search works under the policy (Pagefind's worker and WebAssembly)", async ({ page }) => {
  const violations = await watchViolations(page);
  await page.goto('/search/?q=arrayBuffer');
  await expect(page.locator('.pagefind-ui__result').first()).toBeVisible();
  expect(await violations()).toEqual([]);
});

test("Expressive Code's copy button works under the policy", async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const violations = await watchViolations(page);
  await page.goto('/articles/methodology/');
  const button = page.locator('.expressive-code .copy button').first();
  const code = (await button.getAttribute('data-code'))!.replaceAll('\u007f', '\n');
  await button.click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  expect(await violations()).toEqual([]);
  await context.close();
});
