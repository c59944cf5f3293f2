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
  waitUntilReady as ioredisWaitUntilReady,
} from '@redlock/ioredis';
import {
  createRedlock as createIovalkeyRedlock,
  IovalkeyLockNode,
  waitUntilReady as iovalkeyWaitUntilReady,
} from '@redlock/iovalkey';
import {
  createRedlock as createNodeRedisRedlock,
  NodeRedisLockNode,
  nodeRedisBinding,
  waitUntilReady as nodeRedisWaitUntilReady,
} from '@redlock/node-redis';
import {
  type CreateRedisRedlockOptions,
  type RedisLockNode,
  type RedisLockNodeSettings,
  redlockFactory,
  type waitUntilReady,
} from '@redlock/redis-scripts';
import {
  createRedlock as createValkeyGlideRedlock,
  PendingGlideClient,
  ValkeyGlideLockNode,
  waitUntilReady as valkeyGlideWaitUntilReady,
} from '@redlock/valkey-glide';
import * as ioredis5 from 'ioredis5';
import * as ioredis6 from 'ioredis6';
import * as iovalkey0 from 'iovalkey0';
import * as redis5 from 'redis5';
import * as redis6 from 'redis6';
import * as glide2 from 'valkey-glide2';

// GLIDE logs every reconnect attempt to the console; the tests stop servers on purpose.
glide2.Logger.setLoggerConfig('off');

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
  /** The package's `waitUntilReady`. */
  readonly waitUntilReady: typeof waitUntilReady;
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
  /** `clientOptions` for `createRedlock` that name its connections (`CLIENT SETNAME`). */
  namedClientOptions(name: string): Record<string, unknown>;
  /**
   * `false` for a client that tells nothing about a connection it lost or
   * got back (GLIDE, which reconnects silently): its node cannot know that a
   * server went down, so calls wait for their timeout instead of failing at
   * once with the cause, and cannot know that a server came back with an
   * empty script cache. A client that never connected is still reported
   * with its cause (`createRedlock with nothing listening`). Default `true`.
   */
  readonly reportsConnectionState?: boolean;
  /**
   * How long a connection may still show on the server (`CLIENT LIST`,
   * `PUBSUB NUMSUB`) after the `close()` that closed it resolved; the suite
   * polls up to this long (`expectAfterClose`). Default `0`: gone when
   * `close()` resolves. GLIDE: its Rust core drops a closed client's server
   * connection only at its next connection check (`CONNECTION_CHECKS_INTERVAL`,
   * 3 s, not configurable), though the process can exit at once.
   */
  readonly closedConnectionLingersMs?: number;
  /** Clients of this very library that the package refuses (e.g. node-redis `createSentinel` without its options). */
  unsupportedClients?(): { readonly label: string; readonly client: unknown }[];
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
    waitUntilReady: ioredisWaitUntilReady,
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
    namedClientOptions: (connectionName) => ({ connectionName }),
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
    waitUntilReady: nodeRedisWaitUntilReady,
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
    namedClientOptions: (name) => ({ name }),
    unsupportedClients: () => [
      {
        // Works as a node with options.sentinel (test/sentinel.test.ts); without, it cannot be named.
        label: 'a createSentinel() client without options.sentinel',
        client: (module as typeof redis5).createSentinel({
          name: 'mymaster',
          sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }],
        }),
      },
    ],
  };
}

function iovalkeyClient(module: typeof iovalkey0, foreign: NodeRedisModule): RedisClientUnderTest {
  const { Redis, Cluster } = module;
  return {
    name: 'iovalkey 0',
    packageDir: 'iovalkey',
    clientAlias: 'iovalkey0',
    createNode: (client, options) => new IovalkeyLockNode(client as never, options),
    waitUntilReady: iovalkeyWaitUntilReady,
    createRedlock: createIovalkeyRedlock as unknown as AnyCreateRedlock,
    namedClientOptions: (connectionName) => ({ connectionName }),
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

function valkeyGlideClient(module: typeof glide2, foreign: IoredisModule): RedisClientUnderTest {
  const { GlideClient, GlideClusterClient } = module;
  // GLIDE's default requestTimeout (250 ms) is too short for six test runs sharing two cores.
  const configuration = (target: StandaloneTarget) => ({
    addresses: [{ host: target.host, port: target.port }],
    databaseId: target.db ?? 0,
    requestTimeout: 2000,
    ...(target.password === undefined
      ? {}
      : { credentials: { password: target.password, username: target.username } }),
  });
  return {
    name: 'valkey-glide 2',
    reportsConnectionState: false,
    // GLIDE's 3 s connection check, plus room for six test runs on two cores.
    closedConnectionLingersMs: 5000,
    packageDir: 'valkey-glide',
    clientAlias: 'valkey-glide2',
    createNode: (client, options) => new ValkeyGlideLockNode(client as never, options),
    waitUntilReady: valkeyGlideWaitUntilReady,
    createRedlock: createValkeyGlideRedlock as unknown as AnyCreateRedlock,
    namedClientOptions: (clientName) => ({ clientName }),
    async connect(target, extra) {
      if (extra?.keyPrefix) throw new Error('GLIDE has no client key prefix');
      const client = await GlideClient.createClient(configuration(target));
      return { client, close: async () => client.close() };
    },
    unconnected(target) {
      const client = new PendingGlideClient(GlideClient as never, {
        ...configuration(target),
        lazyConnect: true,
      });
      return { client, close: async () => client.close() };
    },
    async connectCluster(startupNodes) {
      const client = await GlideClusterClient.createClient({
        addresses: [...startupNodes],
        requestTimeout: 2000,
      });
      return { client, close: async () => client.close() };
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
  iovalkeyClient(iovalkey0, redis6),
  valkeyGlideClient(glide2, ioredis6),
];

/** Clients that have a client-side key prefix option (ioredis `keyPrefix`). */
export function supportsClientKeyPrefix(client: RedisClientUnderTest): boolean {
  return client.packageDir === 'ioredis' || client.packageDir === 'iovalkey';
}
