// A short real sql-pool run with --live (embedded PostgreSQL, the pinned builds): the stream has each
// build's record first, then the trial repetition by repetition, then the finished trial, then the
// records as written and the end with the verdict; after the end the page stays until Ctrl-C, which exits with the run's code.
import { request } from 'node:http';
import { afterAll, expect, test } from 'vitest';
import type { LiveEvent } from '../../../repro/harness/live/events.ts';
import type { SqlPoolLiveUpdate } from '../../../repro/scenarios/sql-pool/live.ts';
import { isAlive, privateTmp, removeDirs, startCli, watchDescendants } from '../harness/run-cli.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

test('sql-pool --live: records, then trials as they go, then the end; Ctrl-C after it exits 0', {
  timeout: 240_000,
}, async () => {
  const tmpdir = privateTmp('live-sql');
  dirs.push(tmpdir);
  const cli = startCli(
    [
      'sql-pool',
      '--live',
      '--faults',
      'terminate',
      '--orderings',
      'after',
      '--repetitions',
      '2',
      '--pause-ms',
      '500',
      '--out',
      `${tmpdir}/out`,
    ],
    { tmpdir },
  );
  const watch = watchDescendants(cli.pid);
  let url: string | undefined;
  while (!url && cli.child.exitCode === null) {
    url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(cli.stdout())?.[1];
    await new Promise((r) => setTimeout(r, 50));
  }
  const events: LiveEvent[] = await new Promise((resolve, reject) => {
    const req = request(new URL('events', url), (res) => {
      const got: LiveEvent[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let cut; (cut = buffer.indexOf('\n\n')) >= 0; ) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, cut))?.[1];
          buffer = buffer.slice(cut + 2);
          if (!data) continue;
          got.push(JSON.parse(data));
          if (got.at(-1)!.type === 'end') {
            req.destroy();
            resolve(got);
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  const shape = events.map((e) => {
    if (e.type !== 'update') return e.type === 'record' ? `record ${e.index}` : e.type;
    const { trial, done } = e.payload as SqlPoolLiveUpdate;
    return `trial ${e.index} ${trial.repetitions.length}${done ? ' done' : ''}`;
  });
  expect(shape.slice(0, 3)).toEqual(['hello', 'record 0', 'record 1']);
  // Two counted repetitions per build (a retried attempt, whose condition did not hold, adds one).
  for (const index of [0, 1]) {
    const own = shape.filter((s) => s.startsWith(`trial ${index} `));
    expect(own.at(-1)).toMatch(/ done$/);
    // The finished trial comes as soon as it is done, before the record written at the end.
    expect(shape.indexOf(own.at(-1)!)).toBeLessThan(shape.lastIndexOf(`record ${index}`));
    expect(own.slice(0, 2)).toEqual([`trial ${index} 1`, `trial ${index} 2`]);
  }
  const end = events.at(-1) as Extract<LiveEvent, { type: 'end' }>;
  expect(end.status).toBe('complete');
  expect(end.compare?.verdict).toMatch(/^(reproduced|differs|not-comparable)$/);
  expect(end.records.map((r) => r.label)).toEqual(['1.3.14 (Zig)', '1.4.5 (Rust)']);
  await new Promise((r) => setTimeout(r, 200));
  expect(cli.child.exitCode).toBe(null);
  expect(cli.stdout()).toMatch(/^the live page stays at http:\/\/127\.0\.0\.1:\d+\/ until Ctrl-C$/m);
  cli.child.kill('SIGINT');
  const r = await cli.result;
  watch.stop();
  expect(r.code).toBe(0);
  expect([...watch.seen.values()].filter(isAlive)).toEqual([]);
});
