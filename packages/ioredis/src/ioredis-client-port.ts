import {
  type IoredisFamilyClient,
  ioredisFamilyPort,
  type RedisClientPort,
} from '@redlock/redis-scripts';
import type { Cluster, Redis } from 'ioredis';

/** The ioredis clients a node can run on: a standalone (or Sentinel) `Redis`, or a `Cluster`. */
export type IoredisClient = Redis | Cluster;

/**
 * The {@link RedisClientPort} of an ioredis `Redis` (standalone or
 * Sentinel-managed) or `Cluster`: the ioredis-family port of
 * `@redlock/redis-scripts`, which iovalkey (ioredis' fork) shares. While the
 * node is open it listens to the client's `ready`, `error`, `close` and `end`
 * events, to fail calls at once with the real cause when the connection is down.
 */
export function ioredisPort(client: IoredisClient): RedisClientPort {
  return ioredisFamilyPort(client as unknown as IoredisFamilyClient);
}
