import { InvalidArgumentError } from '@redlock/core';
import { getFreePort } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client, ExecutionError, ResourceLockedError } from '../src/index.js';
import { clientKinds, expectTtlNear, valueOn } from './clients.js';

// node-redlock's single-instance expectations, for each client library.
const { servers } = useRedisServers(1);
const DURATION = 60_000;
// Fast retries keep the failing cases short; the attempt count is still retryCount + 1.
const FAST = { retryDelay: 20, retryJitter: 10 };

describe.each(clientKinds)('a Redlock of one $name client', (kind) => {
  let client: Client;

  beforeAll(async () => {
    client = await kind.connect(servers[0]!);
  });
  afterEach(async () => {
    await servers[0]!.command('FLUSHALL');
  });
  afterAll(async () => {
    await kind.close(client);
  });

  it('refuses a non-integer duration with node-redlock’s message, touching no server', async () => {
    const redlock = new Redlock([client]);
    const error = await redlock.acquire(['{redlock}float'], 1.5).catch((caught) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe('Duration must be an integer value in milliseconds.');
    expect(await valueOn(servers[0]!, '{redlock}float')).toBeNull();
  });

  it('acquires, extends, and releases a single lock', async () => {
    const redlock = new Redlock([client]);
    let lock = await redlock.acquire(['{redlock}a'], DURATION);
    expect(await valueOn(servers[0]!, '{redlock}a')).toBe(lock.value);
    await expectTtlNear(servers[0]!, '{redlock}a', DURATION);

    const before = lock;
    lock = await lock.extend(3 * DURATION);
    expect(lock).not.toBe(before);
    expect(before.expiration).toBe(0);
    expect(await valueOn(servers[0]!, '{redlock}a')).toBe(lock.value);
    await expectTtlNear(servers[0]!, '{redlock}a', 3 * DURATION);

    await lock.release();
    expect(await valueOn(servers[0]!, '{redlock}a')).toBeNull();
  });

  it('acquires, extends, and releases a multi-resource lock', async () => {
    const redlock = new Redlock([client]);
    let lock = await redlock.acquire(['{redlock}a1', '{redlock}a2'], DURATION);
    for (const key of ['{redlock}a1', '{redlock}a2']) {
      expect(await valueOn(servers[0]!, key)).toBe(lock.value);
    }
    lock = await lock.extend(3 * DURATION);
    for (const key of ['{redlock}a1', '{redlock}a2']) {
      await expectTtlNear(servers[0]!, key, 3 * DURATION);
    }
    await lock.release();
    expect(await valueOn(servers[0]!, '{redlock}a1')).toBeNull();
    expect(await valueOn(servers[0]!, '{redlock}a2')).toBeNull();
  });

  it('lists the winning attempt with its votes in lock.attempts', async () => {
    const redlock = new Redlock([client]);
    const lock = await redlock.acquire(['{redlock}stats'], DURATION);
    expect(lock.attempts).toHaveLength(1);
    const stats = await lock.attempts[0]!;
    expect(stats.membershipSize).toBe(1);
    expect(stats.quorumSize).toBe(1);
    expect([...stats.votesFor]).toEqual([client]);
    expect(stats.votesAgainst.size).toBe(0);
    await lock.release();
  });

  it('lets a lock expire on its own', async () => {
    const redlock = new Redlock([client]);
    const lock = await redlock.acquire(['{redlock}d'], 200);
    expect(await valueOn(servers[0]!, '{redlock}d')).toBe(lock.value);
    // Real time is the subject: 100 ms past the 200 ms TTL.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await redlock.acquire(['{redlock}d'], 200, { retryCount: 0 });
    expect(await valueOn(servers[0]!, '{redlock}d')).toBe(second.value);
    await second.release();
    expect(await valueOn(servers[0]!, '{redlock}d')).toBeNull();
  });

  it('keeps individual locks exclusive, with retryCount + 1 attempts of ResourceLockedError votes', async () => {
    const redlock = new Redlock([client], FAST);
    const lock = await redlock.acquire(['{redlock}c'], DURATION);
    const events: Error[] = [];
    redlock.on('error', (error: Error) => events.push(error));

    const error = await redlock.acquire(['{redlock}c'], DURATION).catch((caught) => caught);
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.message).toBe(
      'The operation was unable to achieve a quorum during its retry window.',
    );
    expect(error.attempts).toHaveLength(11);
    for (const stats of await Promise.all(error.attempts as Promise<unknown>[])) {
      const { votesAgainst, votesFor } = stats as Awaited<ExecutionError['attempts'][number]>;
      expect(votesFor.size).toBe(0);
      expect([...votesAgainst.keys()]).toEqual([client]);
      for (const vote of votesAgainst.values()) {
        expect(vote).toBeInstanceOf(ResourceLockedError);
        expect(vote.message).toBe('The operation was applied to: 0 of the 1 requested resources.');
      }
    }
    // Every refused vote is also an `error` event, as in node-redlock.
    expect(events).toHaveLength(11);
    expect(events.every((event) => event instanceof ResourceLockedError)).toBe(true);

    expect(await valueOn(servers[0]!, '{redlock}c')).toBe(lock.value);
    await lock.release();
    expect(await valueOn(servers[0]!, '{redlock}c')).toBeNull();
  });

  it('keeps overlapping multi-locks exclusive and leaves the new resource unlocked', async () => {
    const redlock = new Redlock([client], FAST);
    const lock = await redlock.acquire(['{redlock}c1', '{redlock}c2'], DURATION);
    const error = await redlock
      .acquire(['{redlock}c2', '{redlock}c3'], DURATION)
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.attempts).toHaveLength(11);
    expect(await valueOn(servers[0]!, '{redlock}c1')).toBe(lock.value);
    expect(await valueOn(servers[0]!, '{redlock}c2')).toBe(lock.value);
    expect(await valueOn(servers[0]!, '{redlock}c3')).toBeNull();
    for (const stats of await Promise.all(error.attempts)) {
      for (const vote of (stats as { votesAgainst: Map<Client, Error> }).votesAgainst.values()) {
        expect(vote.message).toBe('The operation was applied to: 0 of the 2 requested resources.');
      }
    }
    await lock.release();
  });

  it('refuses a duration too long for a timer before touching a server (node-redlock accepts it)', async () => {
    const redlock = new Redlock([client]);
    const error = await redlock
      .acquire(['{redlock}huge'], Math.floor(Number.MAX_SAFE_INTEGER / 10))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(await valueOn(servers[0]!, '{redlock}huge')).toBeNull();
  });
});

