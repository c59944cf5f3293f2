import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client, ExecutionError, ResourceLockedError } from '../src/index.js';
import { clientKinds, expectTtlNear, ping, valueOn } from './clients.js';

// node-redlock's multi-instance expectations: three independent servers.
const { servers } = useRedisServers(3);
const DURATION = 60_000;
const FAST = { retryDelay: 20, retryJitter: 10 };

describe.each(clientKinds)('a Redlock of three $name clients', (kind) => {
  let clients: Client[];

  beforeAll(async () => {
    clients = await Promise.all(servers.map((server) => kind.connect(server)));
  });
  afterEach(async () => {
    for (const server of servers) if (server.isPaused) server.resume();
    await Promise.all(servers.map((server) => server.command('FLUSHALL')));
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => kind.close(client)));
  });

  it('acquires, extends, and releases a single lock on every server', async () => {
    const redlock = new Redlock(clients);
    let lock = await redlock.acquire(['{redlock}a'], DURATION);
    // Redlock resolves at quorum; the last server may still be writing.
    await lock.attempts.at(-1);
    for (const server of servers) {
      expect(await valueOn(server, '{redlock}a')).toBe(lock.value);
      await expectTtlNear(server, '{redlock}a', DURATION);
    }
    lock = await lock.extend(3 * DURATION);
    await lock.attempts.at(-1);
    for (const server of servers) await expectTtlNear(server, '{redlock}a', 3 * DURATION);
    await lock.release();
    for (const server of servers) expect(await valueOn(server, '{redlock}a')).toBeNull();
  });

  it('reports no refusal when a late server grants and core releases it twice', async () => {
    const redlock = new Redlock(clients, { nodeTimeoutMs: 5000 });
    const refusals: Error[] = [];
    redlock.on('error', (error: Error) => {
      if (error instanceof ResourceLockedError) refusals.push(error);
    });
    servers[2]!.pause();
    // Decided by the other two; the paused server gets the acquire and the release queued.
    const lock = await redlock.acquire(['{redlock}late'], DURATION);
    await lock.release();
    servers[2]!.resume();
    // Through the same connection: the first ping returns after the queued
    // acquire and release ran; core then releases once more after the late
    // acquire reply, which the second ping waits for.
    await ping(clients[2]!);
    await ping(clients[2]!);
    expect(await valueOn(servers[2]!, '{redlock}late')).toBeNull();
    expect(refusals).toEqual([]);
  });

  it('succeeds when a minority of servers refuse, leaving their value alone', async () => {
    await servers[2]!.command('SET', '{redlock}b', 'other');
    const redlock = new Redlock(clients);
    let lock = await redlock.acquire(['{redlock}b'], DURATION);
    const stats = await lock.attempts.at(-1)!;
    expect(stats.votesFor).toEqual(new Set([clients[0], clients[1]]));
    expect(stats.votesAgainst.get(clients[2]!)).toBeInstanceOf(ResourceLockedError);
    expect(await valueOn(servers[0]!, '{redlock}b')).toBe(lock.value);
    expect(await valueOn(servers[1]!, '{redlock}b')).toBe(lock.value);
    expect(await valueOn(servers[2]!, '{redlock}b')).toBe('other');

    lock = await lock.extend(3 * DURATION);
    await lock.attempts.at(-1);
    await expectTtlNear(servers[0]!, '{redlock}b', 3 * DURATION);
    await expectTtlNear(servers[1]!, '{redlock}b', 3 * DURATION);
    expect(Number(await servers[2]!.call('PTTL', '{redlock}b'))).toBe(-1);

    await lock.release();
    expect(await valueOn(servers[0]!, '{redlock}b')).toBeNull();
    expect(await valueOn(servers[1]!, '{redlock}b')).toBeNull();
    expect(await valueOn(servers[2]!, '{redlock}b')).toBe('other');
  });

  it('fails when a majority of servers refuse, leaving no key of its own behind', async () => {
    await servers[1]!.command('SET', '{redlock}c', 'other1');
    await servers[2]!.command('SET', '{redlock}c', 'other2');
    const redlock = new Redlock(clients, FAST);

    const error = await redlock.acquire(['{redlock}c'], DURATION).catch((caught) => caught);

    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.attempts).toHaveLength(11);
    expect(await valueOn(servers[0]!, '{redlock}c')).toBeNull();
    expect(await valueOn(servers[1]!, '{redlock}c')).toBe('other1');
    expect(await valueOn(servers[2]!, '{redlock}c')).toBe('other2');
    for (const stats of await Promise.all(error.attempts)) {
      const { membershipSize, quorumSize, votesAgainst } = stats as {
        membershipSize: number;
        quorumSize: number;
        votesAgainst: Map<Client, Error>;
      };
      expect(membershipSize).toBe(3);
      expect(quorumSize).toBe(2);
      expect(votesAgainst.size).toBeGreaterThanOrEqual(2);
      for (const vote of votesAgainst.values()) {
        expect(vote).toBeInstanceOf(ResourceLockedError);
        expect(vote.message).toBe('The operation was applied to: 0 of the 1 requested resources.');
      }
    }
  });
});
