import type { RedisServer } from '@redlock/test-utils';
import { useRedisCluster } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client, ExecutionError, ResourceLockedError } from '../src/index.js';
import { clientKinds, expectTtlNear, valueOn } from './clients.js';

// node-redlock's multi-instance expectations on three independent clusters
// (one master each, as in node-redlock's own test setup). A lone master never
// learns its own address from a MEET, so it is told, or CLUSTER SLOTS would
// report an empty host that ioredis cannot connect to.
const oneMaster = { masters: 1, args: ['--cluster-announce-ip', '127.0.0.1'] };
const clusters = [
  useRedisCluster(oneMaster),
  useRedisCluster(oneMaster),
  useRedisCluster(oneMaster),
];
const DURATION = 60_000;

describe.each(clientKinds)('a Redlock of three $name Cluster clients', (kind) => {
  let clients: Client[];
  let masters: RedisServer[];

  beforeAll(async () => {
    clients = await Promise.all(
      clusters.map((cluster) => kind.connectCluster(cluster.startupNodes)),
    );
    masters = clusters.map((cluster) => cluster.nodes[0]!);
  });
  afterEach(async () => {
    await Promise.all(masters.map((server) => server.command('FLUSHALL')));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => kind.close(client)));
  });

  it('acquires, extends, and releases a lock on every cluster', async () => {
    const redlock = new Redlock(clients);
    let lock = await redlock.acquire(['{redlock}a'], DURATION);
    await lock.attempts.at(-1);
    for (const server of masters) expect(await valueOn(server, '{redlock}a')).toBe(lock.value);
    lock = await lock.extend(3 * DURATION);
    await lock.attempts.at(-1);
    for (const server of masters) await expectTtlNear(server, '{redlock}a', 3 * DURATION);
    await lock.release();
    for (const server of masters) expect(await valueOn(server, '{redlock}a')).toBeNull();
  });

  it('succeeds when a minority of clusters refuse', async () => {
    await masters[2]!.command('SET', '{redlock}b', 'other');
    const redlock = new Redlock(clients);
    const lock = await redlock.acquire(['{redlock}b'], DURATION);
    const stats = await lock.attempts.at(-1)!;
    expect(stats.votesFor).toEqual(new Set([clients[0], clients[1]]));
    expect(stats.votesAgainst.get(clients[2]!)).toBeInstanceOf(ResourceLockedError);
    await lock.release();
    expect(await valueOn(masters[2]!, '{redlock}b')).toBe('other');
  });

  it('fails when a majority of clusters refuse', async () => {
    await masters[1]!.command('SET', '{redlock}c', 'other1');
    await masters[2]!.command('SET', '{redlock}c', 'other2');
    const redlock = new Redlock(clients, { retryCount: 2, retryDelay: 20, retryJitter: 10 });
    const error = await redlock.acquire(['{redlock}c'], DURATION).catch((caught) => caught);
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.attempts).toHaveLength(3);
    expect(await valueOn(masters[0]!, '{redlock}c')).toBeNull();
    for (const stats of await Promise.all(error.attempts)) {
      for (const vote of (stats as { votesAgainst: Map<Client, Error> }).votesAgainst.values()) {
        expect(vote.message).toBe('The operation was applied to: 0 of the 1 requested resources.');
      }
    }
  });
});
