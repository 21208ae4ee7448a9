// The process registry stops what it starts: stubborn processes, stopped processes, and their children.
import { afterEach, beforeEach, describe, expect, test, vi, type MockInstance } from 'vitest';
import { livePids, onInterrupt, spawnTracked, stopAll, type Interrupt } from '../../../repro/harness/processes.ts';
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
  await expect(spawnTracked('/no/such/program', [], { env })).rejects.toThrow(
    /^cannot start \/no\/such\/program: spawn .* ENOENT$/,
  );
});

test('when the harness is SIGKILLed, the kernel kills its children (parent-death signal)', async () => {
  const { spawn } = await import('node:child_process');
  const fixture = new URL('../../fixtures/programs/spawns-sleeper.ts', import.meta.url).pathname;
  const harness = spawn(process.execPath, [fixture], { stdio: ['ignore', 'pipe', 'inherit'] });
  const childPid = await new Promise<number>((resolve) =>
    harness.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  expect(isAlive(childPid)).toBe(true);
  harness.kill('SIGKILL'); // no exit handler runs: only the kernel can clean up now
  await waitFor(() => (isAlive(childPid) ? [] : [true]));
  expect(isAlive(childPid)).toBe(false);
});

describe('onInterrupt: the first signal aborts, a second quits at once — except while the records are written', () => {
  // The handlers are tested in this process: other SIGINT/SIGTERM/SIGHUP listeners (the test runner's)
  // are set aside, and process.exit is stubbed only for the length of each test.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const saved = new Map<string, NodeJS.SignalsListener[]>();
  let exit: MockInstance<typeof process.exit>;
  let interrupt: Interrupt;
  const notices: string[] = [];
  beforeEach(() => {
    for (const s of signals) saved.set(s, process.listeners(s) as NodeJS.SignalsListener[]);
    for (const s of signals) process.removeAllListeners(s);
    exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    notices.length = 0;
    interrupt = onInterrupt((line) => notices.push(line));
  });
  afterEach(() => {
    interrupt.dispose();
    exit.mockRestore();
    for (const s of signals) for (const listener of saved.get(s)!) process.on(s, listener);
  });

  test('a second SIGINT during critical() lets the write finish and does not exit', async () => {
    const written = await interrupt.critical(async () => {
      process.emit('SIGINT', 'SIGINT');
      expect(interrupt.signal.aborted).toBe(true);
      process.emit('SIGINT', 'SIGINT');
      // The write goes on after the second signal (a real one takes a few fsyncs).
      await new Promise((r) => setTimeout(r, 50));
      return 'the record';
    });
    expect(written).toBe('the record');
    expect(exit).not.toHaveBeenCalled();
    expect(notices).toEqual([
      'SIGINT: stopping the run and writing partial records (again to quit at once)',
      'SIGINT: finishing the record being written, then quitting',
    ]);
  });

  test('outside critical(), the second signal (SIGTERM too) exits 130 at once', () => {
    process.emit('SIGTERM', 'SIGTERM');
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGTERM', 'SIGTERM');
    expect(exit).toHaveBeenCalledWith(130);
  });

  test('after critical() has ended, a further signal quits at once again', async () => {
    await interrupt.critical(async () => {
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT');
    });
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
  });

  test('the second signal kills the children at once (no grace period), even during critical()', async () => {
    const child = await spawnTracked('sh', ['-c', 'trap "" TERM INT; sleep 1000'], { env });
    await interrupt.critical(async () => {
      process.emit('SIGINT', 'SIGINT');
      expect(isAlive(child.pid)).toBe(true);
      process.emit('SIGINT', 'SIGINT');
      expect((await child.exited).signal).toBe('SIGKILL');
    });
    expect(exit).not.toHaveBeenCalled();
  });

  test('SIGHUP (the terminal closed) aborts like SIGTERM, and never quits at once: a hangup comes more than once', () => {
    process.emit('SIGHUP', 'SIGHUP');
    expect(interrupt.signal.aborted).toBe(true);
    process.emit('SIGHUP', 'SIGHUP');
    expect(exit).not.toHaveBeenCalled();
    expect(notices).toEqual(['SIGHUP: stopping the run and writing partial records']);
    // Someone at a terminal can still mean it: a Ctrl-C after the hangup quits at once.
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(130);
  });

  test("after the run (the live page lingering), a stop request ends the wait, not a run; one more Ctrl-C quits at once, with the run's code", async () => {
    const stopped = interrupt.untilStopped(0);
    process.emit('SIGHUP', 'SIGHUP');
    await stopped;
    expect(interrupt.signal.aborted).toBe(false);
    expect(notices).toEqual([]);
    process.emit('SIGHUP', 'SIGHUP');
    expect(exit).not.toHaveBeenCalled();
    // Nothing is interrupted by it: a finished run's 0 stays 0 (npm's late copy of the key press is such a Ctrl-C).
    process.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(0);
  });
});
