// "Run the harness in your browser" in Chromium, without StackBlitz (unreachable from here, and
// blocked in these tests anyway): COOP/COEP on that page only, nothing of WebContainer loaded before
// the click, the capability check, and the fallback with the local command when StackBlitz is blocked.
import { expect, test, type Page, type Request } from '@playwright/test';
import { ISOLATED_PAGE } from '../../src/integrations/security-headers.ts';

const STACKBLITZ = /^https:\/\/([^/]+\.)?(stackblitz\.com|webcontainer-api\.io|webcontainer\.io)(\/|$)/;

/** Every request to StackBlitz's origins is aborted; returns the ones that were tried. */
async function blockStackBlitz(page: Page): Promise<string[]> {
  const tried: string[] = [];
  await page.context().route(STACKBLITZ, (route) => {
    tried.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  return tried;
}

function scripts(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') seen.push(r);
  });
  return seen;
}

test('COOP and COEP on the WebContainer page, and on no other', async ({ page }) => {
  const isolated = await page.goto(ISOLATED_PAGE);
  expect(isolated?.status()).toBe(200);
  expect(await isolated!.headerValue('cross-origin-opener-policy')).toBe('same-origin');
  expect(await isolated!.headerValue('cross-origin-embedder-policy')).toBe('require-corp');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  for (const other of ['/', '/articles/s3-read-leak/', '/affected/', '/browser/s3-leak.json']) {
    const response = await page.goto(other);
    expect(response?.status(), other).toBe(200);
    expect(await response!.headerValue('cross-origin-opener-policy'), other).toBeNull();
    expect(await response!.headerValue('cross-origin-embedder-policy'), other).toBeNull();
    expect(await response!.headerValue('content-security-policy'), other).not.toContain('stackblitz');
  }
});

test('the site navigation links to the page', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Run the harness in your browser' }).click();
  await expect(page).toHaveURL(new RegExp(`${ISOLATED_PAGE}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Run the harness in your browser');
});

test('with StackBlitz blocked, starting shows the fallback and the local command; WebContainer code loads only on the click', async ({ page, baseURL }) => {
  const tried = await blockStackBlitz(page);
  const loaded = scripts(page);
  await page.goto(ISOLATED_PAGE);
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[data-capability]')).toContainText('cross-origin isolated and has SharedArrayBuffer');
  const beforeClick = loaded.map((r) => r.url());
  expect(tried).toEqual([]);

  // sql-pool, the second choice: the fallback's command follows the choice.
  const select = page.getByLabel('Scenario');
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(options.length).toBeGreaterThanOrEqual(2);
  await select.selectOption(options[1]!);
  await page.getByRole('button', { name: 'Start the WebContainer' }).click();

  const fallback = page.getByRole('alert');
  await expect(fallback).toBeVisible();
  await expect(fallback).toContainText('could not be reached');
  await expect(fallback.locator('code')).toHaveText(
    `curl -LO ${new URL(`/bundles/${options[1]}.tar.gz`, baseURL).href} && tar -xzf ${options[1]}.tar.gz && cd bun-casebook-${options[1]} && npm install && npm run repro -- --compare`,
  );
  await expect(page.getByRole('status').first()).toContainText('cannot run in this browser');
  // It really tried StackBlitz, and every attempt was blocked.
  expect(tried.some((u) => u.startsWith('https://stackblitz.com/'))).toBe(true);
  // The WebContainer API came with the click: a script of the site's own, not loaded before.
  const afterClick = loaded.map((r) => r.url()).filter((u) => !beforeClick.includes(u));
  expect(afterClick.length).toBeGreaterThan(0);
  expect(afterClick.every((u) => u.startsWith(`${baseURL}/_astro/`))).toBe(true);

  // No other page loads those scripts.
  const elsewhere = scripts(page);
  for (const other of ['/', '/articles/s3-read-leak/']) {
    await page.goto(other);
    await page.waitForLoadState('networkidle');
  }
  expect(elsewhere.map((r) => r.url()).filter((u) => afterClick.includes(u))).toEqual([]);
});

test('not cross-origin isolated (a host without the headers): the capability check says so and nothing is fetched from StackBlitz', async ({ page }) => {
  const tried = await blockStackBlitz(page);
  // The page as a host that ignores _headers would serve it: no COOP, no COEP.
  await page.route(`**${ISOLATED_PAGE}`, async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  await page.goto(ISOLATED_PAGE);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(page.locator('[data-capability]')).toContainText('Capability check failed');
  await page.getByRole('button', { name: 'Start the WebContainer' }).click();
  await expect(page.getByRole('alert')).toContainText('not cross-origin isolated');
  await expect(page.getByRole('alert').locator('code')).toContainText('npm run repro -- --compare');
  expect(tried).toEqual([]);
});
