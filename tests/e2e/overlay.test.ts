// "Compare with your run" in the real browser, on the built site: a rerun of each scenario that
// measured what the published record did (the record under a run id of its own), chosen or dropped
// on one of its figures, is drawn on the figure itself, in its builds' colours, over the published
// run, and compared (reproduced); the published record itself is not comparable, in the CLI's words;
// at 390 and 1280 px, light and dark, the layers share one frame, the legend names the reader's run,
// each build keeps a colour of its own, a bad file gets one plain line and the table fits the box;
// without JavaScript the figure stays and the control says what it needs; the
// drawing code loads only on first use; and at least
// 50 hostile files run no script, add nothing outside the figure, trip no CSP rule, and leave the
// control working.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { axeViolations } from './axe.ts';
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
    return {
      files: seen.map((s) => new URL(s.url).pathname),
      raw: seen.reduce((n, s) => n + s.raw, 0),
      transferred: seen.reduce((n, s) => n + s.transferred, 0),
    };
  };
}

for (const c of CASES) {
  test(`${c.figure}: a rerun of the published ${c.scenario} record as "your run" is drawn on the figure and reproduced`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const scripts = scriptBytes(page);
    await page.goto(c.page);
    await page.waitForLoadState('networkidle');
    const before = await scripts();
    expect(
      before.files.some((f) => f.includes('/overlay.')),
      'the drawing chunk waits for first use',
    ).toBe(false);
    const box = control(page, c.figure);
    await expect(box.getByText('Nothing is uploaded')).toBeVisible();
    const published = c.figure === 'version-matrix' ? recordFiles(c.scenario).slice(0, 1) : recordFiles(c.scenario);
    mkdirSync(test.info().outputPath(), { recursive: true });
    const files = published.map((f) => asRerun(f, test.info().outputPath()));
    if (c.figure === 'sql-verdicts') {
      // A drop, as a reader drags the files from a folder.
      await drop(
        page,
        c.figure,
        files.map((f) => ({ name: path.basename(f), text: readFileSync(f, 'utf8') })),
      );
    } else {
      await box.locator('input[type=file]').setInputFiles(files);
    }
    expect(await finished(page, c.figure)).toBe(
      `${files.length} record${files.length === 1 ? '' : 's'} of yours, drawn on the figure: reproduced.`,
    );
    await page.waitForLoadState('networkidle');
    const after = await scripts();
    expect(after.files.some((f) => f.includes('/overlay.'))).toBe(true);
    measured(
      `${c.page}: scripts before first use ${before.raw} B raw, ${before.transferred} B transferred (${before.files.join(' ')}); after ${after.raw} B raw, ${after.transferred} B transferred`,
    );

    // The reader's layer, on the figure's own chart (one SVG per layout), over the published marks.
    const chart = page
      .locator(`#fig-${c.figure} .figure-chart .fig-layout > svg.overlay-svg`)
      .filter({ visible: true });
    await expect(chart).toHaveCount(1);
    const painted = chart.locator(
      c.figure === 'version-matrix' ? 'g.overlay-yours .overlay-outline' : 'g.overlay-yours .overlay-mark',
    );
    expect(await painted.count()).toBeGreaterThan(0);
    await expect(chart.locator('.fig-legend')).toContainText('your run');
    // The CLI's table and verdict.
    await expect(box.locator('.compare-verdict')).toHaveText(
      /^REPRODUCED: \d+ reproduced, 0 differ, \d+ not comparable \(compared with the published (run|records) /,
    );
    await expect(box.locator('.compare-table thead th')).toHaveText([
      'build',
      'measurement',
      'published',
      'yours',
      'verdict',
      'rule',
    ]);
    expect(await box.locator('.compare-table tbody tr').count()).toBeGreaterThan(0);

    // The drawn overlay passes axe, as the page does.
    expect(await axeViolations(page, { include: `#fig-${c.figure}` })).toEqual([]);
    // Every layout is drawn with the reader's run: on a phone, the narrow one shows it. A figure drawn at
    // one width only (the matrix) keeps it and scrolls sideways in its region instead.
    const width = () => chart.evaluate((svg) => (svg as SVGSVGElement).viewBox.baseVal.width);
    const wide = await width();
    const oneLayout = (await page.locator(`#fig-${c.figure} .figure-chart-scroll`).count()) > 0;
    await page.setViewportSize({ width: 360, height: 800 });
    if (oneLayout) expect(await width()).toBe(wide);
    else await expect.poll(width).toBeLessThan(wide);
    await expect(chart.locator('g.overlay-yours')).toHaveCount(1);
  });
}

