/**
 * Masters managed by Redis Sentinel, on real `redis-server --sentinel`
 * processes: a node over a Sentinel-aware client (ioredis' `sentinels`
 * option, node-redis' `createSentinel()`) locks on the master the sentinels
 * name and follows a failover.
 */
import { InvalidArgumentError, Redlock } from '@redlock/core';
import { IoredisLockNode } from '@redlock/ioredis';
import { IovalkeyLockNode } from '@redlock/iovalkey';
import { NodeRedisLockNode } from '@redlock/node-redis';
import type { RedisLockNode } from '@redlock/redis-scripts';
import { useRedisSentinel } from '@redlock/test-utils/vitest';
import * as ioredis5 from 'ioredis5';
import * as ioredis6 from 'ioredis6';
import * as iovalkey0 from 'iovalkey0';
import * as redis5 from 'redis5';
import * as redis6 from 'redis6';
import { describe, expect, it } from 'vitest';

type Address = { host: string; port: number };

/** A Sentinel-aware client the test opened, and its node. */
interface OpenedSentinelClient {
  readonly node: RedisLockNode;
  close(): Promise<void>;
}

interface SentinelClient {
  readonly name: string;
  /** A connected client that asks the sentinels for the master, and a node on it. */
  open(sentinels: Address[], masterName: string): Promise<OpenedSentinelClient>;
}

const ignore = () => undefined;

const options = (sentinels: Address[], name: string) => ({
  sentinels,
  name,
  maxRetriesPerRequest: 0,
  sentinelRetryStrategy: () => 50,
  // A demoted master keeps its client connections and answers writes with
  // READONLY: reconnecting makes the client ask the sentinels for the new
  // master. Without this, locks fail until the connection drops by itself.
  reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
});

function ioredisFamily(name: string, Redis: typeof ioredis5.Redis): SentinelClient {
  return {
    name,
    async open(sentinels, masterName) {
      const client = new Redis(options(sentinels, masterName));
      client.on('error', ignore);
      const node =
        name === 'iovalkey 0'
          ? new IovalkeyLockNode(client as never)
          : new IoredisLockNode(client as never);
      return { node, close: async () => client.disconnect() };
    },
  };
}

type NodeRedisModule = typeof redis5 | typeof redis6;

/** node-redis' createSentinel(): it re-asks the sentinels on switch-master and on READONLY by itself. */
function nodeRedis(name: string, module: NodeRedisModule): SentinelClient {
  return {
    name,
    async open(sentinels, masterName) {
      const sentinelOptions = { name: masterName, sentinelRootNodes: sentinels };
      const client = (module as typeof redis5).createSentinel(sentinelOptions);
      client.on('error', ignore);
      await client.connect();
      const node = new NodeRedisLockNode(client, { sentinel: sentinelOptions });
      return { node, close: async () => client.destroy() };
    },
  };
}

const sentinelClients: SentinelClient[] = [
  ioredisFamily('ioredis 5', ioredis5.Redis),
  ioredisFamily('ioredis 6', ioredis6.Redis as unknown as typeof ioredis5.Redis),
  ioredisFamily('iovalkey 0', iovalkey0.Redis as unknown as typeof ioredis5.Redis),
  nodeRedis('node-redis 5', redis5),
  nodeRedis('node-redis 6', redis6),
];

// One group for every client: each failover test moves the master once more.
const sentinel = useRedisSentinel({ replicas: 1, sentinels: 3 });

