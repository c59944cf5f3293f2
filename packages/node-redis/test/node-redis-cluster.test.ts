import { InvalidArgumentError } from '@redlock/core';
import { acquireScript } from '@redlock/redis-scripts';
import { useRedisCluster } from '@redlock/test-utils/vitest';
import { createCluster, type RedisClusterType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeRedisLockNode } from '../src/index.js';

const cluster = useRedisCluster();

let client: RedisClusterType;
let node: NodeRedisLockNode;

function rootNodes() {
  return cluster.startupNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` }));
}

beforeAll(async () => {
  client = createCluster({ rootNodes: rootNodes() }) as RedisClusterType;
  client.on('error', () => undefined);
  await client.connect();
  node = new NodeRedisLockNode(client);
});

afterEach(async () => {
  await Promise.all(cluster.nodes.map((server) => server.command('FLUSHALL')));
});

afterAll(async () => {
  await node.close();
  client.destroy();
});

describe('NodeRedisLockNode on a Redis Cluster', () => {
  it('is named after the root nodes', () => {
    const seeds = cluster.startupNodes.map(({ host, port }) => `${host}:${port}`).join(',');
    expect(node.name).toBe(`redis-cluster://${seeds}`);
  });

  it('locks several keys atomically when they share a hash tag', async () => {
    expect(await node.acquire(['{orders}:1', '{orders}:2'], 'owner', 10_000)).toEqual({
      acquired: true,
    });
    const owner = cluster.cluster.nodeForKey('{orders}:1');
    expect(await owner.command('MGET', '{orders}:1', '{orders}:2')).toBe('owner\nowner');
    expect(await node.release(['{orders}:1', '{orders}:2'], 'owner')).toBe(2);
  });

  it('refuses keys in different slots before sending anything, explaining hash tags', async () => {
    // Never connected: a command that reached the client would fail with ClientClosedError instead.
    const idle = createCluster({ rootNodes: rootNodes() });
    const error = await new NodeRedisLockNode(idle)
      .acquire(['orders:1', 'orders:2'], 'owner', 10_000)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('"{orders}:1" and "{orders}:2"');
  });

  it('falls back to EVAL on the node that owns the slot after SCRIPT FLUSH', async () => {
    await node.acquire(['flushed'], 'owner', 10_000);
    await Promise.all(cluster.nodes.map((server) => server.command('SCRIPT', 'FLUSH')));

    expect(await node.acquire(['flushed-again'], 'owner', 10_000)).toEqual({ acquired: true });
    const owner = cluster.cluster.nodeForKey('flushed-again');
    expect(await owner.command('SCRIPT', 'EXISTS', acquireScript.sha1)).toBe('1');
  });

  it('hears releases of keys on every master through one subscriber', async () => {
    // One key per master, so the releases are published on three different nodes.
    const keys = ['{a}', '{b}', '{c}'].map((tag) => `${tag}:watched`);
    expect(new Set(keys.map((key) => cluster.cluster.nodeForKey(key).port)).size).toBe(3);
    const heard: string[] = [];
    let allHeard!: () => void;
    const done = new Promise<void>((resolve) => {
      allHeard = resolve;
    });
    const stop = await node.watch(keys, (value) => {
      heard.push(value ?? '');
      if (heard.length === keys.length) allHeard();
    });
    try {
      for (const [index, key] of keys.entries()) {
        await node.acquire([key], `owner-${index}`, 10_000);
        await node.release([key], `owner-${index}`);
      }
      await done;
      expect(heard.sort()).toEqual(['owner-0', 'owner-1', 'owner-2']);
    } finally {
      await stop();
    }
  });
});
