// The schemas of an article's frontmatter and of a bibliography entry. Kept outside content.config.ts so unit
// tests can exercise them without Astro's virtual modules.
import { z } from 'zod';
import { ScenarioName } from '../../repro/core/record/schema.ts';

const IsoDay = z.coerce.date();

export const ArticleFrontmatter = z.object({
  title: z.string().min(1),
  /** One sentence, used for meta description and social cards. */
  description: z.string().min(1),
  /** Position in the navigation, lowest first. */
  order: z.number(),
  published: IsoDay,
  updated: IsoDay.optional(),
  /** The scenario the article draws on: feeds citation_* meta and the provenance panel. */
  scenario: ScenarioName.optional(),
});
export type ArticleFrontmatter = z.infer<typeof ArticleFrontmatter>;

export const Source = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id'),
  title: z.string().min(1),
  author: z.string().min(1),
  publisher: z.string().min(1),
  /** YYYY-MM-DD, YYYY-MM or YYYY: kept as written, since some sources only give a month or a year. */
  date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'YYYY-MM-DD, YYYY-MM or YYYY'),
  url: z.url(),
  kind: z.enum(['primary', 'secondary']),
  /** One sentence on what the site uses the source for. */
  supports: z.string().min(1),
});
export type Source = z.infer<typeof Source>;
