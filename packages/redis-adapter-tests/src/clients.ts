/**
 * Every Redis client package and every supported major of its client, as
 * the shared suite runs them. Each test file loops over {@link redisClients};
 * `test/registration.test.ts` fails when a client package or a client major
 * (a `<client><major>` alias in this package's devDependencies) is missing
 * here. Adding a client: one entry below, written against the same shape.
 */

import type { Redlock } from '@redlock/core';
import {
  createRedlock as createIoredisRedlock,
  IoredisLockNode,
  ioredisBinding,
} from '@redlock/ioredis';
import {
  createRedlock as createNodeRedisRedlock,
  NodeRedisLockNode,
  nodeRedisBinding,
} from '@redlock/node-redis';
import {
  type CreateRedisRedlockOptions,
  type RedisLockNode,
  type RedisLockNodeSettings,
  redlockFactory,
} from '@redlock/redis-scripts';
import * as ioredis5 from 'ioredis5';
import * as ioredis6 from 'ioredis6';
import * as redis5 from 'redis5';
import * as redis6 from 'redis6';

/** A client the test opened; `close()` closes it (never the node's job). */
export interface ClientHandle {
  readonly client: unknown;
  close(): Promise<void>;
}

/** Where a client connects: a standalone server, with optional credentials. */
export interface StandaloneTarget {
  readonly host: string;
  readonly port: number;
  readonly db?: number;
  readonly username?: string;
  readonly password?: string;
}

export interface RedisClientUnderTest {
  /** e.g. `ioredis 6`; used in test titles. */
  readonly name: string;
  /** The client package's directory under `packages/`, e.g. `ioredis`. */
  readonly packageDir: string;
  /** The alias this entry's client is installed under, e.g. `ioredis6`. */
  readonly clientAlias: string;
  /** The package's node class. */
  readonly createNode: (client: unknown, options?: RedisLockNodeSettings) => RedisLockNode;
  /** The package's `createRedlock`, creating clients of this major. */
  readonly createRedlock: AnyCreateRedlock;
  /** A connected client to a standalone server (errors swallowed: servers are stopped on purpose). */
  connect(target: StandaloneTarget, extra?: { keyPrefix?: string }): Promise<ClientHandle>;
  /** A client that has not connected (and never will by itself), for naming and argument tests. */
  unconnected(target: StandaloneTarget): ClientHandle;
  /** A connected cluster client. */
  connectCluster(startupNodes: readonly { host: string; port: number }[]): Promise<ClientHandle>;
  /** A client of the other library, which this package must refuse. */
  foreignClient(): ClientHandle;
}

/** A client package's `createRedlock`, with the client types left open. */
export type AnyCreateRedlock = (
  servers?: unknown,
  options?: CreateRedisRedlockOptions<Record<string, unknown>>,
) => Redlock;

const ignore = () => undefined;

type IoredisModule = typeof ioredis5 | typeof ioredis6;
type NodeRedisModule = typeof redis5 | typeof redis6;

function ioredisClient(
  major: 5 | 6,
  module: IoredisModule,
  foreign: NodeRedisModule,
): RedisClientUnderTest {
  const { Redis, Cluster } = module as typeof ioredis5;
  return {
    name: `ioredis ${major}`,
    packageDir: 'ioredis',
    clientAlias: `ioredis${major}`,
    createNode: (client, options) => new IoredisLockNode(client as never, options),
    createRedlock: (major === 5
      ? createIoredisRedlock
      : redlockFactory(ioredisBinding({ Redis: Redis as never }))) as unknown as AnyCreateRedlock,
    async connect(target, extra) {
      const client = new Redis({ ...target, maxRetriesPerRequest: 0, ...extra });
      client.on('error', ignore);
      await client.ping();
      return { client, close: async () => client.disconnect() };
    },
    unconnected(target) {
      const client = new Redis({ ...target, lazyConnect: true });
      return { client, close: async () => client.disconnect() };
    },
    async connectCluster(startupNodes) {
      const client = new Cluster([...startupNodes]);
      client.on('error', ignore);
      await client.ping();
      return { client, close: async () => client.disconnect() };
    },
    foreignClient: () => nodeRedisHandle(foreign),
  };
}

function nodeRedisHandle(module: NodeRedisModule): ClientHandle {
  const client = (module as typeof redis5).createClient({ url: 'redis://127.0.0.1:1' });
  return { client, close: async () => undefined };
}

function nodeRedisClient(
  major: 5 | 6,
  module: NodeRedisModule,
  foreign: IoredisModule,
): RedisClientUnderTest {
  const { createClient, createCluster } = module as typeof redis5;
  return {
    name: `node-redis ${major}`,
    packageDir: 'node-redis',
    clientAlias: `redis${major}`,
    createNode: (client, options) => new NodeRedisLockNode(client as never, options),
    createRedlock: (major === 5
      ? createNodeRedisRedlock
      : redlockFactory(
          nodeRedisBinding({ createClient: createClient as never }),
        )) as unknown as AnyCreateRedlock,
    async connect(target, extra) {
      if (extra?.keyPrefix) throw new Error('node-redis has no client key prefix');
      const { host, port, db, username, password } = target;
      const client = createClient({ socket: { host, port }, database: db, username, password });
      client.on('error', ignore);
      await client.connect();
      return { client, close: async () => client.destroy() };
    },
    unconnected(target) {
      const { host, port, db, username, password } = target;
      const client = createClient({ socket: { host, port }, database: db, username, password });
      return { client, close: async () => undefined };
    },
    async connectCluster(startupNodes) {
      const client = createCluster({
        rootNodes: startupNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      });
      client.on('error', ignore);
      await client.connect();
      return { client, close: async () => client.destroy() };
    },
    foreignClient() {
      const client = new (foreign as typeof ioredis5).Redis({ port: 1, lazyConnect: true });
      return { client, close: async () => client.disconnect() };
    },
  };
}

export const redisClients: readonly RedisClientUnderTest[] = [
  ioredisClient(5, ioredis5, redis5),
  ioredisClient(6, ioredis6, redis6),
  nodeRedisClient(5, redis5, ioredis5),
  nodeRedisClient(6, redis6, ioredis6),
];

/** Clients that have a client-side key prefix option (ioredis `keyPrefix`). */
export function supportsClientKeyPrefix(client: RedisClientUnderTest): boolean {
  return client.packageDir === 'ioredis';
}
