// Secrets never reach a record. The recorded command (and anything else a record names, such as an
// endpoint) passes through here: URL userinfo, secret-named URL parameters and key=value pairs
// (`?password=`, `password=` in a libpq connection string), the values of secret-named flags and
// environment variables, and any value shaped like a key become <redacted>, and the record lists what was
// redacted so a reader knows a value is missing rather than empty.

const REDACTED = '<redacted>';

/** Flag or variable names whose values are secrets whatever they look like. */
const SECRET_NAME = /(secret|password|passwd|token|credential|private|access-key|access_key|api-key|api_key)/i;
/** AWS access key ids, and long mixed-case alphanumeric strings with digits: the shape of a key. */
// A path (leading / or ./) is never taken for a key.
const KEY_SHAPE = [
  /^(AKIA|ASIA)[0-9A-Z]{16}$/,
  /^(?!\.{0,2}\/)(?=.*[0-9])(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9+/=_-]{24,}$/,
];

function looksLikeKey(value: string): boolean {
  return KEY_SHAPE.some((re) => re.test(value));
}

/**
 * A URL's userinfo and its secret-named query parameters (`?password=`, `&sslpassword=`) replaced;
 * other text unchanged. The userinfo ends at the LAST '@' before the path: `u:ab@cd@host` is a
 * password `ab@cd` to WHATWG URL (and so to the harness), and redacting up to the first '@' would
 * leave `cd` in place. libpq stops at the first '/', so the path is never searched for an '@'.
 */
export function redactUrl(value: string): { text: string; changed: boolean; parts: string[] } {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value);
  if (!scheme) return { text: value, changed: false, parts: [] };
  const rest = value.slice(scheme[0].length);
  const authorityEnd = rest.search(/[/]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  const parts: string[] = [];
  let text = value;
  if (at >= 0) {
    text = `${scheme[0]}${REDACTED}${rest.slice(at)}`;
    parts.push('userinfo');
  }
  const query = redactSecretParameters(text, /[?&;]/);
  if (query.changed) parts.push('password parameter');
  return { text: query.text, changed: parts.length > 0, parts };
}

/**
 * `name=value` pairs whose name is secret, after `separator` (a URL's ? and &) or at the start or
 * after white space (a libpq key=value connection string, `host=h password='a b'`): the value
 * becomes <redacted>, quoted or not.
 */
function redactSecretParameters(text: string, separator: RegExp): { text: string; changed: boolean } {
  let changed = false;
  const pair = new RegExp(`(^|${separator.source}|\\s)([\\w.-]+)(\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|[^&#\\s]*)`, 'g');
  const out = text.replace(pair, (whole, before: string, name: string, equals: string) => {
    if (!SECRET_NAME.test(name)) return whole;
    changed = true;
    return `${before}${name}${equals}${REDACTED}`;
  });
  return { text: out, changed };
}

/** One value, named by its flag or variable: redacted whole if secret; its userinfo and password parameters if a URL or a key=value connection string. */
export function redactValue(name: string, value: string): { text: string; why: string | null } {
  if (SECRET_NAME.test(name) || looksLikeKey(value)) return { text: REDACTED, why: name };
  const url = redactUrl(value);
  if (url.changed) return { text: url.text, why: `${name} (${url.parts.join(', ')})` };
  const pairs = redactSecretParameters(value, /(?!)/);
  if (pairs.changed) return { text: pairs.text, why: `${name} (password parameter)` };
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
export function redactEnv(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): { assignments: string[]; redacted: string[] } {
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
