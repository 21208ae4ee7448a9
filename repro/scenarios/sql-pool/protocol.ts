// The line protocols of the SQL scenario, as zod schemas: what the Bun worker prints (one JSON object
// per line on stdout) and what the kernel-blackhole relay prints. The harness parses every line with
// these; a line that does not parse is kept as text, never guessed at.
import { z } from 'zod';
import { parseJsonLine } from '../../harness/lines.ts';
import { SocketOptions } from '../../core/record/schema.ts';

const BunTime = z.number().nonnegative();
const ErrorFields = {
  code: z.string().nullable(),
  errno: z.string().nullable(),
  message: z.string(),
};

/** The worker's lines, by `ev`. `t` is ms since the worker started, on Bun's clock. */
export const WorkerLine = z.discriminatedUnion('ev', [
  z.object({
    ev: z.literal('start'),
    t: BunTime,
    bun: z.string(),
    revision: z.string(),
    pool: z.record(z.string(), z.number()),
  }),
  z.object({ ev: z.literal('ready'), t: BunTime, pids: z.array(z.number().int()), warmup: z.enum(['full', 'min']) }),
  /** `min` warm-up only: the worker is about to stop itself; `connected` pool connections had run onconnect. */
  z.object({ ev: z.literal('freezing'), t: BunTime, connected: z.number().int().nonnegative() }),
  z.object({ ev: z.literal('timer_armed'), t: BunTime, id: z.string(), delay: z.number() }),
  z.object({ ev: z.literal('timer_fired'), t: BunTime, id: z.string() }),
  /** A gap between two ticks of the worker's 100 ms interval: the pause, on Bun's clock. */
  z.object({ ev: z.literal('resumed'), t: BunTime, gapMs: z.number() }),
  z.object({ ev: z.literal('onconnect'), t: BunTime, ok: z.boolean(), ...ErrorFields }),
  z.object({ ev: z.literal('onclose'), t: BunTime, ok: z.boolean(), ...ErrorFields }),
  z.object({ ev: z.literal('query_start'), t: BunTime, id: z.string(), kind: z.string() }),
  z.object({
    ev: z.literal('result'),
    t: BunTime,
    id: z.string(),
    kind: z.string(),
    ok: z.boolean(),
    ms: z.number().nonnegative(),
    pid: z.number().int().optional(),
    pids: z.array(z.number().int()).optional(),
    code: z.string().nullable().optional(),
    errno: z.string().nullable().optional(),
    message: z.string().optional(),
  }),
  /** `S`: getsockopt on each of the worker's TCP sockets, by inode; `error` when the reading itself failed. */
  z.object({
    ev: z.literal('sockets'),
    t: BunTime,
    sockets: z.array(SocketOptions.extend({ inode: z.number().int().nonnegative() })).max(256),
    error: z.string().nullable(),
  }),
  z.object({ ev: z.literal('bad_command'), t: BunTime, line: z.string() }),
  z.object({ ev: z.literal('warmup_failed'), t: BunTime, ...ErrorFields }),
]);
export type WorkerLine = z.infer<typeof WorkerLine>;

/** Parses one line of the worker's stdout; null for anything that is not a protocol line. */
export const parseWorkerLine = (text: string) => parseJsonLine(WorkerLine, text);

/** The kernel-blackhole relay's lines: its port once, then each accepted and closed flow by Bun's port. */
const RelayLine = z.union([
  z.object({ port: z.number().int().min(1).max(65535) }),
  z.object({ accept: z.number().int() }),
  z.object({ close: z.number().int() }),
]);

export const parseRelayLine = (text: string) => parseJsonLine(RelayLine, text);
