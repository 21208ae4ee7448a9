// The WebContainer page's commands, exactly as the page spawns them (src/browser-run/commands.ts),
// run under plain Node in a temporary folder holding the tree the page mounts: npm install (from the
// npm cache when it can), the replay on the live page (its page served, its events streamed, framable
// by the embedding origin only), and compare on a record dropped in, which reproduces the published run.
// The commands run under the Node that runs this test; to try the container's (CONTAINER_NODE in
// src/bundles/browser.ts), run vitest under that Node: `<node 22.22.0> node_modules/vitest/vitest.mjs run …`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FileSystemTree } from '@webcontainer/api';
import { afterAll, expect, test } from 'vitest';
import {
  compareCommand,
  DROP_DIR,
  dropFileName,
  INSTALL,
  replayCommand,
  replayEnv,
  replaySpeed,
  type Command,
} from '../../../src/browser-run/commands.ts';
import { browserBundle } from '../../../src/bundles/browser.ts';
import { bundleScenarios } from '../../../src/bundles/scenarios.ts';
import { fixtureRecords } from '../../unit/site/fixtures.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const EMBEDDER = 'https://casebook.example';
const workRoot = mkdtempSync(path.join(tmpdir(), 'browser-run-'));
// `npm run` finds `node` on PATH, as in the container, where the pinned Node package is left out too.
const env = {
  ...process.env,
  PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
  npm_config_prefer_offline: 'true',
  npm_config_update_notifier: 'false',
};
const running: ChildProcess[] = [];

function writeTree(tree: FileSystemTree, at: string) {
  for (const [name, node] of Object.entries(tree)) {
    const p = path.join(at, name);
    if ('directory' in node) {
      mkdirSync(p, { recursive: true });
      writeTree(node.directory, p);
    } else if ('file' in node && 'contents' in node.file) writeFileSync(p, node.file.contents);
  }
}

/** Spawns a command in its own process group (npm, sh and node), so the whole group can be stopped. */
function startIn(work: string, cmd: Command, extraEnv: Record<string, string> = {}) {
  const child = spawn(cmd.command, cmd.args, {
    cwd: work,
    env: { ...env, ...extraEnv },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const exit = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : 15))),
  );
  return { child, exit, out: () => stdout, err: () => stderr };
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT') {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) stopGroup(child, 'SIGKILL');
  rmSync(workRoot, { recursive: true, force: true });
});

function get(
  url: string,
  onData?: (text: string, stop: () => void) => void,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let body = '';
      const done = () => resolve({ status: res.statusCode!, headers: res.headers, body });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        onData?.(body, () => {
          req.destroy();
          done();
        });
      });
      res.on('end', done);
    });
    req.on('error', reject);
    req.end();
  });
}

// Every scenario the page offers (the registry's).
// Every scenario the page offers: those with a bundle (the catalogue's failures rerun from a clone).
test.each(bundleScenarios.map((s) => s.name))(
  '%s: npm install, the replay on the live page, and compare on a dropped record',
  { timeout: 120_000 },
  async (scenario) => {
    const work = path.join(workRoot, scenario);
    const bundle = browserBundle(scenario, root, fixtureRecords, 'https://example.org');
    mkdirSync(work);
    writeTree(bundle.tree, work);
    const start = (cmd: Command, extraEnv: Record<string, string> = {}) => startIn(work, cmd, extraEnv);
    const install = start(INSTALL);
    expect(await install.exit, install.err()).toBe(0);
    expect(JSON.parse(readFileSync(path.join(work, 'node_modules/zod/package.json'), 'utf8')).name).toBe('zod');

    const replay = start(replayCommand(scenario, bundle.reference, replaySpeed(bundle.runMs)), replayEnv(EMBEDDER));
    const url = await new Promise<string>((resolve, reject) => {
      const look = () => {
        const m = /REPLAY \(not a new run\) of .*: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(replay.out());
        if (m) resolve(m[1]!);
      };
      replay.child.stdout!.on('data', look);
      void replay.exit.then((code) =>
        reject(new Error(`the replay exited (${code}) before printing its address: ${replay.err()}`)),
      );
    });

    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<strong>Replay</strong>');
    expect(page.headers['content-security-policy']).toMatch(
      new RegExp(`frame-ancestors ${EMBEDDER.replaceAll('.', '\\.')}$`),
    );
    expect(page.headers['x-frame-options']).toBeUndefined();

    // The stream: the hello, each build's record, then the scenario's updates as the replay reaches them.
    const events = await get(`${url}events`, (text, stop) => {
      if (/event: update/.test(text)) stop();
    });
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.body).toMatch(/^event: hello$/m);
    expect(events.body).toMatch(/^event: record$/m);
    expect(events.body).toMatch(/^event: update$/m);
    expect(events.body).toContain('"mode":"replay"');

    // A record dropped on the page: the published run's measurements under another run id.
    const reference = JSON.parse(readFileSync(path.join(work, bundle.reference[0]!), 'utf8'));
    const dropped = 'my run.json';
    mkdirSync(path.join(work, DROP_DIR), { recursive: true });
    writeFileSync(
      path.join(work, DROP_DIR, dropFileName(dropped)),
      JSON.stringify({ ...reference, runId: '20261126T000000Z-mine' }),
    );
    const compare = start(compareCommand(dropped));
    expect(await compare.exit, compare.out() + compare.err()).toBe(0);
    // A row the published run itself has too few repetitions for stays not comparable (the sql-pool fixture has one).
    expect(compare.out()).toMatch(/^REPRODUCED: [1-9]\d* reproduced, 0 differ, \d+ not comparable$/m);

    // The replay serves its page until stopped, like Ctrl-C in a terminal; then the group is gone.
    stopGroup(replay.child);
    expect(await replay.exit).not.toBeNull();
  },
);
