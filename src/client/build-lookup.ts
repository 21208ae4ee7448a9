// The version box of "Is my Bun affected?" (components/BuildLookup.astro): finds the reader's build
// among the page's rows with the terminal's own lookup, and shows that row's answer under the box.
// Nothing is computed here that the page does not already say: the answer is the row, moved up.
import { anchorOf, findBuild } from '../../repro/core/build-lookup.ts';

interface RowBuild {
  npm: string;
  revision: string;
  row: HTMLTableRowElement;
}
interface FailureRef {
  id: string;
  title: string;
  page: string;
}

const STATE_NAME: Record<string, string> = {
  a: 'affected',
  n: 'not affected',
  i: 'inconclusive',
  r: 'not recorded yet',
};

class BuildLookup extends HTMLElement {
  connectedCallback(): void {
    const form = this.querySelector('form')!;
    const input = this.querySelector('input')!;
    const out = this.querySelector<HTMLElement>('[data-answer]')!;
    const failures = JSON.parse(this.querySelector('[data-failures]')!.textContent!) as FailureRef[];
    // The rows are newest first; the lookup, like the index, takes builds oldest first.
    const rows = [...document.querySelectorAll<HTMLTableRowElement>('tr[data-revision]')].reverse();
    const builds: RowBuild[] = rows.map((row) => ({
      npm: row.id.replace(/^v/, ''),
      revision: row.dataset.revision!,
      row,
    }));
    const answer = (query: string, typing: boolean) => {
      if (query.trim() === '') {
        out.hidden = true;
        return;
      }
      out.hidden = false;
      const found = findBuild(builds, query);
      if (found.kind === 'found') show(out, found.build, failures);
      else if (found.kind === 'invalid')
        say(out, typing ? 'Keep typing: a full version such as 1.4.2, or what bun --revision prints.' : found.message);
      else notInMatrix(out, found.query, found.before, found.after, builds.length);
    };
    input.addEventListener('input', () => answer(input.value, true));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      answer(input.value, false);
    });
    // Arriving at a build's address answers for it in the box too.
    const fromHash = decodeURIComponent(location.hash.replace(/^#v/, ''));
    const arrived = location.hash.startsWith('#v') && builds.find((b) => b.npm === fromHash);
    if (arrived) {
      input.value = arrived.npm;
      answer(arrived.npm, false);
    }
  }
}

function show(out: HTMLElement, build: RowBuild, failures: readonly FailureRef[]): void {
  const { row } = build;
  const affected = row.dataset.affected === 'yes';
  out.dataset.verdict = affected ? 'affected' : 'clear';
  out.replaceChildren();
  const heading = document.createElement('h3');
  heading.textContent = `bun ${build.npm} · ${build.revision} · ${row.dataset.line}`;
  out.append(heading);
  // The row's own answer: its failures with their records and fixes, and the smallest upgrade.
  for (const cell of row.querySelectorAll('[data-answer-part]'))
    out.append(...[...cell.childNodes].map((n) => n.cloneNode(true)));
  const states = row.dataset.states ?? '';
  const others = failures.flatMap((f, i) => (states[i] === 'a' ? [] : [{ f, state: STATE_NAME[states[i] ?? 'r']! }]));
  if (others.length > 0) {
    const p = document.createElement('p');
    p.className = 'lookup-others';
    p.append(`The other ${others.length}: `);
    others.forEach(({ f, state }, i) => {
      const a = document.createElement('a');
      a.href = f.page;
      a.textContent = f.title;
      p.append(i === 0 ? '' : '; ', a, `, ${state}`);
    });
    p.append('.');
    out.append(p);
  }
  const link = document.createElement('p');
  const a = document.createElement('a');
  a.href = `#${anchorOf(build.npm)}`;
  a.textContent = `its row, /affected/#${anchorOf(build.npm)}`;
  link.append('Cite or share: ', a, '.');
  out.append(link);
}

function say(out: HTMLElement, text: string): void {
  out.dataset.verdict = '';
  const p = document.createElement('p');
  p.textContent = text;
  out.replaceChildren(p);
}

function notInMatrix(
  out: HTMLElement,
  query: string,
  before: RowBuild | null,
  after: RowBuild | null,
  count: number,
): void {
  out.dataset.verdict = '';
  const p = document.createElement('p');
  p.append(`${query} is not among the ${count} recorded builds.`);
  const near = [before && ['before it', before], after && ['after it', after]].filter((x): x is [string, RowBuild] =>
    Boolean(x),
  );
  if (near.length > 0) {
    p.append(' The nearest recorded builds: ');
    near.forEach(([side, b], i) => {
      const a = document.createElement('a');
      a.href = `#${anchorOf(b.npm)}`;
      a.textContent = b.npm;
      p.append(i === 0 ? '' : '; ', `${side}, `, a, ` (${b.revision})`);
    });
    p.append('.');
  }
  out.replaceChildren(p);
}

customElements.define('build-lookup', BuildLookup);
