import { InvalidArgumentError, LockAcquireError } from '@redlock/core';
import { getFreePort, type RedisServer } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedlock, DEFAULT_REDIS_URL } from '../src/index.js';

const { servers } = useRedisServers(3);

afterEach(async () => {
  await Promise.all(servers.map((server) => server.command('FLUSHALL')));
});

async function clientNames(server: RedisServer): Promise<string[]> {
  const list = await server.command('CLIENT', 'LIST');
  return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1]!);
}

describe('createRedlock (node-redis)', () => {
  it(`uses ${DEFAULT_REDIS_URL} when given nothing`, async () => {
    const redlock = createRedlock();
    expect(redlock.nodes.map((node) => node.name)).toEqual(['redis://127.0.0.1:6379/0']);
    // Closed at once: this test does not depend on whatever listens on 6379.
    await redlock.close();
  });

  it('creates a client per URL and closes them on close()', async () => {
    const redlock = createRedlock(
      servers.map((server) => server.url),
      { clientOptions: { name: 'redlock-owned' } },
    );
    const lock = await redlock.acquire('owned', 10_000);
    await lock.release();
    for (const server of servers) expect(await clientNames(server)).toContain('redlock-owned');

    await redlock.close();

    for (const server of servers) expect(await clientNames(server)).not.toContain('redlock-owned');
  });

  it('never closes clients it was given', async () => {
    const clients = await Promise.all(
      servers.map((server) => createClient({ url: server.url }).connect()),
    );
    try {
      const redlock = createRedlock(clients);
      const lock = await redlock.acquire('given', 10_000);
      await lock.release();

      await redlock.close();

      for (const client of clients) {
        expect(client.isReady).toBe(true);
        expect(await client.ping()).toBe('PONG');
      }
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  it('passes Redlock options to Redlock and node options to every node', async () => {
    const redlock = createRedlock(
      servers.map((server) => server.url),
      { nodeTimeoutMs: 250, keyPrefix: 'app:' },
    );
    try {
      expect(redlock.nodeTimeoutMs).toBe(250);
      const lock = await redlock.acquire('orders:42', 10_000);
      // Redlock resolves at quorum (2 of 3); the third server may still be setting its key.
      const values = await Promise.all(
        servers.map((server) => server.command('GET', 'app:orders:42')),
      );
      expect(values.filter((value) => value === lock.value).length).toBeGreaterThanOrEqual(2);
      await lock.release();
    } finally {
      await redlock.close();
    }
  });

  it('reports an unreachable URL in the acquisition error instead of crashing on an error event', async () => {
    // node-redis throws 'error' events that have no listener; this would
    // fail the test run as an uncaught exception.
    const url = `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
    const redlock = createRedlock(url, { retryCount: 0, nodeTimeoutMs: 100 });
    try {
      const error = await redlock.acquire('unreachable', 10_000).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LockAcquireError);
      expect((error as Error).message).toContain(`${url}/0`);
    } finally {
      await redlock.close();
    }
  });

  it('rejects an empty list and strings that are not Redis URLs before connecting', () => {
    expect(() => createRedlock([])).toThrow(InvalidArgumentError);
    expect(() => createRedlock(['http://user:secret@example.com'])).toThrow(
      /not a redis:\/\/ or rediss:\/\/ URL: "http:\/\/\*\*\*@example.com"/,
    );
  });
});
