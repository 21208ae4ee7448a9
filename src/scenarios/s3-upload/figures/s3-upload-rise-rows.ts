// The s3-upload-rise figure's rows (drawn by s3-upload-rise.ts): pure transforms from records to rows,
// one per upload, and from rows to the series the chart draws (each build's medians, the counted
// uploads, the controls, where each build's line ends), tested without drawing.
import type { RunRecord, S3UploadRecord } from '../../../../repro/core/record/schema.ts';
import { counts } from '../../../../repro/scenarios/s3-upload/verdict.ts';
import { buildColumns, memory, type CsvColumn } from '../../../figures/csv-columns.ts';
import { bytesToMiB } from '../../../lib/format.ts';

export interface UploadRiseRow {
  [key: string]: string | number | boolean | null;
  build: string;
  line: string;
  revision: string;
  /** s3-write: Bun.write(s3file, Bun.file(path)); fetch-presigned: the control, fetch(presigned PUT, { body: Bun.file(path) }). */
  method: string;
  /** The file's size, bytes. */
  payloadBytes: number;
  repetition: number;
  outcome: string;
  /** Whether the upload counts towards the verdict (completed with its checks met, or killed at the cap). */
  counted: boolean;
  /** Highest RssAnon the harness read from outside during the upload, minus the level just before it, bytes. */
  riseBytes: number | null;
  /** The median of the counted uploads' rises for this build, method and size, bytes. */
  medianRiseBytes: number | null;
  /** The build's verdict. */
  verdict: string;
}

export function selectUploadRise(records: readonly RunRecord[]): UploadRiseRow[] {
  return records
    .filter((r): r is S3UploadRecord => r.scenario === 's3-upload')
    .flatMap((r) =>
      r.uploads.map((u) => ({
        build: r.runtime.label,
        line: r.runtime.line,
        revision: r.runtime.revision,
        method: u.method,
        payloadBytes: u.payloadMiB * 1024 * 1024,
        repetition: u.repetition,
        outcome: u.outcome,
        counted: counts(u),
        riseBytes: u.peakAnonRiseBytes,
        medianRiseBytes:
          r.verdict.sizes.find((s) => s.method === u.method && s.payloadMiB === u.payloadMiB)?.medianRiseBytes ?? null,
        verdict: r.verdict.kind === 'hangs' && r.verdict.memory ? `hangs (${r.verdict.memory})` : r.verdict.kind,
      })),
    );
}

export const uploadRiseColumns: CsvColumn[] = [
  buildColumns[0]!,
  {
    field: 'line',
    name: 'line',
    datatype: 'string',
    description: 'The implementation line of the build: zig or rust.',
  },
  buildColumns[1]!,
  {
    field: 'method',
    name: 'method',
    datatype: 'string',
    description:
      's3-write: Bun.write(s3file, Bun.file(path)), the reported path. fetch-presigned: the control, fetch() of a presigned PUT URL with the same Bun.file as body.',
  },
  memory('payloadBytes', 'payload_mib', 'Size of the file uploaded (random bytes).'),
  {
    field: 'repetition',
    name: 'repetition',
    datatype: 'integer',
    description: 'Which upload of this build, method and size (1-based); each ran in a fresh probe process.',
  },
  {
    field: 'outcome',
    name: 'outcome',
    datatype: 'string',
    description:
      'completed, not-counted (a check failed), oom-killed (the memory cap), hangs (no byte to the store for the stall timeout, or past the time limit), error, interrupted.',
  },
  {
    field: 'counted',
    name: 'counted',
    datatype: 'boolean',
    description: 'Whether the upload counts towards the verdict.',
  },
  memory(
    'riseBytes',
    'peak_anon_rise_mib',
    'The highest RssAnon the harness read from /proc/<pid>/status during the upload, minus the RssAnon just before it.',
  ),
  memory(
    'medianRiseBytes',
    'median_peak_anon_rise_mib',
    'The median of the counted rises of this build, method and payload size; repeated on each of its rows.',
  ),
  {
    field: 'verdict',
    name: 'verdict',
    datatype: 'string',
    description:
      "The build's verdict: buffers-payload, streams, inconclusive, hangs (with the memory class of its counted uploads), error.",
  },
];

export const payloadMiB = (r: Pick<UploadRiseRow, 'payloadBytes'>) => bytesToMiB(r.payloadBytes);
/** The counted s3-write uploads that have a rise: the dots. */
export const writesOf = (rows: readonly UploadRiseRow[]) =>
  rows.filter((r) => r.method === 's3-write' && r.counted && r.riseBytes !== null);
/** The counted fetch() controls that have a rise: the crosses. */
export const controlsOf = (rows: readonly UploadRiseRow[]) =>
  rows.filter((r) => r.method === 'fetch-presigned' && r.counted && r.riseBytes !== null);

/** The first row of each build, in row order. */
export function buildsOf(rows: readonly UploadRiseRow[]): UploadRiseRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.build) && seen.add(r.build));
}

/** Each build's median per size, s3-write, in size order: the line drawn through the dots. */
export function mediansOf(rows: readonly UploadRiseRow[]): { build: string; payloadMiB: number; riseMiB: number }[] {
  const seen = new Set<string>();
  return writesOf(rows)
    .filter(
      (r) =>
        r.medianRiseBytes !== null &&
        !seen.has(`${r.build}/${r.payloadBytes}`) &&
        seen.add(`${r.build}/${r.payloadBytes}`),
    )
    .map((r) => ({ build: r.build, payloadMiB: payloadMiB(r), riseMiB: bytesToMiB(r.medianRiseBytes!) }))
    .sort((a, b) => a.build.localeCompare(b.build) || a.payloadMiB - b.payloadMiB);
}

/** The payload sizes uploaded, in MiB, smallest first: the x axis's ticks and the summary table's columns. */
export function sizesOf(rows: readonly UploadRiseRow[]): number[] {
  return [...new Set(rows.map(payloadMiB))].sort((a, b) => a - b);
}

/**
 * Where each build's median line ends, for the builds whose line reaches the largest payload `xMax`,
 * lowest first: y (MiB) is the last median, moved up where needed so that each end is at least
 * `gapMiB` above the one below it (a line of text at the chart's scale), and no label overlaps the next.
 */
export function lineEnds(
  rows: readonly UploadRiseRow[],
  gapMiB: number,
  xMax: number,
): { build: string; payloadMiB: number; y: number }[] {
  const medians = mediansOf(rows);
  const ends = buildsOf(rows)
    .map((b) => medians.filter((m) => m.build === b.build).at(-1))
    .filter((m): m is NonNullable<typeof m> => m !== undefined)
    .map((m) => ({ build: m.build, payloadMiB: m.payloadMiB, y: m.riseMiB }))
    .sort((a, b) => a.y - b.y);
  for (let i = 1; i < ends.length; i++) ends[i]!.y = Math.max(ends[i]!.y, ends[i - 1]!.y + gapMiB);
  return ends.filter((e) => e.payloadMiB === xMax);
}
