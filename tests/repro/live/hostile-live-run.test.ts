// Issue 19, item 1, as it was reported: a real sql-pool run with --live against someone else's
// PostgreSQL, sent `GET /records/%FF` (what a page on another origin can send with a no-cors fetch)
// while it runs. On main the CLI died there of an uncaught URIError, wrote no record and left its
// roles and database on the server. Now that request gets a 400 and the run ends as any other.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawRequest } from '../../raw-http.ts';
import { startPg15, type Pg15 } from '../harness/pg15.ts';
import { DEBIAN_PG15, needs, requirePrerequisites, skipWithout } from '../../prerequisites.ts';
import { BUN_RUST, privateTmp, recordsIn, removeDirs, startCli, waitFor } from '../harness/run-cli.ts';

const dirs: string[] = [];

describe.skipIf(skipWithout(DEBIAN_PG15))(
  `a live sql-pool run on an existing server (Debian PostgreSQL 15)${needs(DEBIAN_PG15)}`,
  () => {
    let server: Pg15;
    beforeAll(async () => {
      requirePrerequisites(DEBIAN_PG15);
      server = await startPg15();
    });
    afterAll(() => {
      server?.stop();
      removeDirs(dirs);
    });

    test('a malformed request mid-run is a 400; the run writes its record and drops its roles and database', {
      timeout: 120_000,
    }, async () => {
      const tmpdir = privateTmp('hostile-live');
      dirs.push(tmpdir);
      const out = `${tmpdir}/out`;
      // One build, one short trial: the attack needs a run under way, not a long one.
      const cli = startCli(
        [
          'sql-pool',
          '--live',
          '--bun',
          BUN_RUST,
          '--faults',
          'terminate',
          '--orderings',
          'after',
          '--repetitions',
          '1',
          '--pause-ms',
          '200',
          '--out',
          out,
        ],
        { tmpdir, env: { DATABASE_URL: server.url } },
      );
      await waitFor(
        'the live page',
        () => /LIVE page: http:\/\/127\.0\.0\.1:\d+\//.test(cli.stdout()) || cli.child.exitCode !== null,
      );
      const port = Number(/LIVE page: http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.stdout())?.[1]);
      // The attack lands while the run holds its roles and database on the server.
      while ((await server.namesLike('casebook_')).databases.length === 0 && cli.child.exitCode === null)
        await new Promise((r) => setTimeout(r, 50));

      const attack = await rawRequest(port, 'GET', '/records/%FF');
      expect(attack.status).toBe(400);
      expect(cli.child.exitCode).toBeNull();

      await waitFor(
        'the run to end',
        () => /the live page stays at/.test(cli.stdout()) || cli.child.exitCode !== null,
        100_000,
      );
      cli.child.kill('SIGINT');
      const result = await cli.result;
      expect(result.code, result.stderr).toBe(0);
      const records = recordsIn(out);
      expect(records.map((r) => r.record.status)).toEqual(['complete']);
      expect(await server.namesLike('casebook_')).toEqual({ roles: [], databases: [] });
    });
  },
);
