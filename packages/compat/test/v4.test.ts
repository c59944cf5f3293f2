import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Redlock, { type Client, LockError } from '../src/index.js';
import { clientKinds, valueOn } from './clients.js';

// The node-redlock v4 calls its README documents: lock, unlock, lock.unlock,
// lock.extend, Redlock.LockError and the clientError event.
const { servers } = useRedisServers(3);

describe.each(clientKinds)('the v4 subset with $name clients', (kind) => {
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

  it('locks a single resource (a string), extends it in place, and unlocks it', async () => {
    const redlock = new Redlock(clients);
    const lock = await redlock.lock('locks:account:322456', 1000);
    expect(lock.resource).toEqual(['locks:account:322456']);
    expect(lock).toBeInstanceOf(Redlock.Lock);
    await lock.attempts.at(-1);
    expect(await valueOn(servers[0]!, 'locks:account:322456')).toBe(lock.value);

    // v4 modifies the original lock: `extended` and `lock` are the same object.
    const extended = await lock.extend(5000);
    expect(extended).toBe(lock);
    expect(lock.expiration).toBeGreaterThan(Date.now() + 4000);

    await lock.unlock();
    for (const server of servers) expect(await valueOn(server, 'locks:account:322456')).toBeNull();
  });

  it('locks several resources and unlocks through redlock.unlock', async () => {
    const redlock = new Redlock(clients);
    const resources = ['locks:account:1', 'locks:account:2'];
    const lock = await redlock.lock(resources, 1000);
    await redlock.unlock(lock);
    for (const resource of resources) expect(await valueOn(servers[0]!, resource)).toBeNull();
  });

  it('rejects with a Redlock.LockError when the resource is held', async () => {
    const redlock = new Redlock(clients, { retryCount: 2, retryDelay: 20, retryJitter: 10 });
    const held = await redlock.lock('locks:held', 10_000);
    const error = await redlock.lock('locks:held', 10_000).catch((caught) => caught);
    expect(error).toBeInstanceOf(Redlock.LockError);
    expect(error).toBeInstanceOf(LockError);
    expect(error.message).toBe('Exceeded 2 attempts to lock the resource "locks:held".');
    expect(error.attempts).toBe(3);
    await held.unlock();
  });

  it('resolves unlock of an expired lock (v4 rejected)', async () => {
    const redlock = new Redlock(clients);
    const lock = await redlock.lock('locks:expired', 100);
    await new Promise((resolve) => setTimeout(resolve, 200)); // past the TTL
    await expect(lock.unlock()).resolves.toBeUndefined();
  });

  it('emits clientError for a server that fails, not for a refused vote', async () => {
    const redlock = new Redlock(clients, { retryCount: 0 });
    const clientErrors: Error[] = [];
    redlock.on('clientError', (error: Error) => clientErrors.push(error));
    servers[0]!.pause();

    const lock = await redlock.lock('locks:client-error', 10_000);
    await lock.attempts.at(-1); // settles once the paused server's time is up
    expect(clientErrors.map((error) => error.message)).toEqual([
      expect.stringMatching(/did not answer within 100 ms/),
    ]);

    servers[0]!.resume();
    const refused = await redlock.lock('locks:client-error', 10_000).catch((caught) => caught);
    expect(refused).toBeInstanceOf(LockError);
    const before = clientErrors.length;
    await lock.unlock();
    expect(clientErrors.length).toBe(before);
  });
});
