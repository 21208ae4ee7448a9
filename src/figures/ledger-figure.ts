// Figure ledger: the ledger of the rewrite (lib/ledger.ts) drawn small enough to open the home page.
// One row per failure, one column per build the case's question turns on (the last Zig release, the
// first Rust build, the first Rust release, the newest build), each cell that build's recorded state.
// The version matrix (version-matrix.ts) draws every build; this draws the four that answer "did the
// rewrite fix it?", so it stays a few hundred pixels tall on a phone.
import type { RunRecord } from '../../repro/core/record/schema.ts';
import { formatInt } from '../lib/format.ts';
import {
  CLASS_MEANING,
  CLASS_NAME,
  KEY_BUILD_ROLE,
  KEY_BUILDS,
  keyBuilds,
  ledger,
  ledgerHeadline,
  STATE_WORD,
  type KeyBuild,
  type LedgerClass,
} from '../lib/ledger.ts';
import { FAILURES, versionMatrix, type CellStatus } from '../lib/version-matrix.ts';
import { cellGridLegend, cellGridSpec, STATUS_LOOK } from './cell-grid.ts';
import type { CsvColumn } from './csv-columns.ts';
import type { FigureModule } from './types.ts';

export interface LedgerCellRow {
  [key: string]: string;
  failure: string;
  title: string;
  /** The key build's role (lib/ledger.ts KEY_BUILDS). */
  key: KeyBuild;
  npmVersion: string;
  status: CellStatus;
  class: LedgerClass;
}

const heading = (id: string, narrow: boolean) =>
  FAILURES.find((f) => f.id === id)?.heading[narrow ? 'narrow' : 'wide'] ?? id;
/** Column headings: two short lines each (and the build's label below them). */
const COLUMN: Record<KeyBuild, [string, string]> = {
  lastZigRelease: ['Last Zig', 'release'],
  firstRust: ['First Rust', 'build'],
  firstRustRelease: ['First Rust', 'release'],
  newest: ['Newest', 'build'],
};

const ledgerColumns: CsvColumn[] = [
  {
    field: 'failure',
    name: 'failure',
    datatype: 'string',
    description: `The failure, by id: ${FAILURES.map((f) => f.id).join(', ')}.`,
  },
  {
    field: 'title',
    name: 'title',
    datatype: 'string',
    description: 'The failure, in words, as the ledger and its page name it.',
  },
  {
    field: 'key',
    name: 'key_build',
    datatype: 'string',
    description: `Which key build: ${KEY_BUILDS.map((k) => `${k} (${KEY_BUILD_ROLE[k]})`).join(', ')}.`,
  },
  {
    field: 'npmVersion',
    name: 'npm_label',
    datatype: 'string',
    description: 'The npm label of that build (@oven/bun-linux-x64).',
  },
  {
    field: 'status',
    name: 'status',
    datatype: 'string',
    description: 'affected, not-affected, inconclusive or not-run (no record of it on that build).',
  },
  {
    field: 'class',
    name: 'class',
    datatype: 'string',
    description: `The ledger's class of the failure, over every recorded build: ${Object.keys(CLASS_NAME).join(', ')}.`,
  },
];

