import { type IoredisFamilyClient, ioredisFamilyNodeName } from '@redlock/redis-scripts';
import type { Cluster, Redis } from 'ioredis';

/**
 * The credential-free name of an ioredis client: `redis://host:port/db`,
 * `rediss://...` with TLS, `redis+unix:///path?db=0`, `redis-sentinel://` with
 * the sentinels and master name, or `redis-cluster://seed1,seed2` for a
 * `Cluster` (its seed nodes, which stay stable while the topology changes).
 */
export function ioredisNodeName(client: Redis | Cluster): string {
  return ioredisFamilyNodeName(client as unknown as IoredisFamilyClient);
}
