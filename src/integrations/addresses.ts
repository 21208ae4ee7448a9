// Sets `site` (and the repository URL the pages read) from SITE_URL / REPOSITORY_URL at the start of
// every command. `astro build` without them stops with one line, unless it is the local preview
// (CASEBOOK_LOCAL_PREVIEW=1); `astro dev` and `astro sync` fall back to localhost quietly.
import type { AstroIntegration } from 'astro';
import { execFileSync } from 'node:child_process';
import { AddressError, resolveAddresses } from '../lib/addresses.ts';

function gitOrigin(): string | undefined {
  try {
    return execFileSync('git', ['remote', 'get-url', 'origin'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
}

export function addresses(): AstroIntegration {
  return {
    name: 'casebook-addresses',
    hooks: {
      'astro:config:setup': ({ command, updateConfig, logger }) => {
        const env = command === 'build' ? process.env : { CASEBOOK_LOCAL_PREVIEW: '1', ...process.env };
        let resolved;
        try {
          resolved = resolveAddresses(env, gitOrigin);
        } catch (e) {
          if (!(e instanceof AddressError)) throw e;
          // One line, no stack: the reader needs the variable's name, not Astro's internals.
          process.stderr.write(`astro build: ${e.message}\n`);
          process.exit(1);
        }
        if (command === 'build') for (const n of resolved.notices) logger.warn(n);
        if (resolved.repository) process.env.CASEBOOK_REPOSITORY_URL = resolved.repository;
        else delete process.env.CASEBOOK_REPOSITORY_URL;
        updateConfig({ site: resolved.site });
      },
    },
  };
}
