import { formatClusterName, formatRedisName, parseRedisUrl } from '@redlock/redis-scripts';
import type { Cluster, Redis } from 'ioredis';

interface SeedAddress {
  host?: string | undefined;
  port?: number | string | undefined;
}

/** A cluster seed as ioredis accepts it: a port, `"host:port"`, a URL, or `{ host, port }`. */
function seedAddress(seed: unknown): SeedAddress {
  if (typeof seed === 'number') return { port: seed };
  if (typeof seed === 'string') {
    const fromUrl = parseRedisUrl(seed);
    if (fromUrl) return fromUrl;
    const separator = seed.lastIndexOf(':');
    if (separator === -1) return /^\d+$/.test(seed) ? { port: seed } : { host: seed };
    return { host: seed.slice(0, separator), port: seed.slice(separator + 1) };
  }
  if (seed !== null && typeof seed === 'object') {
    const { host, port } = seed as SeedAddress;
    return { host, port };
  }
  return {};
}

/**
 * The credential-free name of an ioredis client: `redis://host:port/db`,
 * `rediss://...` with TLS, `redis+unix:///path?db=0`, `redis-sentinel://` with
 * the sentinels and master name, or `redis-cluster://seed1,seed2` for a
 * `Cluster` (its seed nodes, which stay stable while the topology changes).
 */
export function ioredisNodeName(client: Redis | Cluster): string {
  if (client.isCluster) {
    const cluster = client as Cluster;
    // ioredis keeps the seeds as given in a field its typings mark private.
    const seeds = (cluster as unknown as { startupNodes?: unknown[] }).startupNodes ?? [];
    return formatClusterName(seeds.map(seedAddress), Boolean(cluster.options.redisOptions?.tls));
  }
  const options = (client as Redis).options as Record<string, unknown> & {
    sentinels?: SeedAddress[] | undefined;
    name?: string | undefined;
  };
  if (Array.isArray(options.sentinels) && options.sentinels.length > 0) {
    const sentinels = formatClusterName(options.sentinels).replace(/^redis-cluster:/, '');
    return `redis-sentinel:${sentinels}/${options.name ?? 'mymaster'}/${Number(options.db ?? 0) || 0}`;
  }
  return formatRedisName({
    tls: Boolean(options.tls),
    host: options.host as string | undefined,
    port: options.port as number | undefined,
    path: options.path as string | undefined,
    db: options.db as number | undefined,
  });
}