export const ledgerFigure: FigureModule<LedgerCellRow> = {
  id: 'ledger',
  source: 'matrix',
  title: 'Each failure on the builds the rewrite turns on',
  exportSubtitle: 'Each failure’s state on the four builds the rewrite turns on',
  csvColumns: ledgerColumns,
  caption: 'One row per failure; columns: last Zig release, first Rust build and release, newest build.',
  notes:
    `Each cell is that build's newest complete record of the failure: ${STATUS_LOOK.affected.mark} affected, ${STATUS_LOOK['not-affected'].mark} not affected, ` +
    `${STATUS_LOOK.inconclusive.mark} inconclusive, – not recorded. The headline counts the ledger's classes, read over every recorded build, not only these four: ` +
    `${(Object.keys(CLASS_MEANING) as LedgerClass[]).map((c) => `${CLASS_NAME[c]}, ${CLASS_MEANING[c]}`).join('; ')}. Every build is on the version matrix.`,

  select(records: readonly RunRecord[]): LedgerCellRow[] {
    const builds = versionMatrix(records);
    const keys = keyBuilds(builds);
    if (!keys) return [];
    return ledger(builds).flatMap((row) =>
      KEY_BUILDS.map((key) => ({
        failure: row.failure,
        title: row.title,
        key,
        npmVersion: keys[key].npmVersion,
        status: row.at[key],
        class: row.class,
      })),
    );
  },

  spec(rows, layout) {
    const { narrow, fontSize } = layout;
    const version = (key: KeyBuild) => rows.find((r) => r.key === key)?.npmVersion ?? '';
    const tip = (r: LedgerCellRow) =>
      `${r.title} on ${r.npmVersion} (${KEY_BUILD_ROLE[r.key].toLowerCase()}): ${STATE_WORD[r.status]}`;
    return cellGridSpec({
      layout,
      rows,
      x: 'key',
      y: 'failure',
      columns: KEY_BUILDS,
      // Two short lines and the build's label; on a phone one line, upright.
      columnText: (key) =>
        narrow ? COLUMN[key as KeyBuild].join(' ') : [...COLUMN[key as KeyBuild], version(key as KeyBuild)].join('\n'),
      upright: narrow,
      rowKeys: [...new Set(rows.map((r) => r.failure))],
      rowText: (id) => (narrow ? heading(id, true) : heading(id, false).replace(/\n/g, ' ')),
      rowHeight: Math.round(fontSize * (narrow ? 2.7 : 1.7)),
      tip,
    }).options;
  },

  legend: (rows) => cellGridLegend(rows),

  // One row per failure and key build: each failure's class once.
  headline: (rows) => ledgerHeadline(rows.filter((r) => r.key === KEY_BUILDS[0])),

  summary(rows) {
    if (rows.length === 0) return 'No recorded run yet.';
    const builds = KEY_BUILDS.map(
      (k) => `${KEY_BUILD_ROLE[k].toLowerCase()} ${rows.find((r) => r.key === k)!.npmVersion}`,
    );
    const failures = [...new Set(rows.map((r) => r.failure))].map((id) => {
      const own = rows.filter((r) => r.failure === id);
      return `${own[0]!.title}: ${CLASS_NAME[own[0]!.class]} (${own.map((r) => STATE_WORD[r.status]).join(', ')})`;
    });
    return `${formatInt(failures.length)} failures on four builds: ${builds.join(', ')}; each failure's states are given in that order. ${failures.join('. ')}.`;
  },

  table(rows) {
    return {
      columns: ['Failure', 'Key build', 'npm label', 'State', 'Class'].map((label) => ({ label, numeric: false })),
      rows: rows.map((r) => [r.title, KEY_BUILD_ROLE[r.key], r.npmVersion, STATE_WORD[r.status], CLASS_NAME[r.class]]),
    };
  },

  // One line per failure beside the chart; the data page has one row per cell.
  summaryTable(rows) {
    const failures = [...new Set(rows.map((r) => r.failure))];
    return {
      columns: [
        { label: 'Failure', numeric: false },
        { label: 'Class', numeric: false },
        ...KEY_BUILDS.map((k) => ({
          label: `${KEY_BUILD_ROLE[k]} (${rows.find((r) => r.key === k)?.npmVersion ?? ''})`,
          numeric: false,
        })),
      ],
      rows: failures.map((id) => {
        const own = rows.filter((r) => r.failure === id);
        return [
          own[0]!.title,
          CLASS_NAME[own[0]!.class],
          ...KEY_BUILDS.map((k) => STATE_WORD[own.find((r) => r.key === k)!.status]),
        ];
      }),
    };
  },
};
