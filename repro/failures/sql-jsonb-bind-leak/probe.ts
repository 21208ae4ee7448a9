// Run under the Bun build being measured (oven-sh/bun#40102). One Bun.SQL connection inserts the
// report's ~65 KB JSON text (JSON.stringify of 300 small objects) CASEBOOK_QUERIES times into a
// text column (the control), then as many times into a jsonb column, with a full collection every
// CASEBOOK_GC_EVERY. Each phase starts after a warm-up and a collection; its anonymous resident
// memory (/proc/self/status RssAnon) is read before and after. The rows are counted and their
// sizes summed in PostgreSQL, so the record shows that every query really carried the payload.
import { readFileSync } from 'node:fs';

/** The part of Bun's API the probe uses, typed here because the project type-checks under Node. */
interface Sql {
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<Record<string, unknown>[]>;
  close(options?: { timeout?: number }): Promise<void>;
}
interface BunApi {
  SQL: new (options: Record<string, unknown>) => Sql;
  gc(force: boolean): void;
}
const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;
const { SQL } = Bun;

const queries = Number(process.env.CASEBOOK_QUERIES);
const gcEvery = Number(process.env.CASEBOOK_GC_EVERY);
const warmup = Number(process.env.CASEBOOK_WARMUP);
const anonBytes = () => Number(/RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

// The report's payload: ~65 KB of JSON text, bound as a string parameter.
const payload = JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ uid: `u${i}`, s: 'x'.repeat(200) })));

const sql = new SQL({ url: process.env.DATABASE_URL, max: 1 });
await sql`create temp table leak_text (id int primary key, data text)`;
await sql`create temp table leak_jsonb (id int primary key, data jsonb)`;

/** One phase: warm-up inserts (the statement prepared, its parameter types known), then the measured ones. */
async function phase(insert: (id: number) => Promise<unknown>) {
  for (let id = 1; id <= warmup; id++) await insert(-id);
  Bun.gc(true);
  const before = anonBytes();
  const started = performance.now();
  for (let id = 1; id <= queries; id++) {
    await insert(id);
    if (id % gcEvery === 0) Bun.gc(true);
  }
  Bun.gc(true);
  return { before, after: anonBytes(), ms: Math.round(performance.now() - started) };
}

const text = await phase((id) => sql`insert into leak_text (id, data) values (${id}, ${payload})`);
const jsonb = await phase((id) => sql`insert into leak_jsonb (id, data) values (${id}, ${payload})`);

// What PostgreSQL received: the measured rows (id > 0) and the bytes of their values.
const [textRows] =
  await sql`select count(*)::int as n, coalesce(sum(octet_length(data)), 0)::float8 as bytes from leak_text where id > 0`;
const [jsonbRows] =
  await sql`select count(*)::int as n, coalesce(sum(octet_length(data::text)), 0)::float8 as bytes from leak_jsonb where id > 0`;
await sql.close({ timeout: 0 });

console.log(
  JSON.stringify({
    ev: 'result',
    queries,
    payloadBytes: Buffer.byteLength(payload),
    textRows: textRows!.n as number,
    textAvgBytes: Math.round((textRows!.bytes as number) / Math.max(1, textRows!.n as number)),
    jsonbRows: jsonbRows!.n as number,
    jsonbAvgBytes: Math.round((jsonbRows!.bytes as number) / Math.max(1, jsonbRows!.n as number)),
    textBeforeAnonBytes: text.before,
    textAfterAnonBytes: text.after,
    textMs: text.ms,
    jsonbBeforeAnonBytes: jsonb.before,
    jsonbAfterAnonBytes: jsonb.after,
    jsonbMs: jsonb.ms,
  }),
);
