// The run-record schema: the one definition of a record that the harness (which writes records),
// the site (which draws them), the browser and the tests share. Each scenario's record lives with
// its scenario (repro/scenarios/<name>/record.ts) and is built from base.ts; the union is
// assembled here, from this list.
import { z } from 'zod';
import { CatalogueRecord } from '../../scenarios/catalogue/record.ts';
import { S3LeakRecord } from '../../scenarios/s3-leak/record.ts';
import { S3UploadRecord } from '../../scenarios/s3-upload/record.ts';
import { SqlPoolRecord } from '../../scenarios/sql-pool/record.ts';

export * from './base.ts';
export * from '../../scenarios/s3-leak/record.ts';
export * from '../../scenarios/sql-pool/record.ts';
export * from '../../scenarios/s3-upload/record.ts';
export * from '../../scenarios/catalogue/record.ts';

export const RunRecord = z.discriminatedUnion('scenario', [
  S3LeakRecord,
  SqlPoolRecord,
  S3UploadRecord,
  CatalogueRecord,
]);
export type RunRecord = z.infer<typeof RunRecord>;
export type ScenarioName = RunRecord['scenario'];
// Read from the union, so a new scenario's record is the one place its name is spelled in the schema.
export const ScenarioName = z.enum(
  RunRecord.options.map((o) => o.shape.scenario.value) as [ScenarioName, ...ScenarioName[]],
);
