// The process registry stops what it starts: stubborn processes, stopped processes, and their children.
import { expect, test } from 'vitest';
import { livePids, spawnTracked, stopAll } from '../../../repro/harness/processes.ts';
import { childrenOf, isAlive } from './run-cli.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

/** Waits until `read()` returns a non-empty list (a condition, not a sleep). */
async function waitFor<T>(read: () => T[]): Promise<T[]> {
  for (;;) {
    const value = read();
    if (value.length > 0) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a process that ignores SIGTERM is killed with SIGKILL, and its child with it', async () => {
  // The shell ignores TERM and waits on a sleeping child: only SIGKILL to the group ends both.
  const p = await spawnTracked('sh', ['-c', 'trap "" TERM; sleep 1000 & wait'], { env });
  const [grandchild] = await waitFor(() => childrenOf(p.pid));
  expect(livePids()).toContain(p.pid);

  const exit = await p.stop(200);
  expect(exit.signal).toBe('SIGKILL');
  await waitFor(() => (isAlive(grandchild!) ? [] : [true]));
  expect(livePids()).not.toContain(p.pid);
});

test('a stopped (SIGSTOP) process is continued first, so SIGTERM ends it', async () => {
  const p = await spawnTracked('sleep', ['1000'], { env });
  p.signal('SIGSTOP');
  // Without SIGCONT the TERM would stay pending and only the SIGKILL after the grace period would land.
  const exit = await p.stop(60_000);
  expect(exit.signal).toBe('SIGTERM');
});

test('stopAll ends every tracked process', async () => {
  const a = await spawnTracked('sleep', ['1000'], { env });
  const b = await spawnTracked('sleep', ['1000'], { env });
  await stopAll(1000);
  expect(isAlive(a.pid)).toBe(false);
  expect(isAlive(b.pid)).toBe(false);
  expect(livePids()).toEqual([]);
});

test('a command that cannot start is a one-line error, not a crash', async () => {
  await expect(spawnTracked('/no/such/program', [], { env })).rejects.toThrow(/^cannot start \/no\/such\/program: spawn .* ENOENT$/);
});

test('when the harness is SIGKILLed, the kernel kills its children (parent-death signal)', async () => {
  const { spawn } = await import('node:child_process');
  const fixture = new URL('../../fixtures/programs/spawns-sleeper.ts', import.meta.url).pathname;
  const harness = spawn(process.execPath, [fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
  const childPid = await new Promise<number>((resolve) => harness.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  expect(isAlive(childPid)).toBe(true);
  harness.kill('SIGKILL'); // no exit handler runs: only the kernel can clean up now
  await waitFor(() => (isAlive(childPid) ? [] : [true]));
  expect(isAlive(childPid)).toBe(false);
});