describe.each(sentinelClients)('$name through Redis Sentinel', (sentinelClient) => {
  const open = async () => {
    const { group } = sentinel;
    const opened = await sentinelClient.open(group.sentinelAddresses, group.masterName);
    const redlock = new Redlock([opened.node], { retryCount: 40, retryDelay: 100 });
    return { ...opened, redlock };
  };

  it('is named after the sentinels and the master name', async () => {
    const { node, close } = await open();
    try {
      const ports = sentinel.group.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
      expect(node.name).toBe(`redis-sentinel://${ports}/mymaster/0`);
    } finally {
      await node.close();
      await close();
    }
  });

  it('locks on the master the sentinels name, and the replica receives the lock', async () => {
    const { node, close, redlock } = await open();
    try {
      const master = await sentinel.group.master();
      const lock = await redlock.acquire('sentinel:orders:1', 10_000);
      expect(await master.command('GET', 'sentinel:orders:1')).toBe(lock.value);
      const replica = sentinel.group.servers.find((server) => server !== master)!;
      await expect.poll(() => replica.command('GET', 'sentinel:orders:1')).toBe(lock.value);
      await lock.release();
      expect(await master.command('EXISTS', 'sentinel:orders:1')).toBe('0');
    } finally {
      await node.close();
      await close();
    }
  });

  it('hears a release through watch on the master, and unsubscribes when stopped', async () => {
    const { node, close } = await open();
    try {
      let heard!: (value: string | undefined) => void;
      const released = new Promise<string | undefined>((resolve) => {
        heard = resolve;
      });
      // Resolves once the master acknowledged the subscription.
      const stop = await node.watch!(['sentinel:watched'], (value) => heard(value));
      await node.acquire(['sentinel:watched'], 'owner-1', 10_000);
      await node.release(['sentinel:watched'], 'owner-1');
      expect(await released).toBe('owner-1');
      const master = await sentinel.group.master();
      expect(await master.command('PUBSUB', 'CHANNELS', '*sentinel:watched*')).not.toBe('');
      await stop();
      await expect.poll(() => master.command('PUBSUB', 'CHANNELS', '*sentinel:watched*')).toBe('');
    } finally {
      await node.close();
      await close();
    }
  });

  it('follows a failover: a replicated lock stays held, new locks go to the promoted master', async () => {
    const { node, close, redlock } = await open();
    try {
      const held = await redlock.acquire('sentinel:held', 30_000);
      const before = await sentinel.group.master();
      // Replicated before the failover: the promoted master has it too.
      const replica = sentinel.group.servers.find((server) => server !== before)!;
      await expect.poll(() => replica.command('GET', 'sentinel:held')).toBe(held.value);

      const promoted = await sentinel.group.failover();
      expect(promoted).not.toBe(before);

      // The client reconnects to the new master; Redlock retries meanwhile.
      const after = await redlock.acquire('sentinel:after-failover', 10_000);
      expect(await promoted.command('GET', 'sentinel:after-failover')).toBe(after.value);
      expect(await redlock.tryAcquire('sentinel:held', 10_000)).toBeNull();
      expect(await promoted.command('GET', 'sentinel:held')).toBe(held.value);
      await after.release();
      await held.release();
    } finally {
      await node.close();
      await close();
    }
  });
});

describe.each([
  ['node-redis 5', redis5],
  ['node-redis 6', redis6],
] as const)('%s createSentinel() clients', (_name, module) => {
  const unconnected = () =>
    (module as typeof redis5).createSentinel({
      name: 'mymaster',
      sentinelRootNodes: [{ host: '127.0.0.1', port: 1 }],
    });

  it('are named without being connected, from the options given to the node', () => {
    const node = new NodeRedisLockNode(unconnected(), {
      sentinel: {
        name: 'orders',
        sentinelRootNodes: [
          { host: '10.0.0.1', port: 26379 },
          { host: '10.0.0.2', port: 26380 },
        ],
        nodeClientOptions: { database: 2 },
      },
    });
    expect(node.name).toBe('redis-sentinel://10.0.0.1:26379,10.0.0.2:26380/orders/2');
  });

  it('need the sentinel options: node-redis keeps its own private', () => {
    expect(() => new NodeRedisLockNode(unconnected())).toThrow(InvalidArgumentError);
    expect(() => new NodeRedisLockNode(unconnected())).toThrow(/options\.sentinel/);
    expect(
      () => new NodeRedisLockNode(unconnected(), { sentinel: { name: '', sentinelRootNodes: [] } }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('a Sentinel failover to a replica that had not caught up', () => {
  // Replication is asynchronous: the documented risk of Redlock on
  // Sentinel-managed masters (docs/production.md), shown on real processes.
  const unsafe = useRedisSentinel({ replicas: 1, sentinels: 3, replicateThroughProxy: true });

  it('loses the lock: a second owner acquires it while the first still holds it', async () => {
    const { group } = unsafe;
    const connect = () => {
      const client = new ioredis6.Redis(options(group.sentinelAddresses, group.masterName));
      client.on('error', () => undefined);
      const node = new IoredisLockNode(client as never);
      return { client, node, redlock: new Redlock([node], { retryCount: 60, retryDelay: 100 }) };
    };
    const first = connect();
    const second = connect();
    try {
      const oldMaster = await group.master();
      const replica = group.servers.find((server) => server !== oldMaster)!;
      // The lock reaches the master; the replication stream to the replica is held back.
      group.replicationProxies[0]!.blackhole(true);
      const held = await first.redlock.acquire('sentinel:unsafe', 60_000);
      expect(await oldMaster.command('GET', 'sentinel:unsafe')).toBe(held.value);

      // The master crashes before the replica got the write; Sentinel promotes the replica.
      await oldMaster.kill();
      group.replicationProxies[0]!.resetConnections();
      await expect.poll(() => group.master(), { timeout: 30_000, interval: 100 }).toBe(replica);

      expect(await replica.command('EXISTS', 'sentinel:unsafe')).toBe('0');
      const stolen = await second.redlock.acquire('sentinel:unsafe', 10_000);
      // Two owners of one lock, both within their validity.
      expect(stolen.value).not.toBe(held.value);
      expect(held.expiration).toBeGreaterThan(Date.now());
      await stolen.release();
    } finally {
      for (const { node, client } of [first, second]) {
        await node.close();
        client.disconnect();
      }
    }
  }, 60_000);
});
