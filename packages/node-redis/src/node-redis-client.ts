import type { RedisClientType, RedisClusterType } from 'redis';

// The generics of node-redis clients (modules, functions, scripts, RESP
// version, type mapping) do not matter here: the node only sends raw
// commands with `sendCommand` and decodes their replies itself, so accept
// every parameterisation.
// biome-ignore lint/suspicious/noExplicitAny: any client parameterisation is fine.
type AnyClient = RedisClientType<any, any, any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: any cluster parameterisation is fine.
type AnyCluster = RedisClusterType<any, any, any, any, any>;

/** A node-redis client from `createClient()` or cluster from `createCluster()` (`redis` v5). */
export type NodeRedisClient = AnyClient | AnyCluster;

/** Clusters have `masters`; single-server clients do not. */
export function isCluster(client: NodeRedisClient): client is AnyCluster {
  return 'masters' in client;
}

export type { AnyClient as NodeRedisSingleClient, AnyCluster as NodeRedisCluster };