test('an article without figures loads no part of the control', async ({ page }) => {
  const scripts = scriptBytes(page);
  await page.goto('/articles/methodology/');
  await page.waitForLoadState('networkidle');
  const loaded = await scripts();
  measured(
    `/articles/methodology/: ${loaded.raw} B raw, ${loaded.transferred} B transferred (${loaded.files.join(' ')})`,
  );
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
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k], seen));
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
  paths.forEach((at, i) =>
    files.push(json(`script-in-${at.join('.')}.json`, setAt(record, at, SCRIPTS[i % SCRIPTS.length]))),
  );
  files.push(
    json(
      'script-everywhere.json',
      paths.reduce((r, at, i) => setAt(r, at, SCRIPTS[i % SCRIPTS.length]), record as unknown),
    ),
  );
  files.push({ ...json('ok.json', record), name: '<img src=x onerror=alert(1)>.json' });
  // Numbers JSON has no word for, and ones at the edge of a double.
  const firstRss = /"rss":(\d+)/;
  for (const n of ['NaN', 'Infinity', '-Infinity', '1e308', '-1e308', '1e309', '5e-324'])
    files.push(raw(`rss-${n}.json`, text.replace(firstRss, `"rss":${n}`)));
  // The verdict is written indented ("peakRssBytes": 123), the samples one a line ("rss":123).
  files.push(raw('peak-1e308.json', text.replace(/"peakRssBytes": ?\d+/, '"peakRssBytes": 1e308')));
  // Valid by the schema's old rules, still hostile: a label that writes the clipboard (OSC 52), and
  // summaries with no evidence behind them: no samples, or every sample zeroed.
  files.push(
    json('label-osc52.json', setAt(record, ['runtime', 'label'], '1.3.14 (Zig)\u001b]52;c;Y3VybCBldmlsIHwgc2g=\u0007')),
  );
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
  files.push(
    raw(
      'deep-in-parameters.json',
      text.replace('"parameters":{', `"parameters":{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)},`),
    ),
  );
  // Prototype keys, at the top and nested.
  files.push(
    raw(
      'proto-top.json',
      text.replace('{', '{"__proto__":{"polluted":"yes","toString":"<img src=x onerror=alert(1)>"},'),
    ),
  );
  files.push(
    raw(
      'constructor-prototype.json',
      text.replace('{', '{"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},'),
    ),
  );
  files.push(
    raw(
      'proto-in-runtime.json',
      text.replace('"runtime":{', '"runtime":{"__proto__":{"label":"<img src=x onerror=alert(1)>"},'),
    ),
  );
  files.push(json('proto-only.json', JSON.parse('{"__proto__":{"scenario":"s3-leak"}}')));
  // Cut short, empty, binary, other formats.
  for (const at of [1, 100, 5000, Math.floor(text.length / 2), text.trimEnd().length - 1])
    files.push(raw(`truncated-at-${at}.json`, text.slice(0, at)));
  files.push(raw('empty.json', ''));
  files.push(raw('whitespace.json', '   \n\t  '));
  files.push(raw('binary.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))));
  files.push(raw('png-header.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])));
  files.push(raw('bom.json', '\ufeff' + text));
  files.push(raw('utf16.json', Buffer.from(text.slice(0, 2000), 'utf16le')));
  files.push(raw('page.html', '<!doctype html><img src=x onerror=alert(1)><script>alert(1)</script>'));
  files.push(
    raw('image.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'),
  );
  files.push(raw('string.json', JSON.stringify('<script>alert(1)</script>')));
  files.push(raw('null.json', 'null'));
  // Wrong scenario and schema.
  files.push(raw('sql-pool.json', readFileSync(recordFiles('sql-pool')[0]!, 'utf8')));
  files.push(raw('s3-upload.json', readFileSync(recordFiles('s3-upload')[0]!, 'utf8')));
  files.push(json('schema-1.json', { ...record, schemaVersion: 1 }));
  files.push(json('scenario-script.json', { ...record, scenario: '<img src=x onerror=alert(1)>' }));
  files.push(
    json('compare-report.json', {
      kind: 'casebook-compare',
      reportVersion: 1,
      rows: [{ build: '<img src=x onerror=alert(1)>' }],
    }),
  );
  // Arrays of records.
  files.push(json('array-two.json', [record, setAt(record, ['runtime', 'label'], SCRIPTS[0])]));
  files.push(json('array-with-bad.json', [record, { scenario: 's3-leak' }]));
  files.push(json('array-empty.json', []));
  files.push(json('array-nested.json', [[record]]));
  files.push(
    json('figure-download.json', {
      figure: { id: '<script>alert(1)</script>' },
      records: [setAt(record, ['runtime', 'label'], SCRIPTS[1])],
    }),
  );
  return files;
}

test('hostile files: no script runs, nothing appears outside the figure, no CSP violation, and the control still works', async ({
  page,
}) => {
  test.setTimeout(600_000);
  const figure = 's3-rss';
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const cspLogged: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspLogged.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[]; outside: string[] };
    w.cspViolations = [];
    w.outside = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`),
    );
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
        w.outside.push(
          `${r.type} on <${(r.target as Element).nodeName}>${added ? `: ${added}` : ''}${r.attributeName ? ` ${r.attributeName}` : ''}`,
        );
      }
    }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  }, figure);

  const files = hostileFiles(test.info().outputPath());
  expect(files.length).toBeGreaterThanOrEqual(50);
  const input = control(page, figure).locator('input[type=file]');
  const status = control(page, figure).locator('[data-compare-status]');
  // Markup that could run script: the figure's own (its islands' scripts) is counted first.
  const planted = () =>
    page
      .locator(`#fig-${figure}`)
      .evaluate(
        (fig) =>
          fig.querySelectorAll(
            'img, iframe, object, embed, foreignObject, script, [onerror], [onload], [href^="javascript:"]',
          ).length,
      );
  const own = await planted();
  const outcomes: { name: string; accepted: boolean; line: string }[] = [];
  for (const f of files) {
    await status.evaluate((el) => (el.textContent = ''));
    await input.setInputFiles(f.path ?? { name: f.name, mimeType: 'application/json', buffer: f.buffer! });
    const line = await finished(page, figure);
    outcomes.push({
      name: f.name,
      accepted: !(await status.evaluate((el) => el.classList.contains('compare-error'))),
      line,
    });
    // Nothing the files held became markup anywhere in the figure.
    expect(await planted(), f.name).toBe(own);
  }

  const w = await page.evaluate(() => {
    const { cspViolations, outside, __pwned } = window as unknown as {
      cspViolations: string[];
      outside: string[];
      __pwned?: number;
    };
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
    const kind = o.line
      .replace(
        /^.*?(: | is )(?=(not JSON|not a run record|a run record of|the JSON ends|the file is empty|a \S+ record|JSON, but|an empty list|a compare report|\d+\.\d MB|Could not))/,
        '',
      )
      .replace(/^(not a run record[^:]*: [^:]+):.*/, '$1')
      .replace(/\(.*$/, '')
      .trim();
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  measured(
    `${outcomes.length} hostile files: ${accepted.length} accepted and harmless (${accepted.map((o) => o.name).join(', ')}); ${rejected.length} rejected: ${[...byKind].map(([k, n]) => `${n}× ${k}`).join('; ')}`,
  );
  console.log(JSON.stringify(outcomes.map((o) => [o.name, o.accepted, o.line])));

  const lineOf = (name: string) => outcomes.find((o) => o.name === name)!;
  expect(lineOf('peak-1e308.json')).toMatchObject({
    accepted: false,
    line: 'peak-1e308.json is not a run record: field "verdict.peakRssBytes" is too large (1e+308).',
  });
  expect(lineOf('label-osc52.json')).toMatchObject({
    accepted: false,
    line: 'label-osc52.json is not a run record: field "runtime.label" holds a control character or line break in one line of text.',
  });
  expect(lineOf('no-samples.json')).toMatchObject({
    accepted: false,
    line: expect.stringMatching(
      /^no-samples\.json: the summary disagrees with the record's own evidence: verdict\.iteration is \d+, the samples give 0$/,
    ),
  });
  expect(lineOf('zeroed-samples.json')).toMatchObject({
    accepted: false,
    line: "zeroed-samples.json: the summary disagrees with the record's own evidence: samples.0.rss is 0, which no running probe reports",
  });

  // The control still works: a valid record, dropped, is drawn and compared.
  mkdirSync(test.info().outputPath(), { recursive: true });
  const zigFile = asRerun(recordFiles('s3-leak')[0]!, test.info().outputPath());
  await status.evaluate((el) => (el.textContent = ''));
  await drop(page, figure, [{ name: path.basename(zigFile), text: readFileSync(zigFile, 'utf8') }]);
  expect(await finished(page, figure)).toBe('1 record of yours, drawn on the figure: reproduced.');
  await expect(page.locator(`#fig-${figure} g.overlay-yours`).filter({ visible: true })).toHaveCount(1);
});

// ---------------------------------------------------------------- on the figure, at both widths and in both themes

/** WCAG contrast of two CSS colours as the browser computed them ("rgb(r, g, b)"). */
function contrast(a: string, b: string): number {
  const luminance = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? [])
      .slice(0, 3)
      .map(Number)
      .map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The page's background as drawn: the body's, or the root's where the body is transparent. */
const pageBackground = (page: Page) =>
  page.evaluate(
    () =>
      [document.body, document.documentElement]
        .map((el) => getComputedStyle(el).backgroundColor)
        .find((c) => !/^rgba\(.*, 0\)$|^transparent$/.test(c)) ?? 'rgb(255, 255, 255)',
  );

for (const width of [390, 1280]) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${width} px, ${scheme}`, () => {
      test.use({ viewport: { width, height: 900 }, colorScheme: scheme });

      test("your run is drawn inside the figure's own frame, named in its legend, each build in a colour of its own", async ({
        page,
      }) => {
        test.setTimeout(120_000);
        await page.goto('/articles/s3-read-leak/');
        mkdirSync(test.info().outputPath(), { recursive: true });
        const files = recordFiles('s3-leak').map((f) => asRerun(f, test.info().outputPath()));
        const box = control(page, 's3-rss');
        // The styled control: a button-like label around the real input, and the names chosen shown.
        await expect(box.locator('.compare-button')).toBeVisible();
        await expect(box.locator('input[type=file]')).toHaveAccessibleName(
          /Choose files or drop your record files here for figure \d+/,
        );
        await box.locator('input[type=file]').setInputFiles(files);
        expect(await finished(page, 's3-rss')).toBe(
          `${files.length} records of yours, drawn on the figure: reproduced.`,
        );
        await expect(box.locator('[data-compare-files]')).toHaveText(
          `Chosen: ${files.length} files: ${files.map((f) => path.basename(f)).join(', ')}`,
        );

        // One SVG shows both layers: the reader's marks lie inside the published chart's plot area.
        const svg = page.locator('#fig-s3-rss .figure-chart .fig-layout > svg').filter({ visible: true });
        await expect(svg).toHaveCount(1);
        const frame = await svg.evaluate((el) => {
          const box = (q: string) => {
            const rects = [...el.querySelectorAll(q)]
              .map((m) => m.getBoundingClientRect())
              .filter((r) => r.width > 0 || r.height > 0);
            return {
              left: Math.min(...rects.map((r) => r.left)),
              right: Math.max(...rects.map((r) => r.right)),
              top: Math.min(...rects.map((r) => r.top)),
              bottom: Math.max(...rects.map((r) => r.bottom)),
              count: rects.length,
            };
          };
          const s = el.getBoundingClientRect();
          return {
            svg: { left: s.left, right: s.right, top: s.top, bottom: s.bottom },
            yours: box('g.overlay-yours .overlay-mark'),
            published: box('.overlay-faint'),
          };
        });
        expect(frame.yours.count).toBeGreaterThan(0);
        expect(frame.published.count).toBeGreaterThan(0);
        for (const side of ['left', 'top'] as const)
          expect(frame.yours[side]).toBeGreaterThanOrEqual(frame.svg[side] - 1);
        for (const side of ['right', 'bottom'] as const)
          expect(frame.yours[side]).toBeLessThanOrEqual(frame.svg[side] + 1);
        // A rerun that measured the same lies on the published marks: the same plot area, within a few px.
        for (const side of ['left', 'right', 'top', 'bottom'] as const)
          expect(Math.abs(frame.yours[side] - frame.published[side])).toBeLessThan(12);
        await expect(svg.locator('.fig-legend')).toContainText('your run');

        // Each build's marks of yours keep that build's colour: two builds, two colours, each ≥ 3:1 on the page.
        const colours = await svg.evaluate((el) => {
          const byBuild = new Map<string, Set<string>>();
          for (const m of el.querySelectorAll('g.overlay-yours .overlay-mark')) {
            const shade = [...m.classList].find((c) => /^fig-stroke-/.test(c));
            if (!shade) continue;
            const colour = getComputedStyle(m).stroke;
            byBuild.set(shade, (byBuild.get(shade) ?? new Set()).add(colour));
          }
          return { builds: [...byBuild].map(([shade, set]) => [shade, [...set]] as const) };
        });
        const background = await pageBackground(page);
        expect(
          contrast(background, scheme === 'dark' ? 'rgb(0, 0, 0)' : 'rgb(255, 255, 255)'),
          `a ${scheme} page`,
        ).toBeLessThan(1.5);
        expect(colours.builds.length).toBe(2);
        const [first, second] = colours.builds.map(([, set]) => set);
        expect(first).toHaveLength(1);
        expect(second).toHaveLength(1);
        expect(first![0]).not.toBe(second![0]);
        for (const [shade, [colour]] of colours.builds)
          expect(contrast(colour!, background), shade).toBeGreaterThanOrEqual(3);

        // "Remove your run" puts the published chart back.
        await box.getByRole('button', { name: 'Remove your run from the figure' }).click();
        await expect(page.locator('#fig-s3-rss g.overlay-yours')).toHaveCount(0);
      });

      test("the published record itself, dropped back in, is drawn and said to be not comparable, in the CLI's words", async ({
        page,
      }) => {
        await page.goto('/articles/s3-read-leak/');
        const files = recordFiles('s3-leak');
        await control(page, 's3-rss').locator('input[type=file]').setInputFiles(files);
        expect(await finished(page, 's3-rss')).toBe(
          `${files.length} records of yours, drawn on the figure: not comparable, as a run is never compared with itself, and there is no other published s3-leak run to compare with.`,
        );
        await expect(control(page, 's3-rss').locator('.compare-verdict')).toHaveText(
          /^NOT-COMPARABLE: 0 reproduced, 0 differ, 2 not comparable /,
        );
        await expect(page.locator('#fig-s3-rss g.overlay-yours').filter({ visible: true })).toHaveCount(1);
      });

      test('a file that is not a run record gets one plain, styled line', async ({ page }) => {
        await page.goto('/articles/s3-read-leak/');
        const { scenario: _, ...record } = JSON.parse(readFileSync(recordFiles('s3-leak')[0]!, 'utf8')) as Record<
          string,
          unknown
        >;
        await drop(page, 's3-rss', [{ name: 'mine.json', text: JSON.stringify(record) }]);
        const status = control(page, 's3-rss').locator('[data-compare-status]');
        expect(await finished(page, 's3-rss')).toBe('mine.json is not a run record: field "scenario" is missing.');
        await expect(status).toHaveClass(/compare-error/);
        const look = await status.evaluate((el) => ({
          color: getComputedStyle(el).color,
          border: getComputedStyle(el).borderLeftStyle,
          lines: Math.round(
            el.getBoundingClientRect().height /
              (parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.4),
          ),
        }));
        expect(look.border).toBe('solid');
        expect(contrast(look.color, await pageBackground(page))).toBeGreaterThanOrEqual(4.5);
        if (width >= 1280) expect(look.lines).toBe(1);
      });

      test('the SQL compare table fits its box, with no sideways scroll', async ({ page }) => {
        test.setTimeout(120_000);
        await page.goto('/articles/sql-pool-after-scale-to-zero/');
        mkdirSync(test.info().outputPath(), { recursive: true });
        const files = recordFiles('sql-pool').map((f) => asRerun(f, test.info().outputPath()));
        const box = control(page, 'sql-verdicts');
        await box.locator('input[type=file]').setInputFiles(files);
        await finished(page, 'sql-verdicts');
        const fit = await box.evaluate((el) => {
          const scroll = el.querySelector('.compare-scroll')!;
          const table = el.querySelector('.compare-table')!;
          return {
            box: el.clientWidth,
            scroll: scroll.scrollWidth - scroll.clientWidth,
            table: table.getBoundingClientRect().width,
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            rows: el.querySelectorAll('.compare-table tbody tr').length,
          };
        });
        expect(fit.rows).toBeGreaterThan(0);
        expect(fit.scroll).toBe(0);
        expect(fit.table).toBeLessThanOrEqual(fit.box);
        expect(fit.page).toBe(0);
      });
    });
  }
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the figure stays, and the control says it needs JavaScript and how to compare without it', async ({ page }) => {
    await page.goto('/articles/s3-read-leak/');
    await expect(page.locator('#fig-s3-rss .figure-chart svg').filter({ visible: true })).toHaveCount(1);
    const box = control(page, 's3-rss');
    await expect(box).toBeVisible();
    await expect(box.locator('[data-compare-nojs]')).toContainText('needs JavaScript');
    await expect(box.locator('[data-compare-nojs]')).toContainText('npm run repro -- compare');
    await expect(box.locator('input[type=file]')).toBeHidden();
  });
});
