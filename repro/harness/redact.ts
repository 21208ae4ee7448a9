// Secrets never reach a record. The recorded command (and anything else a record names, such as an
// endpoint) passes through here: URL userinfo, the values of secret-named flags and environment
// variables, and any value shaped like a key become <redacted>, and the record lists what was
// redacted so a reader knows a value is missing rather than empty.

export const REDACTED = '<redacted>';

/** Flag or variable names whose values are secrets whatever they look like. */
const SECRET_NAME = /(secret|password|passwd|token|credential|private|access-key|access_key|api-key|api_key)/i;
/** AWS access key ids, and long mixed-case alphanumeric strings with digits: the shape of a key. */
// A path (leading / or ./) is never taken for a key.
const KEY_SHAPE = [/^(AKIA|ASIA)[0-9A-Z]{16}$/, /^(?!\.{0,2}\/)(?=.*[0-9])(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9+/=_-]{24,}$/];

export interface Redaction {
  text: string;
  /** What was redacted, e.g. "--s3-secret-access-key", "--database-url (userinfo)". */
  redacted: string[];
}

export function looksLikeKey(value: string): boolean {
  return KEY_SHAPE.some((re) => re.test(value));
}

/** A URL with its userinfo (user:password@) replaced; other text unchanged. */
export function redactUrl(value: string): { text: string; changed: boolean } {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/@?#]*)@/i.exec(value);
  if (!match) return { text: value, changed: false };
  return { text: `${match[1]}${REDACTED}@${value.slice(match[0].length)}`, changed: true };
}

/** One value, named by its flag or variable: redacted whole if secret, its userinfo if a URL. */
export function redactValue(name: string, value: string): { text: string; why: string | null } {
  if (SECRET_NAME.test(name) || looksLikeKey(value)) return { text: REDACTED, why: name };
  const url = redactUrl(value);
  if (url.changed) return { text: url.text, why: `${name} (userinfo)` };
  return { text: value, why: null };
}

/**
 * argv of `npm run repro -- …` with secrets redacted: `--flag value`, `--flag=value` and bare
 * positional values are all looked at.
 */
export function redactArgv(argv: readonly string[]): { argv: string[]; redacted: string[] } {
  const out: string[] = [];
  const redacted: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const eq = /^(--[^=]+)=(.*)$/s.exec(word);
    if (eq) {
      const r = redactValue(eq[1]!, eq[2]!);
      if (r.why) redacted.push(r.why);
      out.push(`${eq[1]}=${r.text}`);
      continue;
    }
    const next = argv[i + 1];
    if (word.startsWith('--') && next !== undefined && !next.startsWith('--')) {
      const r = redactValue(word, next);
      if (r.why) redacted.push(r.why);
      out.push(word, r.text);
      i++;
      continue;
    }
    const r = redactValue('argument', word);
    if (r.why) redacted.push(r.why);
    out.push(r.text);
  }
  return { argv: out, redacted };
}

/** `NAME=value` prefixes for the environment variables a run read, secrets redacted. */
export function redactEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): { assignments: string[]; redacted: string[] } {
  const assignments: string[] = [];
  const redacted: string[] = [];
  for (const name of names) {
    const value = env[name];
    if (!value) continue;
    const r = redactValue(name, value);
    if (r.why) redacted.push(`$${r.why}`);
    assignments.push(`${name}=${r.text}`);
  }
  return { assignments, redacted };
}
