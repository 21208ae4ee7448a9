// "Run the harness in your browser" in Chromium, without StackBlitz (unreachable from here, and
// blocked in these tests anyway): COOP/COEP on that page only, nothing of WebContainer loaded before
// the click, the capability check, and the fallback with the local command when StackBlitz is blocked:
// one true reason that the boot's timeout does not replace, a retry, a disabled Start, and a command
// that copies and never wraps inside a word.
import { expect, test, type Locator, type Page, type Request } from '@playwright/test';
import { shellLine } from '../../repro/core/shell.ts';
import { bundleScenario } from '../../src/bundles/scenarios.ts';
import { BOOT_TIMEOUT_SECONDS } from '../../src/browser-run/page-data.ts';
import { ISOLATED_PAGE } from '../../src/integrations/security-headers.ts';
import { committedRecords } from './site.ts';

/** The one line the page offers instead: download, unpack, install, then the bundle's quick look (src/bundles/needs.ts). */
function localCommand(scenario: string, baseURL: string): string {
  const quick = bundleScenario(scenario).quickLook(committedRecords());
  if (!quick) throw new Error(`${scenario} has no quick look`);
  const archive = `${scenario}.tar.gz`;
  return `curl -LO ${new URL(`/bundles/${archive}`, baseURL).href} && tar -xzf ${archive} && cd bun-casebook-${scenario} && npm install && ${shellLine(['npm', 'run', 'repro', '--', ...quick.args])}`;
}

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

/** Start cannot be pressed, says so to assistive technology, and looks it (a dashed border, not the solid one). */
async function expectStartDisabled(page: Page) {
  const start = page.getByRole('button', { name: 'Start the WebContainer' });
  await expect(start).toBeDisabled();
  await expect(start).toHaveAttribute('aria-disabled', 'true');
  expect(await start.evaluate((b) => getComputedStyle(b).borderTopStyle)).toBe('dashed');
}

/** Words of the command that the browser split over two lines (it may break only between words). */
async function wordsSplitAcrossLines(code: Locator): Promise<string[]> {
  return code
    .locator('.word')
    .evaluateAll((words) =>
      words
        .filter(
          (w) => new Set([...w.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size > 1,
        )
        .map((w) => w.textContent!),
    );
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
  await page
    .getByRole('navigation', { name: 'Site' })
    .getByRole('link', { name: 'Run the harness in your browser' })
    .click();
  await expect(page).toHaveURL(new RegExp(`${ISOLATED_PAGE}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Run the harness in your browser');
});

test('with StackBlitz blocked, starting shows the fallback and the local command; WebContainer code loads only on the click', async ({
  page,
  baseURL,
}) => {
  const tried = await blockStackBlitz(page);
  const loaded = scripts(page);
  // The page's clock, so the boot's timeout can be made to fire without waiting for it.
  await page.clock.install();
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
  await expect(fallback.locator('code')).toHaveText(localCommand(options[1]!, baseURL!));
  await expect(page.getByRole('status').first()).toContainText('cannot run in this browser');
  // It really tried StackBlitz, and every attempt was blocked.
  expect(tried.some((u) => u.startsWith('https://stackblitz.com/'))).toBe(true);
  await expectStartDisabled(page);
  await expect(page.getByLabel('Scenario')).toBeDisabled();

  // The boot's timeout fires later: the first, true reason stays.
  const runner = page.locator('[data-browser-run]');
  const reason = await fallback.locator('[data-fallback-reason]').textContent();
  await expect(runner).toHaveAttribute('data-boot-timer', 'running');
  await page.clock.fastForward((BOOT_TIMEOUT_SECONDS + 1) * 1000);
  await expect(runner).toHaveAttribute('data-boot-timer', 'expired');
  await expect(fallback.locator('[data-fallback-reason]')).toHaveText(reason!);
  await expect(fallback).not.toContainText('did not start in time');

  // Retry starts a new attempt, which asks StackBlitz again and fails for the same reason.
  const triedBefore = tried.length;
  await fallback.getByRole('button', { name: 'Try again' }).click();
  await expect(runner).toHaveAttribute('data-attempt', '2');
  await expect(fallback.locator('[data-fallback-reason]')).toHaveText(reason!);
  await expect.poll(() => tried.length).toBeGreaterThan(triedBefore);
  await expect(fallback.getByRole('button', { name: 'Try again' })).toBeEnabled();
  await expectStartDisabled(page);

  // The command copies as it is shown.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await fallback.getByRole('button', { name: 'Copy' }).click();
  await expect(fallback.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await fallback.locator('code').textContent());
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

test('not cross-origin isolated (a host without the headers): the capability check says so and nothing is fetched from StackBlitz', async ({
  page,
}) => {
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
  // Start cannot work here: disabled, and the reason and the local command are shown at once, with no retry.
  await expectStartDisabled(page);
  await expect(page.getByRole('alert')).toContainText('not cross-origin isolated');
  await expect(page.getByRole('alert').getByRole('button', { name: 'Try again' })).toBeHidden();
  await expect(page.getByRole('alert').locator('code')).toContainText(' && npm run repro -- ');
  expect(tried).toEqual([]);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the commands break between words only, each with a copy button, and the page does not scroll sideways', async ({
    page,
  }) => {
    await blockStackBlitz(page);
    await page.goto(ISOLATED_PAGE);
    await page.getByRole('button', { name: 'Start the WebContainer' }).click();
    const code = page.getByRole('alert').locator('code');
    await expect(code).toContainText(' && npm run repro -- ');
    const commands = [code, ...(await page.locator('.local-commands code').all())];
    expect(commands.length).toBeGreaterThan(1);
    for (const c of commands) {
      // Long enough to need more than one line at 390 px: the test would see no break otherwise.
      expect((await c.boundingBox())!.height).toBeGreaterThan(30);
      expect(await wordsSplitAcrossLines(c)).toEqual([]);
      // Word by word, yet the same command to copy.
      expect((await c.locator('.word').allTextContents()).join(' ')).toBe(await c.textContent());
      await expect(page.locator(`button[data-copy="${await c.getAttribute('id')}"]`)).toHaveText('Copy');
      await expect(page.locator(`button[data-copy="${await c.getAttribute('id')}"]`)).toBeVisible();
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });
});
