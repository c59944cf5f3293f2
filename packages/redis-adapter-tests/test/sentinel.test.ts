/**
 * Masters managed by Redis Sentinel, on real `redis-server --sentinel`
 * processes: a node over a Sentinel-aware client locks on the master the
 * sentinels name and follows a failover. node-redis' createSentinel()
 * clients are refused by NodeRedisLockNode (see lock-node.test.ts), so the
 * clients here are the ioredis family's.
 */
import { Redlock } from '@redlock/core';
import { IoredisLockNode } from '@redlock/ioredis';
import { IovalkeyLockNode } from '@redlock/iovalkey';
import type { RedisLockNode } from '@redlock/redis-scripts';
import { useRedisSentinel } from '@redlock/test-utils/vitest';
import * as ioredis5 from 'ioredis5';
import * as ioredis6 from 'ioredis6';
import * as iovalkey0 from 'iovalkey0';
import { describe, expect, it } from 'vitest';

interface SentinelClient {
  readonly name: string;
  /** A `Redis` that asks the sentinels for the master. */
  connect(sentinels: { host: string; port: number }[], masterName: string): SentinelAwareClient;
  readonly createNode: (client: never) => RedisLockNode;
}

interface SentinelAwareClient {
  on(event: 'error', listener: () => void): unknown;
  disconnect(): void;
}

const options = (sentinels: { host: string; port: number }[], name: string) => ({
  sentinels,
  name,
  maxRetriesPerRequest: 0,
  sentinelRetryStrategy: () => 50,
  // A demoted master keeps its client connections and answers writes with
  // READONLY: reconnecting makes the client ask the sentinels for the new
  // master. Without this, locks fail until the connection drops by itself.
  reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
});

const sentinelClients: SentinelClient[] = [
  {
    name: 'ioredis 5',
    connect: (sentinels, name) => new ioredis5.Redis(options(sentinels, name)),
    createNode: (client) => new IoredisLockNode(client),
  },
  {
    name: 'ioredis 6',
    connect: (sentinels, name) => new ioredis6.Redis(options(sentinels, name)),
    createNode: (client) => new IoredisLockNode(client),
  },
  {
    name: 'iovalkey 0',
    connect: (sentinels, name) => new iovalkey0.Redis(options(sentinels, name)),
    createNode: (client) => new IovalkeyLockNode(client),
  },
];

// One group for every client: each failover test moves the master once more.
const sentinel = useRedisSentinel({ replicas: 1, sentinels: 3 });

describe.each(sentinelClients)('$name through Redis Sentinel', (sentinelClient) => {
  const open = () => {
    const { group } = sentinel;
    const client = sentinelClient.connect(group.sentinelAddresses, group.masterName);
    client.on('error', () => undefined);
    const node = sentinelClient.createNode(client as never);
    return { client, node, redlock: new Redlock([node], { retryCount: 40, retryDelay: 100 }) };
  };

  it('is named after the sentinels and the master name', () => {
    const { client, node } = open();
    try {
      const ports = sentinel.group.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
      expect(node.name).toBe(`redis-sentinel://${ports}/mymaster/0`);
    } finally {
      client.disconnect();
    }
  });

  it('locks on the master the sentinels name, and the replica receives the lock', async () => {
    const { client, node, redlock } = open();
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
      client.disconnect();
    }
  });

  it('follows a failover: a replicated lock stays held, new locks go to the promoted master', async () => {
    const { client, node, redlock } = open();
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
      client.disconnect();
    }
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
