// "Is my Bun affected?" as a reader uses it: the version box, a build's own address without
// JavaScript, each failure's link to the record behind it, and the matrix figure on its own page,
// whose cells link to their records too. Every expected answer comes from the committed builds index
// (repro/affected/builds.json), which the terminal lookup reads and which must match the records.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { answerFor, BuildsIndex } from '../../repro/core/builds-index.ts';
import { RunRecord } from '../../repro/core/record/schema.ts';
import { fromRoot } from '../../repro/harness/paths.ts';

const index = BuildsIndex.parse(JSON.parse(readFileSync(fromRoot('repro', 'affected', 'builds.json'), 'utf8')));
const byNpm = (npm: string) => index.builds.find((b) => b.npm === npm)!;
const rowOf = (page: Page, npm: string) => page.locator(`tr#v${npm.replace(/\./g, '\\.').replace(/\+/g, '\\+')}`);

test('every build has a row with a citable address, newest first, and #v1.3.14 lands on the last Zig release', async ({
  page,
}) => {
  await page.goto('/affected/#v1.3.14');
  const row = rowOf(page, '1.3.14');
  await expect(row).toBeInViewport();
  await expect(row.locator('.build-meta code')).toHaveText(byNpm('1.3.14').revision);
  const ids = await page.locator('.build-answers tbody tr').evaluateAll((rows) => rows.map((r) => r.id));
  expect(ids).toEqual([...index.builds].reverse().map((b) => `v${b.npm}`));
});

test('the HTML of the page stays under 100 KB', async ({ request }) => {
  const body = await (await request.get('/affected/')).body();
  expect(body.length).toBeLessThan(100 * 1024);
});

test.describe('the version box', () => {
  for (const [query, npm] of [
    ['1.4.2', '1.4.2'],
    ['1.4.3-canary.1+f5649a7ed', index.builds.find((b) => b.revision === '1.4.3-canary.1+f5649a7ed')!.npm],
    [index.builds.at(-1)!.npm, index.builds.at(-1)!.npm],
  ]) {
    test(`answers for ${query} as it is typed: the build, its failures with their records and fixes, the smallest upgrade`, async ({
      page,
      request,
    }) => {
      await page.goto('/affected/');
      await page.locator('#build-query').pressSequentially(query);
      const answer = page.locator('[data-answer]');
      const build = byNpm(npm!);
      await expect(answer.locator('h3')).toHaveText(
        `bun ${build.npm} · ${build.revision} · ${build.line === 'zig' ? 'Zig' : 'Rust'}`,
      );
      // The answer is within the first screen after the box.
      expect((await answer.boundingBox())!.y).toBeLessThan(page.viewportSize()!.height);
      const expected = answerFor(index, build);
      const items = answer.locator('li');
      await expect(items).toHaveCount(expected.affected.length);
      for (const [i, a] of expected.affected.entries()) {
        await expect(items.nth(i)).toHaveText(
          `${a.failure.short}, ${a.fixedIn ? `fixed in ${a.fixedIn.npm}` : 'no fix recorded'}`,
        );
        const href = (await items.nth(i).locator('a').first().getAttribute('href'))!;
        const record = RunRecord.parse(await (await request.get(href)).json());
        expect(record.runtime.revision).toBe(build.revision);
      }
      if (expected.upgrade)
        await expect(answer).toContainText(`Smallest upgrade that avoids them all: ${expected.upgrade.build.npm}`);
      if (expected.affected.length === 0)
        await expect(answer).toContainText(`None of the ${index.failures.length} recorded failures.`);
      // The failures that do not affect it are named too, with their states.
      await expect(answer.locator('.lookup-others')).toContainText(
        `The other ${index.failures.length - expected.affected.length}:`,
      );
    });
  }

  test('a build the matrix lacks: the nearest recorded builds on either side, as links to their rows', async ({
    page,
  }) => {
    await page.goto('/affected/');
    await page.locator('#build-query').fill('1.3.13-canary.1+0123456789');
    await page.locator('#build-query').press('Enter');
    const answer = page.locator('[data-answer]');
    await expect(answer).toContainText(
      `1.3.13-canary.1+0123456789 is not among the ${index.builds.length} recorded builds.`,
    );
    await expect(answer.locator('a')).toHaveText(['1.3.12', '1.3.13']);
    await answer.locator('a').last().click();
    await expect(rowOf(page, '1.3.13')).toBeInViewport();
  });

  test('arriving at a build’s address answers for it in the box', async ({ page }) => {
    await page.goto('/affected/#v1.4.2');
    await expect(page.locator('#build-query')).toHaveValue('1.4.2');
    await expect(page.locator('[data-answer] h3')).toContainText('bun 1.4.2 ·');
  });

  test('how long an answer takes after a key press (measured, not asserted)', async ({ page }) => {
    await page.goto('/affected/');
    const ms = await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('#build-query')!;
      const times: number[] = [];
      for (const value of ['1.4.2', '1.3.14', '1.4.3-canary.1+f5649a7ed', '1.4.5']) {
        input.value = value;
        const t = performance.now();
        input.dispatchEvent(new Event('input'));
        document.querySelector('[data-answer]')!.getBoundingClientRect(); // layout included
        times.push(performance.now() - t);
      }
      return times;
    });
    test.info().annotations.push({ type: 'lookup ms', description: ms.map((t) => t.toFixed(1)).join(', ') });
    await expect(page.locator('[data-answer] h3')).toContainText('bun 1.4.5 ·');
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the page says how to reach a build, and the box takes the reader to the list', async ({ page }) => {
    await page.goto('/affected/');
    await expect(page.locator('#build-query-help')).toContainText('/affected/#v<label>');
    await page.locator('#build-query-help a').click();
    const example = new URL(page.url()).hash.slice(2);
    await expect(rowOf(page, example)).toBeInViewport();
    await page.locator('#build-query').fill('1.4.2');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page).toHaveURL(/#every-build$/);
  });
});

