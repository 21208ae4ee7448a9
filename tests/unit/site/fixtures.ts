// The synthetic run records of tests/fixtures/runs, parsed with the harness's schema.
import { readdirSync, readFileSync } from 'node:fs';
import { RunRecord } from '../../../repro/harness/record/schema.ts';

const dir = new URL('../../fixtures/runs/', import.meta.url);

export const fixtureRecords: RunRecord[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => RunRecord.parse(JSON.parse(readFileSync(new URL(f, dir), 'utf8'))));
