import { InvalidArgumentError, Redlock } from '@redlock/core';
import { acquireScript } from '@redlock/redis-scripts';
import { useRedisCluster } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientHandle, redisClients } from '../src/clients.js';

const cluster = useRedisCluster();

async function keysOnEveryMaster(): Promise<unknown[]> {
  const keys = await Promise.all(cluster.nodes.map((server) => server.call('KEYS', '*')));
  return keys.flat();
}

describe.each(redisClients)('$name on a Redis Cluster', (client) => {
  let handle: ClientHandle;

  beforeAll(async () => {
    handle = await client.connectCluster(cluster.startupNodes);
  });
  afterEach(async () => {
    await Promise.all(cluster.nodes.map((server) => server.command('FLUSHALL')));
  });
  afterAll(async () => {
    await handle.close();
  });

  it('is named after the seed nodes', () => {
    const seeds = cluster.startupNodes.map(({ host, port }) => `${host}:${port}`).join(',');
    expect(client.createNode(handle.client).name).toBe(`redis-cluster://${seeds}`);
  });

  it('locks several keys atomically when they share a hash tag', async () => {
    const node = client.createNode(handle.client);
    expect(await node.acquire(['{orders}:1', '{orders}:2'], 'owner', 10_000)).toEqual({
      acquired: true,
    });
    const owner = cluster.cluster.nodeForKey('{orders}:1');
    expect(await owner.command('MGET', '{orders}:1', '{orders}:2')).toBe('owner\nowner');
    expect(await node.release(['{orders}:1', '{orders}:2'], 'owner')).toBe(2);
  });

  it('refuses keys in different slots before sending anything, explaining hash tags', async () => {
    const node = client.createNode(handle.client);
    const error = await node
      .acquire(['orders:1', 'orders:2'], 'owner', 10_000)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('"{orders}:1" and "{orders}:2"');
    expect(await keysOnEveryMaster()).toEqual([]);
  });

  it('makes Redlock reject a cross-slot lock with that InvalidArgumentError, at once, without retrying or writing', async () => {
    const nodes = [0, 1, 2].map((store) =>
      client.createNode(handle.client, { keyPrefix: `store-${store}:` }),
    );
    const redlock = new Redlock(nodes, { retryCount: 50, retryDelay: 1000 });

    const error = await redlock
      .acquire(['orders:1', 'orders:2'], 10_000)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('hash tag');
    expect((error as Error).message).not.toContain('unreachable');
    expect(await keysOnEveryMaster()).toEqual([]);
    await expect(redlock.tryAcquire(['a', 'b'], 10_000)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('falls back to EVAL on the node that owns the slot after SCRIPT FLUSH', async () => {
    const node = client.createNode(handle.client);
    await node.acquire(['flushed'], 'owner', 10_000);
    await Promise.all(cluster.nodes.map((server) => server.command('SCRIPT', 'FLUSH')));

    expect(await node.acquire(['flushed-again'], 'owner', 10_000)).toEqual({ acquired: true });
    const owner = cluster.cluster.nodeForKey('flushed-again');
    expect(await owner.command('SCRIPT', 'EXISTS', acquireScript.sha1)).toBe('1');
  });

  it('hears releases of keys on every master through one subscriber', async (context) => {
    const node = client.createNode(handle.client);
    if (!node.watch) context.skip();
    // One key per master, so the releases are published on three different nodes.
    const keys = ['{a}', '{b}', '{c}'].map((tag) => `${tag}:watched`);
    expect(new Set(keys.map((key) => cluster.cluster.nodeForKey(key).port)).size).toBe(3);
    const heard: string[] = [];
    let allHeard!: () => void;
    const done = new Promise<void>((resolve) => {
      allHeard = resolve;
    });
    const stop = await node.watch!(keys, (value) => {
      heard.push(value ?? '');
      if (heard.length === keys.length) allHeard();
    });
    for (const [index, key] of keys.entries()) {
      await node.acquire([key], `owner-${index}`, 10_000);
      await node.release([key], `owner-${index}`);
    }
    await done;
    expect(heard.sort()).toEqual(['owner-0', 'owner-1', 'owner-2']);
    await stop();
    await node.close();
  });
});
