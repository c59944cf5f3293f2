/** Where a standalone Redis server is, as far as a node's name needs to tell. */
export interface RedisAddress {
  /** `true` for TLS (`rediss://`). */
  readonly tls?: boolean | undefined;
  readonly host?: string | undefined;
  readonly port?: number | string | undefined;
  /** Unix socket path; takes the place of host and port. */
  readonly path?: string | undefined;
  readonly db?: number | string | undefined;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 6379;

function hostPort(host: string | undefined, port: number | string | undefined): string {
  const bareHost = host || DEFAULT_HOST;
  // IPv6 literals need brackets in a URL authority.
  const printableHost =
    bareHost.includes(':') && !bareHost.startsWith('[') ? `[${bareHost}]` : bareHost;
  return `${printableHost}:${port || DEFAULT_PORT}`;
}

/**
 * The credential-free name of a standalone server, e.g.
 * `redis://10.0.0.3:6379/0`, `rediss://cache.internal:6380/2` or
 * `redis+unix:///run/redis.sock?db=0`.
 */
export function formatRedisName(address: RedisAddress): string {
  const db = Number(address.db ?? 0) || 0;
  if (address.path) return `redis+unix://${address.path}?db=${db}`;
  return `${address.tls ? 'rediss' : 'redis'}://${hostPort(address.host, address.port)}/${db}`;
}

/**
 * The credential-free name of a cluster from its seed nodes, e.g.
 * `redis-cluster://10.0.0.1:7000,10.0.0.2:7000`.
 */
export function formatClusterName(
  seeds: readonly {
    readonly host?: string | undefined;
    readonly port?: number | string | undefined;
  }[],
  tls = false,
): string {
  const scheme = tls ? 'rediss-cluster' : 'redis-cluster';
  return `${scheme}://${seeds.map((seed) => hostPort(seed.host, seed.port)).join(',')}`;
}

/**
 * Parses a `redis://`, `rediss://` or `redis+unix://` URL into an address
 * without its credentials (or `undefined` if it is not such a URL). The
 * database comes from the path (`/2`) or, for sockets, `?db=2`.
 */
export function parseRedisUrl(url: string): RedisAddress | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const queryDb = parsed.searchParams.get('db') ?? undefined;
  switch (parsed.protocol) {
    case 'redis+unix:':
    case 'unix:':
      return { path: decodeURIComponent(parsed.pathname), db: queryDb };
    case 'redis:':
    case 'rediss:':
      return {
        tls: parsed.protocol === 'rediss:',
        // URL keeps the brackets of an IPv6 host; formatRedisName adds them back.
        host: decodeURIComponent(parsed.hostname.replace(/^\[(.*)\]$/, '$1')) || undefined,
        port: parsed.port || undefined,
        db: parsed.pathname.replace(/^\//, '') || queryDb,
      };
    default:
      return undefined;
  }
}

/**
 * Appends a node's key prefix to its name, so two nodes sharing one server
 * under different prefixes have different, recognisable names.
 */
export function withKeyPrefix(name: string, keyPrefix: string): string {
  return keyPrefix === '' ? name : `${name} (keyPrefix ${JSON.stringify(keyPrefix)})`;
}
