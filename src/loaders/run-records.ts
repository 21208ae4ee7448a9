// The content loader of run records: every *.json under the runs folder, read and validated by the
// harness's own reader (repro/harness/record/read.ts), so a bad record stops the build with one line
// that names the file and the field, e.g. `content/runs/<scenario>/x.json: not a run record:
// trials.3.repetitions.0.events.9.detail.x: Invalid input`. Astro's own glob loader would report a
// deeply nested record as a stack overflow deep inside its content layer, without the file. A record
// whose summary its own evidence contradicts is refused the same way (compare.ts evidenceError).
import type { Loader } from 'astro/loaders';
import path from 'node:path';
import { evidenceError } from '../../repro/core/compare/compare.ts';
import { readRecords } from '../../repro/harness/record/read.ts';
import { siteScenario } from '../scenarios/registry.ts';

export function runRecords(dir: string): Loader {
  return {
    name: 'casebook-run-records',
    async load({ store, generateDigest, logger, watcher }) {
      const root = path.resolve(dir);
      const loaded = await readRecords([root]).catch((error: Error) => {
        // One line, naming file and field, is what a reader needs; Astro adds its own frame.
        throw new Error(`run record: ${error.message}`);
      });
      // The pages quote a record's summary: one its own evidence contradicts is refused here, by
      // compare's own check, before any page quotes it.
      for (const l of loaded) {
        const wrong = evidenceError(siteScenario(l.record.scenario).compareRules, l);
        if (wrong) throw new Error(`run record: ${wrong}`);
      }
      store.clear();
      for (const { file, record } of loaded) {
        const id = path.relative(root, file).replace(/\.json$/, '');
        store.set({ id, data: record, digest: generateDigest(JSON.stringify(record)) });
      }
      logger.info(`${loaded.length} run records from ${path.relative(process.cwd(), root) || '.'}`);
      watcher?.add(root);
    },
  };
}
