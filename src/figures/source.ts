// Where a figure's records come from, in words and as a kind: kept apart from the registry so that
// render.ts (and the live page's script, which bundles it) does not pull in every scenario.
import type { FigureModule, FigureSource, Row } from './types.ts';

/** A figure's source: the latest run of its scenario unless it says otherwise. */
export function figureSource(figure: Pick<FigureModule<Row>, 'source'>): FigureSource {
  return figure.source ?? 'runs';
}

/** What a figure waits for before it can be drawn: "the <name> scenario" or "the version matrix". */
export function sourceName(figure: FigureModule<Row>): string {
  return figure.source === 'matrix' ? 'the version matrix' : `the ${figure.scenario} scenario`;
}
