import { InvalidArgumentError } from '@redlock/core';
import { formatRedisName } from './node-name.js';

/**
 * One server to connect to, as `createRedlock` accepts it besides a URL:
 * the fields of a `redis://` URL, like the `connection_details` of the
 * Python RedLock. `tls: true` (or TLS options) means `rediss://`.
 */
export interface RedisConnectionOptions {
  readonly host?: string;
  readonly port?: number;
  readonly db?: number;
  readonly username?: string;
  readonly password?: string;
  /** `true`, or Node.js `tls.connect` options (`ca`, `servername`, ...). */
  readonly tls?: boolean | Readonly<Record<string, unknown>>;
  /** A Unix socket path instead of host and port. */
  readonly path?: string;
}

/** A validated connection, ready for a client package to create its client from. */
export interface RedisConnectionSpec {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly path: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** `undefined` for plain TCP; TLS options (possibly `{}`) for TLS. */
  readonly tls: Readonly<Record<string, unknown>> | undefined;
  /** The credential-free node name, e.g. `rediss://cache.internal:6380/2`. */
  readonly name: string;
}

/** The URL `createRedlock()` connects to when given nothing. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 6379;
const CONNECTION_FIELDS = new Set(['host', 'port', 'db', 'username', 'password', 'tls', 'path']);
// A host name, an IPv4 address or a bracketed IPv6 literal: nothing that a
// mangled credential could hide in (no '@', ':', '/', spaces).
const HOST_PATTERN = /^(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])$/;

/**
 * Parses what `createRedlock` got for one server: a `redis://`,
 * `rediss://` or `redis+unix://` URL, or a {@link RedisConnectionOptions}
 * object. Throws an `InvalidArgumentError` that never repeats the input (it
 * may hold a password), only which entry and what is wrong with it.
 */
export function parseRedisConnection(input: unknown, label: string): RedisConnectionSpec {
  if (typeof input === 'string') return parseUrl(input, label);
  if (input !== null && typeof input === 'object' && isPlainObject(input)) {
    return parseOptions(input as Record<string, unknown>, label);
  }
  throw new InvalidArgumentError(
    `${label} must be a redis:// URL, a { host, port, db, username, password, tls } object or a client`,
  );
}

/** True for `{ ... }` literals, false for class instances such as clients. */
export function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function parseUrl(url: string, label: string): RedisConnectionSpec {
  const problem = (what: string) =>
    new InvalidArgumentError(
      `${label} is not a usable Redis URL: ${what} (the URL is not shown: it may hold a password)`,
    );
  const scheme = /^([a-z+]+):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    throw problem('it must start with redis://, rediss:// or redis+unix://');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem('it does not parse as a URL');
  }
  const credentials = { username: decode(parsed.username), password: decode(parsed.password) };
  if (credentials.username === null || credentials.password === null) {
    throw problem('its credentials are not valid percent-encoding');
  }
  // A '@' past the host is a credential that did not parse as one.
  if ((parsed.pathname + parsed.search).includes('@') || parsed.hash !== '') {
    throw problem('it has text after the host that is not a database number');
  }
  const queryDb = parsed.searchParams.get('db');
  if (scheme === 'redis+unix' || scheme === 'unix') {
    const path = decode(parsed.pathname);
    if (!path || parsed.hostname !== '')
      throw problem('a socket URL is redis+unix:///path/to/socket');
    return spec({ path, db: parseDb(queryDb ?? '0', problem), tls: undefined, ...credentials });
  }
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw problem('it must start with redis://, rediss:// or redis+unix://');
  }
  const host = parsed.hostname || DEFAULT_HOST;
  if (!HOST_PATTERN.test(host)) throw problem('its host is not a host name or IP address');
  const pathDb = parsed.pathname.replace(/^\//, '');
  return spec({
    host: host.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? DEFAULT_PORT : Number(parsed.port),
    db: parseDb(pathDb === '' ? (queryDb ?? '0') : pathDb, problem),
    tls: scheme === 'rediss' ? {} : undefined,
    ...credentials,
  });
}

function parseOptions(input: Record<string, unknown>, label: string): RedisConnectionSpec {
  const problem = (what: string) => new InvalidArgumentError(`${label}: ${what}`);
  const unknown = Object.keys(input).filter((field) => !CONNECTION_FIELDS.has(field));
  if (unknown.length > 0) {
    throw problem(`unknown field (use host, port, db, username, password, tls, path)`);
  }
  const { host = DEFAULT_HOST, port = DEFAULT_PORT, db = 0, username, password, tls, path } = input;
  // A bare IPv6 address is checked as the bracketed literal of a URL.
  const bracketed = typeof host === 'string' && host.includes(':') ? `[${host}]` : host;
  if (typeof host !== 'string' || !HOST_PATTERN.test(bracketed as string)) {
    throw problem('host must be a host name or IP address');
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw problem('port must be an integer from 1 to 65535');
  }
  if (typeof db !== 'number' || !Number.isSafeInteger(db) || db < 0) {
    throw problem('db must be an integer >= 0');
  }
  for (const [field, value] of [
    ['username', username],
    ['password', password],
    ['path', path],
  ] as const) {
    if (value !== undefined && typeof value !== 'string')
      throw problem(`${field} must be a string`);
  }
  if (tls !== undefined && typeof tls !== 'boolean' && (tls === null || typeof tls !== 'object')) {
    throw problem('tls must be true, false or an object of TLS options');
  }
  return spec({
    host,
    port,
    db,
    path: path as string | undefined,
    username: username as string | undefined,
    password: password as string | undefined,
    tls:
      tls === true
        ? {}
        : tls === false || tls === undefined
          ? undefined
          : (tls as Record<string, unknown>),
  });
}

function parseDb(text: string, problem: (what: string) => Error): number {
  if (!/^\d{1,9}$/.test(text)) throw problem('its database must be a whole number, e.g. /0');
  return Number(text);
}

function decode(text: string): string | undefined | null {
  if (text === '') return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

interface SpecFields {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string | undefined;
  readonly db: number;
  readonly tls: Readonly<Record<string, unknown>> | undefined;
  readonly username: string | undefined | null;
  readonly password: string | undefined | null;
}

function spec(fields: SpecFields): RedisConnectionSpec {
  const host = fields.host ?? DEFAULT_HOST;
  const port = fields.port ?? DEFAULT_PORT;
  const path = fields.path;
  return {
    host,
    port,
    db: fields.db,
    path,
    username: fields.username ?? undefined,
    password: fields.password ?? undefined,
    tls: fields.tls,
    name: formatRedisName({ host, port, db: fields.db, path, tls: fields.tls !== undefined }),
  };
}
