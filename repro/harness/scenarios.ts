// The registry: scenario name → module. Adding a scenario is one line here.
import type { Scenario } from './scenario.ts';
import { s3Leak } from '../scenarios/s3-leak/scenario.ts';
import { sqlPool } from '../scenarios/sql-pool/scenario.ts';

// `any` options: each scenario parses its own, the CLI only passes them through.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const scenarios: Record<string, Scenario<any, any>> = {
  [s3Leak.name]: s3Leak,
  [sqlPool.name]: sqlPool,
};
