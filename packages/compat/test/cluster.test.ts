import { InvalidArgumentError } from '@redlock/core';
import { useRedisCluster } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client, ExecutionError, ResourceLockedError } from '../src/index.js';
import { clientKinds, expectTtlNear, valueOn } from './clients.js';

// node-redlock's expectations on one Redis Cluster passed as one client.
const cluster = useRedisCluster();
const DURATION = 60_000;

describe.each(clientKinds)('a Redlock of one $name Cluster client', (kind) => {
  let client: Client;

  beforeAll(async () => {
    client = await kind.connectCluster(cluster.startupNodes);
  });
  afterEach(async () => {
    await Promise.all(cluster.nodes.map((server) => server.command('FLUSHALL')));
  });
  afterAll(async () => {
    await kind.close(client);
  });

  it('acquires, extends, and releases a multi-resource lock sharing a hash tag', async () => {
    const redlock = new Redlock([client]);
    const keys = ['{redlock}a1', '{redlock}a2'];
    let lock = await redlock.acquire(keys, DURATION);
    const owner = cluster.cluster.nodeForKey('{redlock}a1');
    for (const key of keys) {
      expect(await valueOn(owner, key)).toBe(lock.value);
      await expectTtlNear(owner, key, DURATION);
    }
    lock = await lock.extend(3 * DURATION);
    for (const key of keys) await expectTtlNear(owner, key, 3 * DURATION);
    await lock.release();
    for (const key of keys) expect(await valueOn(owner, key)).toBeNull();
  });

  it('keeps locks exclusive on the cluster', async () => {
    const redlock = new Redlock([client], { retryCount: 2, retryDelay: 20, retryJitter: 10 });
    const lock = await redlock.acquire(['{redlock}c'], DURATION);
    const error = await redlock.acquire(['{redlock}c'], DURATION).catch((caught) => caught);
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.attempts).toHaveLength(3);
    for (const stats of await Promise.all(error.attempts)) {
      for (const vote of (stats as { votesAgainst: Map<Client, Error> }).votesAgainst.values()) {
        expect(vote).toBeInstanceOf(ResourceLockedError);
      }
    }
    await lock.release();
  });

  it('refuses resources in different slots at once, explaining hash tags', async () => {
    // node-redlock sends them as one script, which the cluster refuses (CROSSSLOT) on every retry.
    const redlock = new Redlock([client]);
    const error = await redlock.acquire(['orders:1', 'orders:2'], DURATION).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toContain('{orders}');
  });
});
