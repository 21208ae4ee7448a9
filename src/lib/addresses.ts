// Where the site lives and where its source lives, decided once per build from the environment.
// Every canonical link, the sitemap, each citation, CITATION.cff and the bundle READMEs are built
// from these, so a production build must be told them: a localhost address baked into a published
// citation is a broken citation.

export interface Addresses {
  /** The site's origin (and base path, if any), e.g. "https://casebook.example.org/". */
  site: string;
  /** The public repository (for CITATION.cff's repository-code and the footer), when known. */
  repository: string | undefined;
  /** One-line notices for the build log (local preview defaults). */
  notices: string[];
}

export interface AddressEnv {
  SITE_URL?: string;
  REPOSITORY_URL?: string;
  /** "1" when `npm start` builds a preview for this machine only. */
  CASEBOOK_LOCAL_PREVIEW?: string;
  PORT?: string;
}

/** Thrown with the one line a build stops on. */
export class AddressError extends Error {}

function absoluteHttp(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AddressError(`${name}=${value} is not an absolute URL; give one like https://casebook.example.org/.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AddressError(`${name}=${value} must be an http(s) URL.`);
  return url.href;
}

/**
 * A production build needs SITE_URL and REPOSITORY_URL. A local preview (CASEBOOK_LOCAL_PREVIEW=1,
 * set by `npm start`) falls back to http://localhost:<PORT or 4321>, and to the git remote `origin`
 * for the repository (omitted when there is none), each with a notice.
 */
export function resolveAddresses(env: AddressEnv, gitOrigin: () => string | undefined): Addresses {
  const local = env.CASEBOOK_LOCAL_PREVIEW === '1';
  const notices: string[] = [];
  let site: string;
  if (env.SITE_URL) site = absoluteHttp('SITE_URL', env.SITE_URL);
  else if (local) {
    site = `http://localhost:${env.PORT || '4321'}/`;
    notices.push(`local preview: SITE_URL is not set, so links and citations point at ${site}`);
  } else {
    throw new AddressError(
      'SITE_URL is not set: a production build needs the public address, e.g. SITE_URL=https://casebook.example.org REPOSITORY_URL=https://github.com/owner/repo npm run build (CASEBOOK_LOCAL_PREVIEW=1 builds a localhost preview).',
    );
  }
  let repository: string | undefined;
  if (env.REPOSITORY_URL) repository = absoluteHttp('REPOSITORY_URL', env.REPOSITORY_URL).replace(/\/$/, '');
  else if (local) {
    repository = repositoryFromRemote(gitOrigin());
    notices.push(
      repository
        ? `local preview: REPOSITORY_URL is not set; using the git remote origin, ${repository}`
        : 'local preview: REPOSITORY_URL is not set and there is no https git remote origin; the repository link is left out',
    );
  } else {
    throw new AddressError(
      'REPOSITORY_URL is not set: a production build cites its repository, e.g. REPOSITORY_URL=https://github.com/owner/repo.',
    );
  }
  return { site, repository, notices };
}

/** An https URL for a git remote: https remotes as they are, scp-style git@host:owner/repo as https. */
export function repositoryFromRemote(remote: string | undefined): string | undefined {
  const r = remote?.trim();
  if (!r) return undefined;
  const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?$/.exec(r);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  if (/^https:\/\//.test(r)) {
    const url = new URL(r.replace(/\.git$/, ''));
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  }
  return undefined;
}

/** The repository the build was given (set by the addresses integration), for pages and endpoints. */
export function repositoryUrl(): string | undefined {
  return process.env.CASEBOOK_REPOSITORY_URL || undefined;
}
