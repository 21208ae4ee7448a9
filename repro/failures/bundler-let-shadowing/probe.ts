// Run under the Bun build being measured (oven-sh/bun#41351, #41382, #41370; fix PR #41354). Writes
// three small modules into its work folder, each with a function whose local `var Check` must be
// renamed (another module's top-level `Check` is in the same bundle) in a scope that already declares
// `Check2`: as a block's `let` beside the `var` (Elysia's shape, the issue's), as a parameter, as a
// catch binding (the PR's "loads but computes wrong values"). Bundles each with Bun.build, runs the
// output and the unbundled source with this same Bun, and reports, per pattern, the right value, what
// each printed, and the names the bundle gave the `var` and the binding beside it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

declare const Bun: {
  build(options: {
    entrypoints: string[];
    outdir: string;
    target: 'bun';
    format: 'esm';
  }): Promise<{ success: boolean; logs: unknown[]; outputs: { path: string }[] }>;
  spawn(
    cmd: string[],
    options: { cwd: string; stdout: 'pipe'; stderr: 'pipe' },
  ): { stdout: ReadableStream<Uint8Array>; stderr: ReadableStream<Uint8Array>; exited: Promise<number> };
};

const work = process.env.CASEBOOK_WORK_DIR ?? process.cwd();

// A top-level `Check` from another module: the bundle's own `Check`, which every local `Check` must avoid.
const other = `export function Check(x) { return "outer " + x; }\n`;

interface Pattern {
  name: 'alias' | 'param' | 'caught';
  source: string;
  /** What the source prints, as JavaScript defines it. */
  right: string;
  /** The `var`'s name in the bundle, and the name of the binding that shares its scope. */
  varName: RegExp;
  bindingName: RegExp;
}

const patterns: Pattern[] = [
  {
    // The shape: a block-scoped `let Check2` holding a function, and a `var Check` alias to it.
    name: 'alias',
    source: `import { Check as OuterCheck } from "./other.js";
export function compile(strict) {
  OuterCheck(0);
  if (strict) {
    let Check2 = function (value) { return value * 2; };
    var Check = Check2;
  }
  return Check;
}
console.log(JSON.stringify(compile(true)(21)));
`,
    right: '42',
    varName: /var\s+(\w+)\s*=\s*\w+;\s*\}\s*return/,
    bindingName: /let\s+(\w+)\s*=\s*function/,
  },
  {
    // A parameter named Check2 and a body's `var Check`: one name would merge the var with the parameter.
    name: 'param',
    source: `import { Check as OuterCheck } from "./other.js";
export function fresh(Check2) {
  OuterCheck(0);
  var Check;
  return Check;
}
console.log(JSON.stringify(fresh("argument") ?? null));
`,
    right: 'null',
    varName: /var\s+(\w+)\s*;/,
    bindingName: /function\s+fresh\s*\(\s*(\w+)\s*\)/,
  },
  {
    // A catch binding named Check2 and a `var Check` assigned in its block: one name would assign the catch binding instead.
    name: 'caught',
    source: `import { Check as OuterCheck } from "./other.js";
export function recover() {
  OuterCheck(0);
  try { throw "error"; } catch (Check2) { var Check = "handled"; }
  return Check;
}
console.log(JSON.stringify(recover() ?? null));
`,
    right: '"handled"',
    varName: /var\s+(\w+)\s*=\s*"handled"/,
    bindingName: /catch\s*\(\s*(\w+)\s*\)/,
  },
];

/** One line of what a program printed, without control characters, bounded. */
const oneLine = (text: string) =>
  text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 200);

async function run(file: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([process.execPath, file], { cwd: work, stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, exitCode] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { exitCode, stdout: stdout.trim(), stderr };
}

/** What a run printed: its output line, or the first line of its error. */
function printed(r: { exitCode: number; stdout: string; stderr: string }): string {
  if (r.exitCode === 0) return oneLine(r.stdout);
  const error = r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr.split('\n').find((l) => l.trim()) ?? '';
  return oneLine(`exit ${r.exitCode}: ${error}`);
}

writeFileSync(path.join(work, 'other.js'), other);
const m = {
  patterns: patterns.map((p) => p.name),
  right: patterns.map((p) => p.right),
  unbundled: [] as string[],
  built: [] as boolean[],
  computed: [] as (string | null)[],
  varName: [] as (string | null)[],
  bindingName: [] as (string | null)[],
  shadows: [] as (boolean | null)[],
  wrong: 0,
};
for (const p of patterns) {
  const entry = path.join(work, `${p.name}.js`);
  writeFileSync(entry, p.source);
  // The control: the source itself, unbundled, under this same Bun, prints the right value.
  m.unbundled.push(printed(await run(entry)));
  const built = await Bun.build({
    entrypoints: [entry],
    outdir: path.join(work, `out-${p.name}`),
    target: 'bun',
    format: 'esm',
  });
  const output = built.success ? built.outputs[0]?.path : undefined;
  const code = output === undefined ? '' : readFileSync(output, 'utf8');
  const varName = p.varName.exec(code)?.[1] ?? null;
  const bindingName = p.bindingName.exec(code)?.[1] ?? null;
  const computed = output === undefined ? null : printed(await run(output));
  m.built.push(output !== undefined);
  m.computed.push(computed);
  m.varName.push(varName);
  m.bindingName.push(bindingName);
  m.shadows.push(varName !== null && bindingName !== null ? varName === bindingName : null);
  if (computed !== null && computed !== p.right) m.wrong++;
}
console.log(JSON.stringify({ ev: 'result', ...m }));
