// The SQL pool after a scale-to-zero resume, as the site shows it.
import type { SqlPoolRecord } from '../../../repro/core/record/schema.ts';
import { sqlCompareRules } from '../../../repro/scenarios/sql-pool/compare.ts';
import { sqlTimeline } from './figures/sql-timeline.ts';
import { sqlVerdicts } from './figures/sql-verdicts.ts';
import type { SiteScenario } from '../types.ts';
import { sqlPoolLive } from './live.ts';
import { sqlBundle, sqlQuickLook } from './bundle.ts';
import { sqlFailures } from './failures.ts';
import { sqlStat } from './stats.ts';
import { sqlHistoryView, sqlOutcomeSummary, sqlVerdictView } from './verdicts.ts';

export const sqlPool: SiteScenario<SqlPoolRecord> = {
  name: 'sql-pool',
  title: 'SQL pool hang after scale-to-zero resume',
  home: { heading: 'SQL pool: what happens after a resume?', view: 'outcome-summary' },
  verdictView: sqlVerdictView,
  historyView: sqlHistoryView,
  outcomeSummary: sqlOutcomeSummary,
  stat: sqlStat,
  bundle: { ...sqlBundle, quickLook: sqlQuickLook },
  sampleCount: (r) => r.trials.reduce((n, t) => n + t.repetitions.length, 0),
  failures: sqlFailures,
  figures: [sqlVerdicts, sqlTimeline],
  compareRules: sqlCompareRules,
  live: sqlPoolLive,
};
