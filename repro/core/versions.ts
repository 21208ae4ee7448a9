// Ordering npm labels of Bun builds: semver precedence, so canaries sort by their date
// (1.3.14-canary.20260513.1 < 1.3.14-canary.20260519.1 < 1.3.14) and releases after their canaries.

/** Negative, zero or positive, as semver 2.0.0 §11 orders versions (build metadata ignored). */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = split(a);
  const [coreB, preB] = split(b);
  for (let i = 0; i < 3; i++) if (coreA[i] !== coreB[i]) return coreA[i]! - coreB[i]!;
  if (preA.length === 0 || preB.length === 0) return preB.length - preA.length; // a release follows its prereleases
  for (let i = 0; i < Math.min(preA.length, preB.length); i++) {
    const [x, y] = [preA[i]!, preB[i]!];
    if (x === y) continue;
    const [nx, ny] = [/^\d+$/.test(x), /^\d+$/.test(y)];
    if (nx && ny) return Number(x) - Number(y);
    if (nx !== ny) return nx ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    return x < y ? -1 : 1;
  }
  return preA.length - preB.length;
}

function split(version: string): [number[], string[]] {
  const [main = '', ...rest] = version.replace(/\+.*$/, '').split('-');
  const pre = rest.join('-');
  return [main.split('.').map(Number), pre === '' ? [] : pre.split('.')];
}

export function sortVersions(versions: readonly string[]): string[] {
  return [...versions].sort(compareVersions);
}
