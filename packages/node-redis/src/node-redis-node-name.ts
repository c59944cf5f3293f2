import { formatClusterName, formatRedisName, parseRedisUrl } from '@redlock/redis-scripts';
import { isCluster, type NodeRedisClient } from './node-redis-client.js';

interface SocketOptions {
  host?: string;
  port?: number;
  path?: string;
  tls?: boolean;
}

interface NodeOptions {
  url?: string;
  socket?: SocketOptions;
  database?: number;
}

function nodeAddress({ url, socket }: NodeOptions): { host?: string; port?: number | string } {
  const fromUrl = url === undefined ? undefined : parseRedisUrl(url);
  return { host: socket?.host ?? fromUrl?.host, port: socket?.port ?? fromUrl?.port };
}

/**
 * The credential-free name of a node-redis client: `redis://host:port/db`,
 * `rediss://...` with TLS, `redis+unix:///path?db=0` for a socket, or
 * `redis-cluster://root1,root2` for a cluster (its root nodes, which stay
 * stable while the topology changes).
 */
export function nodeRedisNodeName(client: NodeRedisClient): string {
  if (isCluster(client)) {
    const options = client._options as { rootNodes?: NodeOptions[]; defaults?: NodeOptions };
    const roots = options.rootNodes ?? [];
    const tls =
      Boolean(options.defaults?.socket?.tls) ||
      roots.some((root) => root.url?.startsWith('rediss:') || root.socket?.tls);
    return formatClusterName(roots.map(nodeAddress), tls);
  }
  // node-redis parses `url` into `socket` and `database` (and the
  // credentials, which we leave out).
  const options = (client.options ?? {}) as NodeOptions;
  const fromUrl = options.url === undefined ? undefined : parseRedisUrl(options.url);
  return formatRedisName({
    tls: Boolean(options.socket?.tls ?? fromUrl?.tls),
    host: options.socket?.host ?? fromUrl?.host,
    port: options.socket?.port ?? fromUrl?.port,
    path: options.socket?.path ?? fromUrl?.path,
    db: options.database ?? fromUrl?.db,
  });
}

/** What {@link nodeRedisSentinelName} reads: the options you gave `createSentinel()`. */
export interface NodeRedisSentinelNaming {
  /** The master name the sentinels monitor, e.g. `mymaster`. */
  readonly name: string;
  /** The sentinels, as given to `createSentinel()`. */
  readonly sentinelRootNodes: readonly { readonly host: string; readonly port: number }[];
  /** The master connections' options; only `database` is read. */
  readonly nodeClientOptions?: { readonly database?: number } | undefined;
}

/**
 * The credential-free name of a `createSentinel()` client:
 * `redis-sentinel://s1:26379,s2:26379/mymaster/0` (sentinels, master name,
 * database), as ioredis Sentinel clients are named. node-redis keeps these
 * options private, so the node is told them.
 */
export function nodeRedisSentinelName(options: NodeRedisSentinelNaming): string {
  const sentinels = formatClusterName(options.sentinelRootNodes).replace(/^redis-cluster:/, '');
  const db = Number(options.nodeClientOptions?.database ?? 0) || 0;
  return `redis-sentinel:${sentinels}/${options.name}/${db}`;
}
