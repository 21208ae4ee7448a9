// "Compare with your run" in the real browser, on the built site: a rerun of each scenario that
// measured what the published record did (the record under a run id of its own), chosen or dropped
// on one of its figures, is drawn in the overlay colour over the published run and compared
// (REPRODUCED); the published record itself is never compared with itself, as in the CLI; the
// drawing code loads only on first use; and at least
// 50 hostile files run no script, add nothing outside the figure, trip no CSP rule, and leave the
// control working.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './site.ts';

const runsDir = path.join(root, 'content/runs');
/** The published records of a scenario, as files on disk. */
const recordFiles = (scenario: string) =>
  readdirSync(path.join(runsDir, scenario))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(runsDir, scenario, f));

/**
 * A published record as a reader's rerun that measured the same: the same file under a run id of its
 * own (the overlay, like the CLI, never compares a run with itself), written where the test can read it.
 */
function asRerun(file: string, dir: string): string {
  const text = readFileSync(file, 'utf8');
  const runId = (JSON.parse(text) as { runId: string }).runId;
  const rerunId = runId.replace(/-[0-9a-f]{4}$/, '-0e2e');
  const target = path.join(dir, path.basename(file).replace(runId, rerunId));
  writeFileSync(target, text.replaceAll(`"runId": "${runId}"`, `"runId": "${rerunId}"`));
  return target;
}

/** One figure of each scenario, on its article; and the version matrix, which takes any scenario. */
const CASES = [
  { scenario: 's3-leak', page: '/articles/s3-read-leak/', figure: 's3-rss' },
  { scenario: 'sql-pool', page: '/articles/sql-pool-after-scale-to-zero/', figure: 'sql-verdicts' },
  { scenario: 's3-upload', page: '/articles/s3-upload-regression/', figure: 's3-upload-rise' },
  { scenario: 's3-upload', page: '/affected/matrix/', figure: 'version-matrix' },
];

const control = (page: Page, figure: string) => page.locator(`[data-compare-run="${figure}"]`);

/** Waits until the control has finished with what it was given, and returns its status line. */
async function finished(page: Page, figure: string): Promise<string> {
  const status = control(page, figure).locator('[data-compare-status]');
  await expect(status).not.toHaveText(/^$|^Reading your files…$/, { timeout: 60_000 });
  return (await status.textContent()) ?? '';
}

/** Drops files on the control as a reader's drag and drop does: a DataTransfer holding Files. */
async function drop(page: Page, figure: string, files: { name: string; text: string }[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: 'application/json' }));
    return dt;
  }, files);
  await control(page, figure).dispatchEvent('drop', { dataTransfer: transfer });
}

/** A measurement, in the report and on the console (the list reporter prints it). */
function measured(description: string): void {
  test.info().annotations.push({ type: 'measured', description });
  console.log(`measured: ${description}`);
}

/**
 * Script bytes the page fetched so far: raw (decoded) and as transferred (gzip where served so).
 * Each finished request is measured by asking the browser again (body, sizes); the summary waits for
 * those answers, or a script the page has already run could be missing from it on a busy machine.
 */
function scriptBytes(page: Page) {
  const seen: { url: string; raw: number; transferred: number }[] = [];
  const measuring = new Set<Promise<void>>();
  page.on('requestfinished', (request) => {
    if (request.resourceType() !== 'script') return;
    const measure = (async () => {
      const response = await request.response();
      const body = await response?.body();
      seen.push({ url: request.url(), raw: body?.length ?? 0, transferred: (await request.sizes()).responseBodySize });
    })();
    measuring.add(measure);
    void measure.finally(() => measuring.delete(measure));
  });
  return async () => {
    await Promise.all(measuring);
    return { files: seen.map((s) => new URL(s.url).pathname), raw: seen.reduce((n, s) => n + s.raw, 0), transferred: seen.reduce((n, s) => n + s.transferred, 0) };
  };
}

