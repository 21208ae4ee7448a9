// oven-sh/bun#41351 (also #41382, #41370): the bundler renames a local `var` to a name that a binding
// in the same scope already has. The probe bundles three small patterns with Bun.build and runs each
// output; the verdict is whether any of them prints something other than the right value.
import { z } from 'zod';
import { defineFailure } from '../../core/failure.ts';

const PATTERNS = ['alias', 'param', 'caught'] as const;

/** Lists in pattern order: the right value, what the unbundled source and the bundle printed, the names the bundle gave the var and the binding beside it. */
const perPattern = <T extends z.ZodType>(item: T) => z.array(item).length(PATTERNS.length);

const measurement = z.object({
  patterns: z.tuple([z.literal('alias'), z.literal('param'), z.literal('caught')]),
  right: perPattern(z.string()),
  unbundled: perPattern(z.string()),
  built: perPattern(z.boolean()),
  computed: perPattern(z.string().nullable()),
  varName: perPattern(z.string().nullable()),
  bindingName: perPattern(z.string().nullable()),
  shadows: perPattern(z.boolean().nullable()),
  wrong: z.number().int().min(0).max(PATTERNS.length),
});
type ShadowingMeasurement = z.infer<typeof measurement>;

/** The run proved its own condition: every pattern bundled, and every unbundled source printed the right value. */
const controlled = (m: ShadowingMeasurement) =>
  m.built.every(Boolean) && m.unbundled.every((printed, i) => printed === m.right[i]);

export const failure = defineFailure({
  id: 'bundler-let-shadowing',
  title: 'The bundler gives a var the name of a binding beside it',
  heading: { wide: 'Bundled var\nshadows a let', narrow: 'var\nshadows' },
  kind: 'wrong-result',
  summary:
    "When the bundler renames a local variable to keep it apart from another module's top-level name, the new name must not be one " +
    "that a binding in the same scope already has. On affected builds a var takes the name of a block's let, of a parameter or of a " +
    'catch binding: the first output does not load (SyntaxError: a var shadowing a let, as Elysia bundles did), the other two load and compute ' +
    "wrong values. The probe's first pattern is the shape the issue quotes from Elysia's dist/schema.mjs, reduced: a block's let Check2 holding " +
    "a function and a var Check aliasing it, with another module's top-level Check in the same bundle; the other two are the cases the fix PR names.",
  issue: {
    number: 41351,
    title: '1.4.1 regression: bundler emits `var X = X` shadowing a block-scoped `let X`, breaking any Elysia build',
    reported: '1.4.1; 1.4.0 builds the same input correctly (also #41382 and #41370, both on 1.4.1)',
  },
  fix: { pr: 41354, status: 'merged', note: 'first released in 1.4.2' },
  services: [],
  parameters: {},
  timeoutMs: 30_000,
  repetitions: 1,
  measurement,
  keyFigure: { label: 'patterns whose bundle printed a wrong value', unit: 'of 3', threshold: 1, of: (m) => m.wrong },
  verdict: {
    rule: 'affected when the bundle of at least 1 of the 3 patterns fails to load or prints a value other than the right one, which the unbundled source prints under the same build; not affected when all 3 print it',
    reason:
      "The report's bundle does not load on 1.4.1 (a var Check2 beside a let Check2), and the fix PR adds that the same renaming lets a var take a " +
      "parameter's or catch binding's name, so that the output loads but computes wrong values; 1.4.0 bundles the same input correctly. The outcome is exact, " +
      'not a measure with noise: a correct bundle prints exactly what its source prints, so an unaffected build shows 0 of 3 and one wrong pattern is enough. ' +
      'A run where Bun.build fails or the unbundled source itself does not print the right value proves nothing and is inconclusive.',
    decide: (m) => (!controlled(m) ? 'inconclusive' : m.wrong >= 1 ? 'affected' : 'not-affected'),
  },
  onTimeout: 'inconclusive',
  onCrash: 'inconclusive',
});
