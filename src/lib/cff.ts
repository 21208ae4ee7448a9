// The CITATION.cff the site serves: the repository's file (the one source of title, authors and
// abstract) with the fields only a build knows: the release date, derived from the newest dated
// content (run records, article dates), never typed; the site's URL; and the repository.

export interface CffFields {
  /** YYYY-MM-DD. */
  dateReleased: string;
  url: string;
  repository: string | undefined;
}

const OWN_FIELDS = /^(date-released|url|repository-code):.*\n?/gm;

export function citationCff(template: string, f: CffFields): string {
  // The template's comments are notes for maintainers of the repository file, not for citers.
  const base = template
    .replace(OWN_FIELDS, '')
    .replace(/^#.*\n/gm, '')
    .replace(/\n*$/, '\n');
  const lines = [
    `date-released: "${f.dateReleased}"`,
    `url: "${f.url}"`,
    ...(f.repository ? [`repository-code: "${f.repository}"`] : []),
  ];
  return base + lines.join('\n') + '\n';
}

/** The newest of the given dates as YYYY-MM-DD (ISO timestamps or Dates); undefined when none. */
export function newestDay(dates: readonly (string | Date | undefined)[]): string | undefined {
  return dates
    .filter((d): d is string | Date => d !== undefined)
    .map((d) => (typeof d === 'string' ? new Date(d) : d).toISOString().slice(0, 10))
    .sort()
    .at(-1);
}