for (const c of CASES) {
  test(`${c.figure}: a rerun of the published ${c.scenario} record as "your run" is drawn in the overlay colour and REPRODUCED`, async ({ page }) => {
    test.setTimeout(120_000);
    const scripts = scriptBytes(page);
    await page.goto(c.page);
    await page.waitForLoadState('networkidle');
    const before = await scripts();
    expect(before.files.some((f) => f.includes('/overlay.')), 'the drawing chunk waits for first use').toBe(false);
    const box = control(page, c.figure);
    await expect(box.getByText('Nothing is uploaded')).toBeVisible();
    const published = c.figure === 'version-matrix' ? recordFiles(c.scenario).slice(0, 1) : recordFiles(c.scenario);
    mkdirSync(test.info().outputPath(), { recursive: true });
    const files = published.map((f) => asRerun(f, test.info().outputPath()));
    if (c.figure === 'sql-verdicts') {
      // A drop, as a reader drags the files from a folder.
      await drop(page, c.figure, files.map((f) => ({ name: path.basename(f), text: readFileSync(f, 'utf8') })));
    } else {
      await box.locator('input[type=file]').setInputFiles(files);
    }
    expect(await finished(page, c.figure)).toBe(`${files.length} record${files.length === 1 ? '' : 's'} of yours compared: REPRODUCED.`);
    await page.waitForLoadState('networkidle');
    const after = await scripts();
    expect(after.files.some((f) => f.includes('/overlay.'))).toBe(true);
    measured(`${c.page}: scripts before first use ${before.raw} B raw, ${before.transferred} B transferred (${before.files.join(' ')}); after ${after.raw} B raw, ${after.transferred} B transferred`);

    // The reader's layer, over the published one, in the overlay colour.
    const yours = box.locator('svg.overlay-yours');
    await expect(yours).toBeVisible();
    await expect(box.locator(c.figure === 'version-matrix' ? 'svg.overlay-matrix' : 'svg.overlay-published')).toHaveCount(1);
    const painted = yours.locator(c.figure === 'version-matrix' ? '.overlay-outline' : '.overlay-stroke, .overlay-fill');
    expect(await painted.count()).toBeGreaterThan(0);
    const overlay = await box.evaluate((el) => getComputedStyle(el).getPropertyValue('--overlay').trim());
    const colour = await painted.first().evaluate((el) => (el.classList.contains('overlay-fill') ? getComputedStyle(el).fill : getComputedStyle(el).stroke));
    expect(overlay).toMatch(/light-dark|#/);
    expect(colour).toBe('rgb(176, 19, 111)');
    // The CLI's table and verdict.
    await expect(box.locator('.compare-verdict')).toHaveText(/^REPRODUCED: \d+ reproduced, 0 differ, \d+ not comparable \(compared with the published (run|records) /);
    await expect(box.locator('.compare-table thead th')).toHaveText(['build', 'measurement', 'published', 'yours', 'verdict', 'rule']);
    expect(await box.locator('.compare-table tbody tr').count()).toBeGreaterThan(0);

    // The drawn overlay passes axe, as the page does.
    const axe = await new AxeBuilder({ page }).include(`[data-compare-run="${c.figure}"]`).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    // On a phone the chart is drawn again at the narrow layout.
    const width = () => yours.evaluate((svg) => (svg as SVGSVGElement).viewBox.baseVal.width);
    const wide = await width();
    await page.setViewportSize({ width: 360, height: 800 });
    await expect.poll(width).toBeLessThan(wide);
  });
}

test('an article without figures loads no part of the control', async ({ page }) => {
  const scripts = scriptBytes(page);
  await page.goto('/articles/methodology/');
  await page.waitForLoadState('networkidle');
  const loaded = await scripts();
  measured(`/articles/methodology/: ${loaded.raw} B raw, ${loaded.transferred} B transferred (${loaded.files.join(' ')})`);
  expect(await page.locator('[data-compare-run]').count()).toBe(0);
  expect(loaded.files.filter((f) => /CompareRun|overlay/.test(f))).toEqual([]);
});

// ---------------------------------------------------------------- hostile files

const SCRIPTS = [
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<script>window.__pwned=1;alert(1)</script>',
  'javascript:alert(1)',
  '"><svg onload=alert(1)>',
  '</text><foreignObject><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe></foreignObject>',
  "';alert(1);//",
];

/** Every string leaf's path, one per field (array items collapsed to their first). */
function stringPaths(value: unknown, at: (string | number)[] = [], seen = new Set<string>()): (string | number)[][] {
  if (typeof value === 'string') {
    const key = at.map((k) => (typeof k === 'number' ? '[]' : k)).join('.');
    if (seen.has(key)) return [];
    seen.add(key);
    return [at];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i], seen));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k], seen));
  return [];
}