/** Clients of a server that is gone: ioredis gives up reconnecting, node-redis was never connected. */
const unreachableClients: readonly { name: string; create(port: number): Client }[] = [
  {
    name: 'ioredis',
    create(port) {
      const client = new Redis({
        port,
        maxRetriesPerRequest: 0,
        autoResendUnfulfilledCommands: false,
        retryStrategy: () => null,
      });
      client.on('error', () => undefined);
      return client;
    },
  },
  {
    name: 'node-redis',
    create(port) {
      return createClient({ url: `redis://127.0.0.1:${port}` });
    },
  },
];

describe.each(unreachableClients)('a Redlock of one unreachable $name client', (kind) => {
  it('fails after retryCount + 1 attempts, each with the client’s error as the vote', async () => {
    const client = kind.create(await getFreePort());
    try {
      const redlock = new Redlock([client], FAST);
      const error = await redlock.acquire(['{redlock}b'], DURATION).catch((caught) => caught);
      expect(error).toBeInstanceOf(ExecutionError);
      expect(error.attempts).toHaveLength(11);
      for (const stats of await Promise.all(error.attempts)) {
        const votes = [...(stats as { votesAgainst: Map<Client, Error> }).votesAgainst.values()];
        expect(votes).toHaveLength(1);
        expect(votes[0]).toBeInstanceOf(Error);
        expect(votes[0]).not.toBeInstanceOf(ResourceLockedError);
      }
    } finally {
      if (kind.name === 'ioredis') (client as Redis).disconnect();
    }
  });
});
