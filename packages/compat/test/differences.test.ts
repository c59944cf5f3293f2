import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client, ExecutionError, Lock } from '../src/index.js';
import { clientKinds, valueOn } from './clients.js';

// Where node-redlock's behaviour is a bug users suffer, compat does what is right.
const { servers } = useRedisServers(5);

describe.each(clientKinds)('fixed node-redlock behaviours, $name clients', (kind) => {
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

  it('fails an acquisition with 3 of 5 servers paused instead of hanging until they resume', async () => {
    const redlock = new Redlock(clients, { retryCount: 2, retryDelay: 20, retryJitter: 10 });
    for (const server of servers.slice(0, 3)) server.pause();

    // node-redlock never settles here while the servers stay paused: it waits for every vote.
    const error = await redlock.acquire(['paused'], 10_000).catch((caught) => caught);

    expect(error).toBeInstanceOf(ExecutionError);
    expect(error.attempts).toHaveLength(3);
    const stats = await error.attempts[0];
    for (const client of clients.slice(0, 3)) {
      expect(stats.votesAgainst.get(client)?.message).toMatch(/did not answer|abort|timed out/i);
    }
  });

  it('resolves a release after the lock expired (node-redlock #65 throws)', async () => {
    const redlock = new Redlock(clients);
    const lock = await redlock.acquire(['expired'], 200);
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the TTL
    const result = await lock.release();
    const stats = await result.attempts[0]!;
    expect(stats.votesFor.size).toBe(0);
    expect(stats.votesAgainst.size).toBeGreaterThanOrEqual(3);
  });

  it('resolves a second release of the same lock', async () => {
    const redlock = new Redlock(clients);
    const lock = await redlock.acquire(['twice'], 10_000);
    await lock.release();
    await expect(lock.release()).resolves.toMatchObject({ attempts: [expect.any(Promise)] });
  });

  it('releases a Lock the app rebuilt from a stored value', async () => {
    const redlock = new Redlock(clients);
    const lock = await redlock.acquire(['rebuilt'], 10_000);
    await lock.attempts.at(-1);
    const rebuilt = new Lock(redlock, ['rebuilt'], lock.value, [], lock.expiration);
    const result = await redlock.release(rebuilt);
    expect((await result.attempts[0]!).votesFor.size).toBe(5);
    for (const server of servers) expect(await valueOn(server, 'rebuilt')).toBeNull();
  });
});
