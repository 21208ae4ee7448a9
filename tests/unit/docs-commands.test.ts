// The documents may not promise a command or a flag the project does not have. Every `npm …` command
// in README.md and docs/**/*.md (in code blocks and inline code) must name a script of package.json,
// and each `--flag` after its `--` must be one that command defines: a scenario's flags are imported
// from their definitions; another script's are the options its entry file gives node:util's
// parseArgs, read from the file. Pure: no process is started. The flags tables of docs/reproduce/
// must also be what `npm run docs:flags` writes.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AFFECTED_HELP } from '../../repro/harness/affected.ts';
import { COMMON_FLAGS } from '../../repro/harness/common-flags.ts';
import { COMPARE_HELP } from '../../repro/harness/compare/command.ts';
import { failureFolders } from '../../repro/harness/failures.ts';
import { fromRoot } from '../../repro/harness/paths.ts';
import type { ScenarioName } from '../../repro/core/record/schema.ts';
import { flagsBlock, SCENARIO_PAGES, scenarioFlagNames } from '../../src/checks/docs-flags.ts';

const scripts = (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
/** npm's own commands the documents may name. */
const NPM_COMMANDS = new Set(['install', 'ci', 'start', 'test']);

const documents = [
  'README.md',
  ...readdirSync(fromRoot('docs'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface Command {
  where: string;
  /** `run`'s script, or npm's own command. */
  script: string;
  /** Written as `npm run <script>` (else `npm <command>`). */
  run: boolean;
  /** Everything after ` -- `, split on spaces. */
  args: string[];
}

/** The code of a Markdown text: each line of a fenced block (continuations joined), and each inline span. */
function codeOf(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  let fenced = false;
  let pending = '';
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) {
      // A shell comment starts at a # after a space; a URL's fragment (/#v1.4.2) is not one.
      const code = pending + line.replace(/\s#\s.*$/, '');
      if (code.trimEnd().endsWith('\\')) pending = code.trimEnd().slice(0, -1) + ' ';
      else {
        out.push({ line: i + 1, code });
        pending = '';
      }
      return;
    }
    for (const span of line.matchAll(/`([^`]+)`/g)) out.push({ line: i + 1, code: span[1]! });
  });
  return out;
}

/** The npm commands in a piece of code, each cut at a shell operator. */
function commandsIn(text: string, where: string): Command[] {
  const commands: Command[] = [];
  for (const { line, code } of codeOf(text)) {
    // `<npm label>` is a placeholder, not a command.
    for (const match of code.matchAll(/(?<![<\w-])npm (?:run ([\w:-]+)|(?!run\b)([a-z]+))\b([^\n]*)/g)) {
      const script = match[1] ?? match[2]!;
      const rest = match[3]!.split(/\s(?:&&|\|\||\||;)\s/)[0]!;
      const dashes = /^\s+--(\s|$)(.*)$/.exec(rest);
      commands.push({
        where: `${where}:${line}`,
        script,
        run: match[1] !== undefined,
        args: dashes ? dashes[2]!.trim().split(/\s+/).filter(Boolean) : [],
      });
    }
  }
  return commands;
}

/** The options a script's entry file gives parseArgs (`name: { type: … }`), and the help flag. */
function flagsOfEntry(script: string): Set<string> | null {
  const entry = /\bnode ([\w./-]+\.ts)\b/.exec(scripts[script] ?? '')?.[1];
  if (!entry) return null;
  const source = readFileSync(fromRoot(entry), 'utf8');
  return new Set(
    [...source.matchAll(/['"]?([a-z][\w-]*)['"]?:\s*\{\s*type:\s*'(?:string|boolean)'/g)].map((m) => m[1]!),
  );
}

const flagsInHelp = (help: string) => new Set([...help.matchAll(/--([a-z][\w-]*)/g)].map((m) => m[1]!));
const isPlaceholder = (arg: string) => /^[<[…]/.test(arg) || arg.includes('…');

/** What is wrong with one documented command: null when the project has it as written. */
async function problemOf({ script, run, args }: Command): Promise<string | null> {
  const named = `npm ${run ? 'run ' : ''}${script}`;
  if (!run && !NPM_COMMANDS.has(script)) return `${named}: not a command npm has (a script runs as npm run ${script})`;
  if (!run && script !== 'start' && script !== 'test') return null;
  if (!Object.hasOwn(scripts, script)) return `${named}: no such script in package.json`;
  let known: Set<string> | null;
  const [first] = args;
  if (script === 'repro') {
    if (first === 'compare') known = flagsInHelp(COMPARE_HELP);
    else if (first === 'affected') known = flagsInHelp(AFFECTED_HELP);
    else if (first !== undefined && Object.hasOwn(SCENARIO_PAGES, first))
      known = await scenarioFlagNames(first as ScenarioName);
    else if (first !== undefined && failureFolders().includes(first)) known = await scenarioFlagNames('catalogue');
    else if (first === undefined || first.startsWith('--') || isPlaceholder(first)) {
      // No scenario named (or a placeholder for one): any scenario's flag is a flag of the CLI.
      known = new Set(Object.keys(COMMON_FLAGS));
      for (const name of Object.keys(SCENARIO_PAGES) as ScenarioName[])
        for (const flag of await scenarioFlagNames(name)) known.add(flag);
    } else return `npm run repro -- ${first}: no such scenario, failure or command`;
  } else known = flagsOfEntry(script);
  const flags = args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]!);
  if (flags.length === 0) return null;
  if (known === null)
    return `${named}: its entry file defines no flags to check ${flags.map((f) => `--${f}`).join(', ')} against`;
  const unknown = flags.filter((f) => !known.has(f) && !(f.startsWith('no-') && known.has(f.slice(3))));
  return unknown.length > 0 ? `${named}: no flag ${unknown.map((f) => `--${f}`).join(', ')}` : null;
}

describe('the documents name only commands and flags that exist', () => {
  for (const document of documents) {
    test(document, async () => {
      const commands = commandsIn(readFileSync(fromRoot(document), 'utf8'), document);
      const problems = (
        await Promise.all(commands.map(async (c) => ((p) => (p ? `${c.where}: ${p}` : null))(await problemOf(c))))
      ).filter(Boolean);
      expect(problems).toEqual([]);
    });
  }

  test('the documents do name commands, so the check above checks something', () => {
    const all = documents.flatMap((d) => commandsIn(readFileSync(fromRoot(d), 'utf8'), d));
    expect(all.filter((c) => c.script === 'repro' && c.args.some((a) => a.startsWith('--'))).length).toBeGreaterThan(0);
    expect(new Set(all.map((c) => c.script))).toContain('matrix');
  });

  test('a flag or a script that does not exist is caught', async () => {
    const text = [
      '```sh',
      'npm run repro -- s3-leak --payload-mib 8 --no-such-flag   # a comment --not-a-flag',
      '```',
      '`npm run matrix -- --plan --gone`, `npm start -- --no-build --porty 1`, `npm run nonexistent`',
      '`npm run repro -- compare a.json --report r.json --reference b.json --referee c`',
      '`npm run repro -- wasm-memory --failures x`, `npm run repro -- not-a-scenario`, `/badges/<npm label>.svg`, `npm lint`',
    ].join('\n');
    const problems = await Promise.all(commandsIn(text, 'doc').map(problemOf));
    expect(problems).toEqual([
      'npm run repro: no flag --no-such-flag',
      'npm run matrix: no flag --gone',
      'npm start: no flag --porty',
      'npm run nonexistent: no such script in package.json',
      'npm run repro: no flag --referee',
      'npm run repro: no flag --failures',
      'npm run repro -- not-a-scenario: no such scenario, failure or command',
      'npm lint: not a command npm has (a script runs as npm run lint)',
    ]);
  });
});

describe('each scenario page carries the flags table its definitions give', () => {
  for (const [name, { page }] of Object.entries(SCENARIO_PAGES)) {
    test(page, async () => {
      expect(readFileSync(fromRoot(page), 'utf8')).toContain(await flagsBlock(name as ScenarioName));
    });
  }
});
