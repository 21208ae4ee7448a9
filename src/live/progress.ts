// The live page's progress line for one build: what the scenario says it has done and of how many
// (src/scenarios/<name>/live.ts, from the run's parameters), and about how long is left at the rate so
// far on the run's own clock, divided by the replay's speed. Pure, so tests read it as the page does.
import type { LiveProgress } from '../scenarios/types.ts';

/** Milliseconds left at the rate so far (plus the wait that no pace shortens), or null when there is no rate yet or nothing left. */
export function timeLeftMs({ left, msPerUnit, waitMs = 0 }: LiveProgress, speed = 1): number | null {
  if (left === null || msPerUnit === null || left <= 0 || !(msPerUnit >= 0)) return null;
  const ms = left * msPerUnit + waitMs;
  return ms > 0 ? ms / speed : null;
}

/** "40 s", "3 min", "1 h 20 min": an estimate, so rounded as one. */
export function roughDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 90 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

const withTimeLeft = (text: string, ms: number | null) =>
  ms === null ? text : `${text} · about ${roughDuration(ms)} left`;

/** "read 37 of 96 · about 40 s left". */
export function progressLine(progress: LiveProgress, speed = 1): string {
  return withTimeLeft(progress.text, timeLeftMs(progress, speed));
}

/**
 * Every build's progress, "<build>: <progress>; …". Builds that run one after the other each give
 * their own time left; builds that run together (LiveView.together) give one, the run's: the sum of
 * theirs, once each build still running has a rate (a build with nothing left adds nothing).
 */
export function progressLines(
  builds: readonly { label: string; progress: LiveProgress }[],
  together = false,
  speed = 1,
): string {
  if (!together) return builds.map((b) => `${b.label}: ${progressLine(b.progress, speed)}`).join('; ');
  const texts = builds.map((b) => `${b.label}: ${b.progress.text}`).join('; ');
  const running = builds.filter((b) => b.progress.left === null || b.progress.left > 0);
  const each = running.map((b) => timeLeftMs(b.progress, speed));
  const known = each.every((ms) => ms !== null) && each.length > 0;
  return withTimeLeft(texts, known ? each.reduce((sum: number, ms) => sum + ms!, 0) : null);
}
