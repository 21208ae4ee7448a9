// The live page's progress line for one build: what the scenario says it has done and of how many
// (src/scenarios/<name>/live.ts, from the run's parameters), and about how long is left at the rate so
// far on the run's own clock, divided by the replay's speed. Pure, so tests read it as the page does.
import type { LiveProgress } from '../scenarios/types.ts';

/** Milliseconds left at the rate so far, or null when there is no rate yet or nothing left. */
export function timeLeftMs({ left, msPerUnit }: LiveProgress, speed = 1): number | null {
  if (left === null || msPerUnit === null || left <= 0 || !(msPerUnit > 0)) return null;
  return (left * msPerUnit) / speed;
}

/** "40 s", "3 min", "1 h 20 min": an estimate, so rounded as one. */
export function roughDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 90 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** "read 37 of 96 · about 40 s left". */
export function progressLine(progress: LiveProgress, speed = 1): string {
  const ms = timeLeftMs(progress, speed);
  return ms === null ? progress.text : `${progress.text} · about ${roughDuration(ms)} left`;
}
