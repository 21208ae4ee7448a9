// Shell words, both ways: quoting each word of a command a reader is told to run, and reading a
// recorded command back into its words. Reading never splits on white space and never guesses: a
// command holding anything a shell would do more with than split into words (`;`, `|`, `$(…)`, a
// glob, an unclosed quote) is refused, so it can never reach a reader's shell as more than arguments.
// No Node imports: the site and the browser use it too.
import { CONTROL_OR_BREAK, terminalSafe } from './control-characters.ts';

/**
 * A word as a POSIX shell reads it back: bare when every character is plain, else in single quotes.
 * A word with a control character or a line break is written `$'…'` with escapes (bash, zsh, ksh),
 * so that the command stays one line of visible text.
 */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  if (CONTROL_OR_BREAK.test(word)) return `$'${terminalSafe(word.replace(/[\\']/g, '\\$&'))}'`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Words quoted one by one and joined: a command line that a shell splits into exactly these words. */
export function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/** Characters a shell acts on outside quotes: operators, expansions, globs, comments, history. */
const ACTIVE_UNQUOTED = new RegExp(`[|&;<>()$\`*?[\\]{}!#~]|${CONTROL_OR_BREAK.source}`);
/** Inside double quotes a shell still expands these. */
const ACTIVE_IN_DOUBLE = /[$`\\!]/;

export type ShellWords = { ok: true; words: string[] } | { ok: false; why: string };

/**
 * The words of a command, by POSIX quoting (single quotes, double quotes without expansions,
 * backslash escapes), or why it is refused: a character the shell would act on, outside single
 * quotes, or an unclosed quote.
 */
export function shellWords(command: string): ShellWords {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return { ok: false, why: 'an unclosed single quote' };
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      const end = command.indexOf('"', i + 1);
      if (end < 0) return { ok: false, why: 'an unclosed double quote' };
      const inside = command.slice(i + 1, end);
      const active = ACTIVE_IN_DOUBLE.exec(inside);
      if (active) return { ok: false, why: `${shown(active[0])} inside double quotes` };
      word = (word ?? '') + inside;
      i = end;
    } else if (c === '\\') {
      if (i + 1 >= command.length || command[i + 1] === '\n') return { ok: false, why: 'a trailing backslash' };
      word = (word ?? '') + command[++i];
    } else if (ACTIVE_UNQUOTED.test(c)) {
      return { ok: false, why: `${shown(c)} outside quotes` };
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return { ok: true, words };
}

const shown = (c: string) =>
  CONTROL_OR_BREAK.test(c)
    ? `a control character (U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})`
    : `'${c}'`;
