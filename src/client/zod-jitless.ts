// zod compiles its object parsers with new Function() where it may, and decides when a schema is
// built, so this runs before any schema module: the page's CSP allows no eval, and zod's probe for
// it would be reported as a violation. Imported first by the chunks that bundle zod.
import { config } from 'zod';

config({ jitless: true });
