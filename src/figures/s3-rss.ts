// Figure s3-rss: resident memory against iteration for each build, with the harness's RSS
// threshold and the memory cap marked, and the JS heap (heapUsed, external) drawn to show it
// stays flat while RSS climbs.
import * as Plot from '@observablehq/plot';
import type { RunRecord, S3LeakRecord } from '../../repro/harness/record/schema.ts';
import { bytesToMiB, formatInt, formatMiB } from '../lib/format.ts';
import { buildColor } from './palette.ts';
import { thinBy } from './thin.ts';
import type { FigureModule } from './types.ts';

export interface S3RssRow {
  [key: string]: string | number | null;
  build: string;
  line: string;
  revision: string;
  iteration: number;
  elapsedMs: number;
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  anonRss: number | null;
  /** The harness's RSS threshold (parameters.targetRssMiB) in bytes, repeated so rows stand alone. */
  thresholdRss: number;
  /** The memory cap the run was held to (parameters.memoryCapMiB) in bytes. */
  memoryCap: number;
}

/** Points drawn, tabulated and given tooltips per build; the CSV keeps every sample. */
const DRAWN_PER_BUILD = 600;
const TABULATED_PER_BUILD = 60;
const TIPS_PER_BUILD = 200;

const mib = (k: 'rss' | 'heapUsed' | 'external') => (d: S3RssRow) => bytesToMiB(d[k]);

function capLabel(bytes: number): string {
  const m = bytesToMiB(bytes);
  return m % 1024 === 0 ? `${m / 1024} GiB cap` : `${formatInt(m)} MiB cap`;
}

function builds(rows: readonly S3RssRow[]): S3RssRow[] {
  return rows.filter((r, i) => rows.findIndex((o) => o.build === r.build) === i);
}

export const s3Rss: FigureModule<S3RssRow> = {
  id: 's3-rss',
  scenario: 's3-leak',
  title: 'Resident memory per S3 read, by Bun build',
  caption:
    'RSS of the probe process after each S3File.arrayBuffer() read, one line per build, with the RSS threshold ' +
    'and the memory cap marked. The dashed lines near the bottom are heapUsed and external: the JS heap stays flat.',

  select(records: readonly RunRecord[]): S3RssRow[] {
    return records
      .filter((r): r is S3LeakRecord => r.scenario === 's3-leak')
      .flatMap((r) =>
        r.samples.map((s) => ({
          build: r.runtime.label,
          line: r.runtime.line,
          revision: r.runtime.revision,
          iteration: s.iteration,
          elapsedMs: s.elapsedMs,
          rss: s.rss,
          heapUsed: s.heapUsed,
          external: s.external,
          arrayBuffers: s.arrayBuffers,
          anonRss: s.anonRss,
          thresholdRss: r.parameters.targetRssMiB * 1024 * 1024,
          memoryCap: r.parameters.memoryCapMiB * 1024 * 1024,
        })),
      );
  },

  spec(allRows) {
    const rows = thinBy(allRows, (r) => r.build, DRAWN_PER_BUILD, (r) => r.rss);
    const first = rows[0];
    const lines = builds(rows);
    const limits = first
      ? [
          { y: bytesToMiB(first.thresholdRss), text: `${formatInt(bytesToMiB(first.thresholdRss))} MiB threshold`, dash: '6,4' },
          { y: bytesToMiB(first.memoryCap), text: capLabel(first.memoryCap), dash: '2,2' },
        ]
      : [];
    return {
      width: 720,
      height: 420,
      marginRight: 160,
      x: { label: 'Iteration (one S3 read each) →', grid: false },
      y: { label: '↑ Memory (MiB)', grid: true, domain: [0, Math.max(...limits.map((l) => l.y), ...rows.map(mib('rss'))) * 1.05] },
      color: { domain: lines.map((r) => r.build), range: lines.map((r) => buildColor[r.line as keyof typeof buildColor] ?? buildColor.unknown) },
      marks: [
        Plot.ruleY([0]),
        ...limits.map((l) => Plot.ruleY([l.y], { strokeDasharray: l.dash, strokeOpacity: 0.8 })),
        Plot.text(limits, { y: 'y', text: 'text', frameAnchor: 'right', textAnchor: 'start', dx: 6 }),
        Plot.lineY(rows, { x: 'iteration', y: mib('rss'), stroke: 'build', strokeWidth: 2 }),
        Plot.lineY(rows, { x: 'iteration', y: mib('heapUsed'), stroke: 'build', strokeDasharray: '3,3' }),
        Plot.lineY(rows, { x: 'iteration', y: mib('external'), stroke: 'build', strokeDasharray: '9,3', strokeOpacity: 0.7 }),
        Plot.text(rows, Plot.selectLast({ x: 'iteration', y: mib('rss'), z: 'build', fill: 'build', text: (d: S3RssRow) => `RSS, ${d.build}`, textAnchor: 'start', dx: 6, dy: -9 })),
        Plot.text(rows.filter((r) => r.build === lines[0]?.build), Plot.selectLast({ x: 'iteration', y: mib('heapUsed'), text: () => 'heapUsed, external', textAnchor: 'start', dx: 6, dy: -8 })),
      ],
    };
  },

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const parts = builds(rows).map((b) => {
      const own = rows.filter((r) => r.build === b.build);
      const last = own.at(-1)!;
      const peak = Math.max(...own.map((r) => r.rss));
      const crossed = own.find((r) => r.rss >= r.thresholdRss);
      const heap = own.map((r) => r.heapUsed);
      return (
        `${b.build}: the RSS the probe reported went from ${formatMiB(own[0].rss)} to ${formatMiB(peak)} at most over ` +
        `${formatInt(last.iteration)} iterations` +
        (crossed ? `, crossing the ${formatInt(bytesToMiB(crossed.thresholdRss))} MiB threshold at iteration ${formatInt(crossed.iteration)}` : ', never reaching the threshold') +
        `, while heapUsed stayed between ${formatMiB(Math.min(...heap))} and ${formatMiB(Math.max(...heap))}`
      );
    });
    return `${parts.join('; ')}.`;
  },

  table(allRows) {
    const rows = thinBy(allRows, (r) => r.build, TABULATED_PER_BUILD, (r) => r.rss);
    return {
      columns: [
        { label: 'Build', numeric: false },
        { label: 'Iteration', numeric: true },
        { label: 'RSS (MiB)', numeric: true },
        { label: 'heapUsed (MiB)', numeric: true },
        { label: 'external (MiB)', numeric: true },
        { label: 'arrayBuffers (MiB)', numeric: true },
      ],
      rows: rows.map((r) => [
        r.build,
        String(r.iteration),
        bytesToMiB(r.rss).toFixed(1),
        bytesToMiB(r.heapUsed).toFixed(1),
        bytesToMiB(r.external).toFixed(1),
        bytesToMiB(r.arrayBuffers).toFixed(1),
      ]),
    };
  },

  tips(allRows) {
    return thinBy(allRows, (r) => r.build, TIPS_PER_BUILD, (r) => r.rss).map((r) => ({
      x: r.iteration,
      y: bytesToMiB(r.rss),
      text: `${r.build} · iteration ${r.iteration} · RSS ${formatMiB(r.rss)} · heapUsed ${formatMiB(r.heapUsed)}`,
    }));
  },
};
