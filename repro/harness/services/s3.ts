// The S3 store a probe reads from: by default an embedded s3rver in its own Node process on
// 127.0.0.1 (free port, data in a temp folder removed afterwards); with `--s3-endpoint` a real store
// (MinIO, AWS S3) whose credentials come from flags or the usual environment variables.
import { connect } from 'node:net';
import { HarnessError, oneLine, usageError } from '../../core/errors.ts';
import { parseNumber } from '../flags.ts';
import { fromRoot } from '../paths.ts';
import { redactUrl } from '../redact.ts';
import { forEachLine, hermeticEnv, spawnTracked } from '../processes.ts';
import { makeTempDir, removeTempDir } from '../temp.ts';
import type { Flag, FlagValues } from '../scenario.ts';

export interface S3Target {
  kind: 'embedded-s3rver' | 'external';
  /** Endpoint URL, without credentials. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** PID of the embedded server, null for an external store. */
  pid: number | null;
  stop(): Promise<void>;
}

/** What the S3 flags ask for, before anything is started. */
export type S3Options =
  | { kind: 'embedded-s3rver'; port: number; bucket: string }
  | { kind: 'external'; endpoint: URL; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };

/** The S3 flags, for any scenario that needs a store. */
export const S3_FLAGS: Record<string, Flag> = {
  's3-endpoint': {
    type: 'string',
    placeholder: 'url',
    help: 'use this S3 store instead of the embedded s3rver (MinIO, AWS S3)',
  },
  's3-bucket': {
    type: 'string',
    placeholder: 'name',
    help: 'bucket (default $S3_BUCKET, or "repro" for the embedded server)',
  },
  's3-region': { type: 'string', placeholder: 'name', help: 'region (default $AWS_REGION, $S3_REGION or us-east-1)' },
  's3-access-key-id': {
    type: 'string',
    placeholder: 'id',
    help: 'access key (default $AWS_ACCESS_KEY_ID or $S3_ACCESS_KEY_ID)',
  },
  's3-secret-access-key': {
    type: 'string',
    placeholder: 'key',
    help: 'secret key (default $AWS_SECRET_ACCESS_KEY or $S3_SECRET_ACCESS_KEY)',
  },
  's3-port': {
    type: 'string',
    placeholder: 'port',
    help: 'port of the embedded s3rver on 127.0.0.1 (default: a free one)',
  },
};

const EMBEDDED_BUCKET = 'repro';
/** s3rver's fixed credentials. */
const EMBEDDED_KEY = 'S3RVER';
const READY_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;
const HTTP_TIMEOUT_MS = 10_000;
/** Each S3 request in the probe: a read of the payload takes milliseconds on loopback, seconds on a slow link. */
export const S3_REQUEST_TIMEOUT_MS = 60_000;

export function parseS3Options(values: FlagValues, env: NodeJS.ProcessEnv = process.env): S3Options {
  const flag = (name: string) => values[name] as string | undefined;
  const endpoint = flag('s3-endpoint');
  if (endpoint === undefined) {
    return {
      kind: 'embedded-s3rver',
      port: parsePort(flag('s3-port') ?? '0'),
      bucket: flag('s3-bucket') ?? EMBEDDED_BUCKET,
    };
  }
  // The endpoint may hold a password: an error shows it redacted.
  const shown = redactUrl(endpoint).text;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw usageError(`--s3-endpoint ${shown}: not a URL (e.g. http://127.0.0.1:9000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`--s3-endpoint ${shown}: use http:// or https://`);
  const required = (value: string | undefined, what: string, vars: string) => {
    if (!value) throw usageError(`--s3-endpoint needs ${what}: pass --s3-${what} or set ${vars}`);
    return value;
  };
  return {
    kind: 'external',
    endpoint: url,
    bucket: required(flag('s3-bucket') ?? env.S3_BUCKET, 'bucket', 'S3_BUCKET'),
    region: flag('s3-region') ?? env.AWS_REGION ?? env.S3_REGION ?? 'us-east-1',
    accessKeyId: required(
      flag('s3-access-key-id') ?? env.AWS_ACCESS_KEY_ID ?? env.S3_ACCESS_KEY_ID,
      'access-key-id',
      'AWS_ACCESS_KEY_ID',
    ),
    secretAccessKey: required(
      flag('s3-secret-access-key') ?? env.AWS_SECRET_ACCESS_KEY ?? env.S3_SECRET_ACCESS_KEY,
      'secret-access-key',
      'AWS_SECRET_ACCESS_KEY',
    ),
  };
}

/** Starts the embedded server or checks that the external endpoint answers. */
export function openS3(options: S3Options): Promise<S3Target> {
  return options.kind === 'embedded-s3rver'
    ? startEmbeddedS3(options.port, options.bucket)
    : connectExternalS3(options);
}

async function startEmbeddedS3(port: number, bucket: string): Promise<S3Target> {
  const dataDir = await makeTempDir('s3rver');
  const server = await spawnTracked(
    process.execPath,
    [fromRoot('repro', 'harness', 'services', 's3rver-child.ts'), String(port), dataDir, bucket],
    { env: hermeticEnv({}), cwd: fromRoot() },
  );
  const stop = async () => {
    await server.stop();
    await removeTempDir(dataDir);
  };
  try {
    const ready = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new HarnessError(`embedded s3rver did not start within ${READY_TIMEOUT_MS / 1000} s`)),
        READY_TIMEOUT_MS,
      );
      void forEachLine(server.child.stdout!, (line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line).port as number);
      });
      void server.exited.then(() => {
        clearTimeout(timer);
        const reason = server.stderrTail().trim();
        reject(
          reason === 'EADDRINUSE'
            ? new HarnessError(
                `--s3-port ${port}: port 127.0.0.1:${port} is already in use; pick another or leave it out for a free one`,
              )
            : new HarnessError(
                `embedded s3rver exited before it was ready: ${reason.split('\n').pop() || 'no message'}`,
              ),
        );
      });
    });
    return {
      kind: 'embedded-s3rver',
      endpoint: `http://127.0.0.1:${ready}`,
      bucket,
      region: 'us-east-1',
      accessKeyId: EMBEDDED_KEY,
      secretAccessKey: EMBEDDED_KEY,
      pid: server.pid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function connectExternalS3(options: Extract<S3Options, { kind: 'external' }>): Promise<S3Target> {
  const { endpoint } = options;
  const port = Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80));
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: endpoint.hostname, port, timeout: CONNECT_TIMEOUT_MS });
    const fail = (why: string) => {
      socket.destroy();
      reject(new HarnessError(`--s3-endpoint ${endpoint.origin}: unreachable (${why})`));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  });
  // A store that accepts TCP but never answers HTTP would stall the probe: any HTTP answer (even
  // 403) within the timeout proves it speaks; silence is a one-line error.
  try {
    await fetch(endpoint.origin, { method: 'HEAD', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  } catch (error) {
    const why =
      (error as Error).name === 'TimeoutError'
        ? `no HTTP answer within ${HTTP_TIMEOUT_MS / 1000} s`
        : oneLine((error as { cause?: unknown }).cause ?? error);
    throw new HarnessError(`--s3-endpoint ${endpoint.origin}: ${why}`);
  }
  return {
    kind: 'external',
    endpoint: endpoint.origin + endpoint.pathname.replace(/\/$/, ''),
    bucket: options.bucket,
    region: options.region,
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    pid: null,
    stop: async () => {},
  };
}

function parsePort(text: string): number {
  return parseNumber('--s3-port', text, { integer: true, min: 0, max: 65535 });
}
