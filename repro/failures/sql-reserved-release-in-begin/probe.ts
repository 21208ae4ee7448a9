// Run under the Bun build being measured (oven-sh/bun#43246): the script, on a temporary
// table. A pool of one connection; a reserved connection begins a transaction and, while it is
// open, the reservation is released; another caller's sql.begin() inserts its row, lets the
// reserved transaction insert and commit, then throws, which must roll its row back. The probe
// reads the committed rows at the end. A build that makes sql.begin() wait for the reserved
// transaction would wait forever on the gate, so the gate also opens by itself after
// CASEBOOK_GATE_MS, and the probe says which opened it. Every step's outcome, and the backend
// each transaction ran on, is reported.

/** The part of Bun's API the probe uses, typed here because the project type-checks under Node. */
type Rows = Record<string, unknown>[];
interface Sql {
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<Rows>;
  begin<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}
interface Pool extends Sql {
  reserve(): Promise<Reserved>;
  close(options?: { timeout?: number }): Promise<void>;
}
interface Reserved extends Sql {
  release(): unknown;
}
interface BunApi {
  SQL: new (url: string | undefined, options: Record<string, unknown>) => Pool;
}
const { SQL } = (globalThis as unknown as { Bun: BunApi }).Bun;
export {};

const gateMs = Number(process.env.CASEBOOK_GATE_MS);
const started = performance.now();
const at = () => Math.round(performance.now() - started);
const message = (error: unknown) => String((error as { message?: unknown })?.message ?? error).slice(0, 200);

const sql = new SQL(process.env.DATABASE_URL, { max: 1 });
await sql`create temp table release_nested (who text)`;

const reserved = await sql.reserve();
const startedNested = Promise.withResolvers<void>();
const gate = Promise.withResolvers<void>();
let gateOpenedBy: 'tx2' | 'timer' | null = null;
const timer = setTimeout(() => {
  gateOpenedBy ??= 'timer';
  gate.resolve();
}, gateMs);

let nestedPid: number | null = null;
let tx2Pid: number | null = null;
let nestedCommittedMs: number | null = null;
let tx2StartedMs: number | null = null;

const nested = reserved.begin(async (tx) => {
  nestedPid = (await tx`select pg_backend_pid() as pid`)[0]!.pid as number;
  startedNested.resolve();
  await gate.promise;
  await tx`insert into release_nested values ('nested')`;
});
// Settled here so that a rejection is recorded, not thrown; awaited inside tx2 as in the issue.
const nestedOutcome = nested.then(
  () => {
    nestedCommittedMs = at();
    return 'committed';
  },
  (error: unknown) => `rejected: ${message(error)}`,
);
await startedNested.promise;
reserved.release(); // the reserved transaction is still open

const tx2Outcome = await sql
  .begin(async (tx2) => {
    tx2StartedMs = at();
    tx2Pid = (await tx2`select pg_backend_pid() as pid`)[0]!.pid as number;
    await tx2`insert into release_nested values ('tx2')`;
    gateOpenedBy ??= 'tx2';
    gate.resolve();
    await nestedOutcome;
    throw new Error('roll back tx2');
  })
  .then(
    () => 'committed',
    (error: unknown) => (message(error) === 'roll back tx2' ? 'rolled back' : `rejected: ${message(error)}`),
  );
clearTimeout(timer);

// Whatever the connection was left in, only committed rows count: a rollback first (a warning,
// no error, when no transaction is open), then the table as committed.
await sql`rollback`;
const rows = (await sql`select who from release_nested order by who`).map((r) => String(r.who));
await sql.close({ timeout: 0 });

console.log(
  JSON.stringify({
    ev: 'result',
    rows,
    tx2RowCommitted: rows.includes('tx2'),
    nestedRowCommitted: rows.includes('nested'),
    nestedOutcome: await nestedOutcome,
    tx2Outcome,
    gateOpenedBy,
    sameBackend: nestedPid !== null && nestedPid === tx2Pid,
    tx2StartedMs,
    nestedCommittedMs,
  }),
);