function setAt(record: unknown, at: (string | number)[], v: unknown): unknown {
  const copy = structuredClone(record) as Record<string | number, unknown>;
  let o = copy;
  for (const k of at.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[at.at(-1)!] = v;
  return copy;
}

/** The hostile files, made here (never committed): name and content (text, bytes, or a path on disk). */
function hostileFiles(dir: string): { name: string; buffer?: Buffer; path?: string }[] {
  const [zigFile] = recordFiles('s3-leak');
  const text = readFileSync(zigFile!, 'utf8');
  const record = JSON.parse(text) as Record<string, unknown>;
  const json = (name: string, value: unknown) => ({ name, buffer: Buffer.from(JSON.stringify(value)) });
  const raw = (name: string, content: string | Buffer) => ({ name, buffer: Buffer.from(content) });
  const files: { name: string; buffer?: Buffer; path?: string }[] = [];
  // Script in every string field, one field per file, then in all of them at once.
  const paths = stringPaths(record);
  paths.forEach((at, i) => files.push(json(`script-in-${at.join('.')}.json`, setAt(record, at, SCRIPTS[i % SCRIPTS.length]))));
  files.push(json('script-everywhere.json', paths.reduce((r, at, i) => setAt(r, at, SCRIPTS[i % SCRIPTS.length]), record as unknown)));
  files.push({ ...json('ok.json', record), name: '<img src=x onerror=alert(1)>.json' });
  // Numbers JSON has no word for, and ones at the edge of a double.
  const firstRss = /"rss":(\d+)/;
  for (const n of ['NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '1e309', '5e-324']) files.push(raw(`rss-${n}.json`, text.replace(firstRss, `"rss":${n}`)));
  // The verdict is written indented ("peakRssBytes": 123), the samples one a line ("rss":123).
  files.push(raw('peak-1e308.json', text.replace(/"peakRssBytes": ?\d+/, '"peakRssBytes": 1e308')));
  // Valid by the schema's old rules, still hostile: a label that writes the clipboard (OSC 52), and
  // summaries with no evidence behind them: no samples, or every sample zeroed.
  files.push(json('label-osc52.json', setAt(record, ['runtime', 'label'], '1.3.14 (Zig)\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007')));
  files.push(json('no-samples.json', { ...record, samples: [], outsideSamples: [] }));
  const zeroed = (record.samples as { rss: number }[]).map((x) => ({ ...x, rss: 0 }));
  files.push(json('zeroed-samples.json', { ...record, samples: zeroed }));
  files.push(raw('iteration-huge.json', text.replace(/"iteration":\d+/, '"iteration":1e308')));
  // Size: 50 MB, written to disk (a buffer that large cannot cross to the browser).
  const big = path.join(dir, 'fifty-mb.json');
  writeFileSync(big, Buffer.alloc(50 * 2 ** 20, 0x20));
  files.push({ name: 'fifty-mb.json', path: big });
  // Deep nesting, bare and inside a valid record's fields.
  files.push(raw('deep-arrays.json', '['.repeat(100_000) + ']'.repeat(100_000)));
  files.push(raw('deep-objects.json', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)));
  files.push(raw('deep-in-parameters.json', text.replace('"parameters":{', `"parameters":{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)},`)));
  // Prototype keys, at the top and nested.
  files.push(raw('proto-top.json', text.replace('{', '{"__proto__":{"polluted":"yes","toString":"<img src=x onerror=alert(1)>"},')));
  files.push(raw('constructor-prototype.json', text.replace('{', '{"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},')));
  files.push(raw('proto-in-runtime.json', text.replace('"runtime":{', '"runtime":{"__proto__":{"label":"<img src=x onerror=alert(1)>"},')));
  files.push(json('proto-only.json', JSON.parse('{"__proto__":{"scenario":"s3-leak"}}')));
  // Cut short, empty, binary, other formats.
  for (const at of [1, 100, 5000, Math.floor(text.length / 2), text.trimEnd().length - 1]) files.push(raw(`truncated-at-${at}.json`, text.slice(0, at)));
  files.push(raw('empty.json', ''));
  files.push(raw('whitespace.json', '   \n\t  '));
  files.push(raw('binary.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))));
  files.push(raw('png-header.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])));
  files.push(raw('bom.json', '\ufeff' + text));
  files.push(raw('utf16.json', Buffer.from(text.slice(0, 2000), 'utf16le')));
  files.push(raw('page.html', '<!doctype html><img src=x onerror=alert(1)><script>alert(1)</script>'));
  files.push(raw('image.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'));
  files.push(raw('string.json', JSON.stringify('<script>alert(1)</script>')));
  files.push(raw('null.json', 'null'));
  // Wrong scenario and schema.
  files.push(raw('sql-pool.json', readFileSync(recordFiles('sql-pool')[0]!, 'utf8')));
  files.push(raw('s3-upload.json', readFileSync(recordFiles('s3-upload')[0]!, 'utf8')));
  files.push(json('schema-1.json', { ...record, schemaVersion: 1 }));
  files.push(json('scenario-script.json', { ...record, scenario: '<img src=x onerror=alert(1)>' }));
  files.push(json('compare-report.json', { kind: 'casebook-compare', reportVersion: 1, rows: [{ build: '<img src=x onerror=alert(1)>' }] }));
  // Arrays of records.
  files.push(json('array-two.json', [record, setAt(record, ['runtime', 'label'], SCRIPTS[0])]));
  files.push(json('array-with-bad.json', [record, { scenario: 's3-leak' }]));
  files.push(json('array-empty.json', []));
  files.push(json('array-nested.json', [[record]]));
  files.push(json('figure-download.json', { figure: { id: '<script>alert(1)</script>' }, records: [setAt(record, ['runtime', 'label'], SCRIPTS[1])] }));
  return files;
}

test('hostile files: no script runs, nothing appears outside the figure, no CSP violation, and the control still works', async ({ page }) => {
  test.setTimeout(600_000);
  const figure = 's3-rss';
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const cspLogged: string[] = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspLogged.push(m.text()); });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[]; outside: string[] };
    w.cspViolations = [];
    w.outside = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  await page.goto('/articles/s3-read-leak/');
  await page.waitForLoadState('networkidle');
  // Every change to the page outside the figure, from here on.
  await page.evaluate((id) => {
    const w = window as unknown as { outside: string[] };
    const fig = document.getElementById(`fig-${id}`)!;
    new MutationObserver((records) => {
      for (const r of records) {
        if (fig.contains(r.target)) continue;
        const added = [...r.addedNodes].map((n) => (n as Element).outerHTML ?? n.nodeName).join(' ');
        w.outside.push(`${r.type} on <${(r.target as Element).nodeName}>${added ? `: ${added}` : ''}${r.attributeName ? ` ${r.attributeName}` : ''}`);
      }
    }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  }, figure);

  const files = hostileFiles(test.info().outputPath());
  expect(files.length).toBeGreaterThanOrEqual(50);
  const input = control(page, figure).locator('input[type=file]');
  const status = control(page, figure).locator('[data-compare-status]');
  // Markup that could run script: the figure's own (its islands' scripts) is counted first.
  const planted = () =>
    page.locator(`#fig-${figure}`).evaluate((fig) =>
      fig.querySelectorAll('img, iframe, object, embed, foreignObject, script, [onerror], [onload], [href^="javascript:"]').length,
    );
  const own = await planted();
  const outcomes: { name: string; accepted: boolean; line: string }[] = [];
  for (const f of files) {
    await status.evaluate((el) => (el.textContent = ''));
    await input.setInputFiles(f.path ?? { name: f.name, mimeType: 'application/json', buffer: f.buffer! });
    const line = await finished(page, figure);
    outcomes.push({ name: f.name, accepted: !(await status.evaluate((el) => el.classList.contains('compare-error'))), line });
    // Nothing the files held became markup anywhere in the figure.
    expect(await planted(), f.name).toBe(own);
  }

  const w = await page.evaluate(() => {
    const { cspViolations, outside, __pwned } = window as unknown as { cspViolations: string[]; outside: string[]; __pwned?: number };
    return { cspViolations, outside, __pwned };
  });
  expect(dialogs).toEqual([]);
  expect(w.__pwned).toBeUndefined();
  expect(w.outside).toEqual([]);
  expect([...cspLogged, ...w.cspViolations]).toEqual([]);
  // Every refusal is one line.
  for (const o of outcomes) expect(o.line, o.name).not.toMatch(/\n/);

  const accepted = outcomes.filter((o) => o.accepted);
  const rejected = outcomes.filter((o) => !o.accepted);
  const byKind = new Map<string, number>();
  for (const o of rejected) {
    const kind = o.line.replace(/^.*?: (?=(not JSON|not a run record|the JSON ends|the file is empty|a \S+ record|JSON, but|an empty list|a compare report|\d+\.\d MB|Could not))/, '').replace(/^(not a run record[^:]*: [^:]+):.*/, '$1').replace(/\(.*$/, '').trim();
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  measured(
    `${outcomes.length} hostile files: ${accepted.length} accepted and harmless (${accepted.map((o) => o.name).join(', ')}); ${rejected.length} rejected: ${[...byKind].map(([k, n]) => `${n}× ${k}`).join('; ')}`,
  );
  console.log(JSON.stringify(outcomes.map((o) => [o.name, o.accepted, o.line])));

  const lineOf = (name: string) => outcomes.find((o) => o.name === name)!;
  expect(lineOf('peak-1e308.json')).toMatchObject({ accepted: false, line: expect.stringMatching(/^peak-1e308\.json: not a run record: verdict\.peakRssBytes: Too big/) });
  expect(lineOf('label-osc52.json')).toMatchObject({ accepted: false, line: 'label-osc52.json: not a run record: runtime.label: a control character or line break in one line of text' });
  expect(lineOf('no-samples.json')).toMatchObject({ accepted: false, line: expect.stringMatching(/^no-samples\.json: the summary disagrees with the record's own evidence: verdict\.iteration is \d+, the samples give 0$/) });
  expect(lineOf('zeroed-samples.json')).toMatchObject({ accepted: false, line: "zeroed-samples.json: the summary disagrees with the record's own evidence: samples.0.rss is 0, which no running probe reports" });

  // The control still works: a valid record, dropped, is drawn and compared.
  mkdirSync(test.info().outputPath(), { recursive: true });
  const zigFile = asRerun(recordFiles('s3-leak')[0]!, test.info().outputPath());
  await status.evaluate((el) => (el.textContent = ''));
  await drop(page, figure, [{ name: path.basename(zigFile), text: readFileSync(zigFile, 'utf8') }]);
  expect(await finished(page, figure)).toBe('1 record of yours compared: REPRODUCED.');
  await expect(control(page, figure).locator('svg.overlay-yours')).toBeVisible();
});

test('the published record itself, dropped back in, is drawn but never compared with itself, as in the CLI', async ({ page }) => {
  await page.goto('/articles/s3-read-leak/');
  const files = recordFiles('s3-leak');
  await control(page, 's3-rss').locator('input[type=file]').setInputFiles(files);
  expect(await finished(page, 's3-rss')).toBe(
    `${files.length} records of yours compared: NOT-COMPARABLE. These are the published records themselves, and a run is never compared with itself: rerun or replay it to compare.`,
  );
  await expect(control(page, 's3-rss').locator('svg.overlay-yours')).toBeVisible();
});
