// Just enough YAML to read this project's workflow files as data: block mappings and sequences, plain,
// quoted and literal (`|`) scalars, `{}`, `[]` and `[a, b]` of plain scalars, comments. Anything else (anchors, tags, flow
// collections with content, folded scalars, multi-line plain scalars) is an error naming the line, not
// a guess: the project has no YAML parser among its dependencies, and action-validator checks the
// files against GitHub's schema but gives no data back.
export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

const KEY = /^([A-Za-z_][\w-]*|"[^"]*"|'[^']*'):(?:[ ]+(.*))?$/;

export function parseYaml(text: string): Yaml {
  const lines = text.split('\n');
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`workflow YAML line ${i + 1}: ${why}: ${JSON.stringify(lines[i])}`);
  };
  const ignorable = (line: string) => /^\s*(#.*)?$/.test(line);
  const skip = () => {
    while (i < lines.length && ignorable(lines[i]!)) i++;
  };
  const indentOf = (line: string) => /^ */.exec(line)![0].length;
  const isItem = (body: string) => body === '-' || body.startsWith('- ');

  function scalar(raw: string): Yaml {
    const v = raw.trim();
    if (v.startsWith("'") || v.startsWith('"')) {
      const m = v.startsWith("'") ? /^'((?:[^']|'')*)'(\s+#.*)?$/.exec(v) : /^"((?:[^"\\]|\\.)*)"(\s+#.*)?$/.exec(v);
      if (!m) fail('a quoted scalar this reader does not take');
      return v.startsWith("'") ? m![1]!.replaceAll("''", "'") : (JSON.parse(`"${m![1]}"`) as string);
    }
    const plain = v.replace(/\s+#.*$/, '');
    if (plain === '{}') return {};
    if (plain === '[]') return [];
    const flow = /^\[([^[\]{}'"#,]+(?:,[^[\]{}'"#,]+)*)\]$/.exec(plain);
    if (flow) return flow[1]!.split(',').map((item) => scalar(item));
    if (/^[[{&*!%@`|>]/.test(plain)) fail('YAML this reader does not take');
    if (plain === 'true' || plain === 'false') return plain === 'true';
    if (plain === 'null' || plain === '~' || plain === '') return null;
    if (/^-?\d+$/.test(plain)) return Number(plain);
    return plain;
  }

  /** A `|` or `|-` block under a key at `indent`. */
  function literal(indent: number, chomp: string): string {
    const body: string[] = [];
    let inner = -1;
    while (i < lines.length) {
      const line = lines[i]!;
      if (line.trim() === '') {
        body.push('');
        i++;
        continue;
      }
      const ind = indentOf(line);
      if (inner === -1) inner = ind;
      if (ind <= indent || ind < inner) break;
      body.push(line.slice(inner));
      i++;
    }
    while (body.at(-1) === '') body.pop();
    return body.join('\n') + (chomp === '|-' ? '' : '\n');
  }

  /** The value after `key:` (or `- `) on line i, at `indent`: on that line, or the block below it. */
  function valueAt(rest: string, indent: number): Yaml {
    const v = rest.trim();
    if (v !== '' && !v.startsWith('#') && v !== '|' && v !== '|-') {
      const value = scalar(v);
      i++;
      return value;
    }
    i++;
    if (v === '|' || v === '|-') return literal(indent, v);
    skip();
    if (i >= lines.length) return null;
    const ind = indentOf(lines[i]!);
    if (ind > indent) return node(ind);
    if (ind === indent && isItem(lines[i]!.slice(ind))) return sequence(ind);
    return null;
  }

  function node(indent: number): Yaml {
    skip();
    return isItem(lines[i]!.slice(indent)) ? sequence(indent) : mapping(indent);
  }

  function mapping(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    for (;;) {
      skip();
      if (i >= lines.length) return out;
      const ind = indentOf(lines[i]!);
      if (ind < indent || (ind === indent && isItem(lines[i]!.slice(ind)))) return out;
      if (ind > indent) fail('indented more than its mapping');
      const m = KEY.exec(lines[i]!.slice(indent));
      if (!m) fail('not a `key: value` line');
      const key = /^['"]/.test(m![1]!) ? m![1]!.slice(1, -1) : m![1]!;
      if (Object.hasOwn(out, key)) fail(`the key ${key} twice`);
      out[key] = valueAt(m![2] ?? '', indent);
    }
  }

  function sequence(indent: number): Yaml[] {
    const out: Yaml[] = [];
    for (;;) {
      skip();
      if (i >= lines.length) return out;
      const ind = indentOf(lines[i]!);
      if (ind < indent || !isItem(lines[i]!.slice(ind))) return out;
      if (ind > indent) fail('indented more than its sequence');
      const rest = lines[i]!.slice(indent + 2);
      if (KEY.test(rest)) {
        // `- key: value`: a mapping whose first key sits after the dash, the others two columns in.
        lines[i] = `${' '.repeat(indent + 2)}${rest}`;
        out.push(mapping(indent + 2));
      } else {
        out.push(valueAt(rest, indent));
      }
    }
  }

  skip();
  const doc = node(0);
  skip();
  if (i < lines.length) fail('left over after the document');
  return doc;
}
