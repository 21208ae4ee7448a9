// A catalogue record's verdict, from its runs and its failure's rule (repro/core/failure.ts): what the
// harness writes, and what compare and the site recompute to check a record against its own evidence.
import { buildStatus, keyFigureOf, runStatus, type FailureDefinition, type FailureStatus } from '../../core/failure.ts';
import type { CatalogueRecord, CatalogueRun } from '../../core/record/schema.ts';

export function catalogueVerdict(
  definition: FailureDefinition,
  runs: readonly CatalogueRun[],
): CatalogueRecord['verdict'] {
  const counted = runs.filter((r) => r.outcome !== 'interrupted');
  const status: FailureStatus = buildStatus(counted.map((r) => runStatus(definition, r)));
  const keyFigures = counted.flatMap((r) => {
    const figure = keyFigureOf(definition, r);
    return figure === null ? [] : [figure];
  });
  const { label, unit } = definition.keyFigure;
  const shown =
    keyFigures.length > 0
      ? `${label}: ${keyFigures.map((f) => formatFigure(f)).join(', ')} ${unit}`
      : 'nothing measured';
  const other = counted.filter((r) => r.outcome !== 'measured');
  const others =
    other.length > 0
      ? `; ${other.length} run${other.length === 1 ? '' : 's'} ${[...new Set(other.map((r) => (r.outcome === 'timeout' ? 'timed out' : r.outcome)))].join(' or ')}`
      : '';
  return { status, keyFigures, text: `${shown}${others}` };
}

/** A key figure as the tables show it: up to three significant decimals, no trailing zeros. */
export function formatFigure(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return Number(value.toFixed(digits)).toString();
}
