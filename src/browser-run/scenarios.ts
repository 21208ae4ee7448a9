// The scenarios the WebContainer page offers: those of the site's registry whose records the
// harness's --replay can play. Build-time only (it reaches the harness's live code).
import { REPLAYABLE } from '../../repro/harness/live/session.ts';
import { scenarios } from '../scenarios/registry.ts';

export function browserScenarios() {
  return scenarios.filter((s) => REPLAYABLE.includes(s.name));
}
