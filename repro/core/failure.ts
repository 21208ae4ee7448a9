// What a catalogue failure is, as its folder (repro/failures/<id>/failure.ts) declares it: the report
// it comes from, the probe Bun runs and what the probe measures, the verdict rule with its threshold
// and the reason for it, and the quick protocol the version matrix runs on every build. Pure data and
// functions of a measurement: the harness runs the probe, the site draws the records, both decide
// with the same rule.
import type { z } from 'zod';

/**
 * What goes wrong: memory that is never returned (leak), memory held far beyond what the work needs
 * while it runs (memory), an operation that never ends (hang), a wrong answer (wrong-result), a crash.
 */
export type FailureKind = 'leak' | 'memory' | 'hang' | 'wrong-result' | 'crash';

/** What a build's runs say about it. */
export type FailureStatus = 'affected' | 'not-affected' | 'inconclusive';

/** Services the harness can start for a probe: PostgreSQL (DATABASE_URL), or the folder's own server.ts (SERVER_URL). */
type FailureService = 'postgres' | 'server';

export interface FailureDefinition<M = unknown> {
  /** The folder's name; also the matrix column, the page (/failures/<id>/) and the protocol's name. */
  id: string;
  title: string;
  /** The column heading in the matrix figure: two short lines, wide and on a phone. */
  heading: { wide: string; narrow: string };
  kind: FailureKind;
  /** What the failure is, in a sentence or two, for its page. */
  summary: string;
  /** The Bun issue it was reported in, and what the report says (not what we measured). */
  issue: { number: number; title: string; reported: string };
  /** The fix's pull request, as last seen; null when none is known. */
  fix: { pr: number; status: 'merged' | 'open' | 'closed'; note: string } | null;
  services: readonly FailureService[];
  /** The probe's parameters, passed to it as environment variables CASEBOOK_<NAME>, and recorded. */
  parameters: Readonly<Record<string, string | number>>;
  /** How long one run of the probe may take before it is stopped and recorded as timed out. */
  timeoutMs: number;
  /** Runs per build in the quick protocol; the build's status is what all of them agree on. */
  repetitions: number;
  /** The probe's last line, `{"ev":"result",...}`, less `ev`: what one run measured. */
  measurement: z.ZodType<M>;
  /** The figure each run is judged by, drawn per build on the failure's page, with the rule's threshold on it. */
  keyFigure: { label: string; unit: string; threshold?: number; of(m: M): number };
  verdict: {
    /** The rule in one sentence, threshold included, as the page and the matrix's notes say it. */
    rule: string;
    /** Why that threshold: what the report measured, what an unaffected build shows, the margin between. */
    reason: string;
    decide(m: M): FailureStatus;
  };
  /** A run that did not finish within timeoutMs: affected for a hang, otherwise it decides nothing. */
  onTimeout: FailureStatus;
  /** A run whose probe died before its result line: affected for a crash, otherwise it decides nothing. */
  onCrash: FailureStatus;
}

/** The identity function that types a folder's definition. */
export function defineFailure<M>(definition: FailureDefinition<M>): FailureDefinition<M> {
  return definition;
}

/** How one run of a probe ended. */
export type RunOutcome = 'measured' | 'timeout' | 'crashed' | 'error' | 'interrupted';

/** One run's status: its measurement's, or what its definition says a timeout or a crash means. */
export function runStatus(
  definition: FailureDefinition,
  run: { outcome: RunOutcome; measurement: unknown },
): FailureStatus {
  if (run.outcome === 'timeout') return definition.onTimeout;
  if (run.outcome === 'crashed') return definition.onCrash;
  if (run.outcome !== 'measured') return 'inconclusive';
  const parsed = definition.measurement.safeParse(run.measurement);
  return parsed.success ? definition.verdict.decide(parsed.data) : 'inconclusive';
}

/** A build's status over its runs: affected or not affected only when every run says so. */
export function buildStatus(statuses: readonly FailureStatus[]): FailureStatus {
  if (statuses.length === 0) return 'inconclusive';
  return statuses.every((s) => s === statuses[0]) ? statuses[0]! : 'inconclusive';
}

/** The key figure of a run that measured, or null. */
export function keyFigureOf(
  definition: FailureDefinition,
  run: { outcome: RunOutcome; measurement: unknown },
): number | null {
  if (run.outcome !== 'measured') return null;
  const parsed = definition.measurement.safeParse(run.measurement);
  return parsed.success ? definition.keyFigure.of(parsed.data) : null;
}

/** Failure ids: a folder name the matrix, the pages and the records can all carry. */
export const FAILURE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