test('the matrix page: figure 1, cited from there, each recorded cell a link to its record', async ({
  page,
  request,
  baseURL,
}) => {
  await page.goto('/affected/matrix/');
  const figure = page.locator('#fig-version-matrix');
  await expect(figure.locator('figcaption')).toContainText('Figure 1.');
  await figure.getByText('Cite this figure').click();
  expect(await figure.locator('pre[data-citation="plain"]').textContent()).toContain(
    `${baseURL}/affected/matrix/#fig-version-matrix`,
  );
  const decided = index.builds.reduce(
    (n, b) => n + Object.values(b.states).filter((s) => s.status !== 'not-run').length,
    0,
  );
  // The wide drawing (the phone's is a second SVG of the same cells).
  const cells = figure.locator('svg').first().locator('a rect');
  expect(await cells.count()).toBe(decided);
  for (const cell of [cells.first(), cells.last()]) {
    const href = await cell.locator('xpath=..').getAttribute('href');
    const response = await request.get(href!);
    expect(response.status()).toBe(200);
    RunRecord.parse(await response.json());
  }
});

test("the ledger on the matrix page: its classes are /ledger.json, and each key state is that build's", async ({
  page,
  request,
}) => {
  await page.goto('/affected/matrix/');
  const ledger = page.locator('.ledger table');
  const published = (await (await request.get('/ledger.json')).json()) as {
    failure: string;
    title: string;
    class: string;
    states: Record<string, string>;
  }[];
  await expect(ledger.locator('tbody th')).toHaveText(published.map((p) => p.title));
  const keyBuilds = await ledger
    .locator('thead th a')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')!.replace(/^\/affected\/#v/, '')));
  expect(keyBuilds).toHaveLength(4);
  for (const [i, failure] of published.entries()) {
    const states = await ledger.locator('tbody tr').nth(i).locator('td.matrix-cell').allTextContents();
    expect(states).toEqual(keyBuilds.map((b) => (failure.states[b] ?? 'not recorded').replace('-', ' ')));
    for (const b of keyBuilds.filter((k) => failure.states[k]))
      expect(byNpm(b).states[failure.failure]!.status).toBe(failure.states[b]);
  }
});

for (const width of [390, 1280]) {
  test(`at ${width} px no build's revision or date is split across lines`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto('/affected/');
    // One line box each: a token that wraps has two or more.
    const split = await page
      .locator('.build-meta :is(code, time)')
      .evaluateAll((els) => els.filter((e) => e.getClientRects().length > 1).map((e) => e.textContent));
    expect(await page.locator('.build-meta code').count()).toBeGreaterThan(0);
    expect(split).toEqual([]);
    await context.close();
  });
}
