import { LockAcquireError, Redlock } from '@redlock/core';
import type { RedisServer } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeRedisLockNode } from '../src/index.js';

const { servers } = useRedisServers(5);
const RETRY_COUNT = 2;

let clients: RedisClientType[];
let nodes: NodeRedisLockNode[];
let redlock: Redlock;

beforeAll(async () => {
  clients = await Promise.all(
    servers.map(async (server) => {
      const client = createClient({ url: server.url }) as RedisClientType;
      // Servers are stopped on purpose below; the failures show up in Redlock's reports.
      client.on('error', () => undefined);
      await client.connect();
      return client;
    }),
  );
  nodes = clients.map((client) => new NodeRedisLockNode(client));
  redlock = new Redlock(nodes, {
    nodeTimeoutMs: 200,
    retryCount: RETRY_COUNT,
    retryDelay: 50,
    retryJitter: 10,
  });
});

afterEach(async () => {
  await Promise.all(
    servers.map(async (server, index) => {
      if (server.isPaused) server.resume();
      if (!server.isRunning) await server.restart();
      // Through the client: it waits for the reconnection, and commands it
      // still had in flight land first.
      await clients[index]!.flushAll();
    }),
  );
});

afterAll(async () => {
  await redlock.close();
  for (const client of clients) client.destroy();
});

async function keysOn(server: RedisServer): Promise<string[]> {
  return ((await server.call('KEYS', '*')) as string[]).sort();
}

describe('a Redlock of five node-redis nodes', () => {
  it.each([1, 2])('acquires with %i of five servers stopped', async (stopped) => {
    await Promise.all(servers.slice(0, stopped).map((server) => server.kill()));

    const lock = await redlock.acquire('faults:minority', 10_000);

    // Redlock resolves at quorum; a slower server may still be setting its key.
    const values = await Promise.all(
      servers.slice(stopped).map((server) => server.command('GET', 'faults:minority')),
    );
    expect(values.filter((value) => value === lock.value).length).toBeGreaterThanOrEqual(3);
    const report = await lock.release();
    expect(report.releasedNodes).toBeGreaterThanOrEqual(3);
    for (const server of servers.slice(stopped)) expect(await keysOn(server)).toEqual([]);
  });

  it('fails with three of five servers stopped, naming them, after retryCount + 1 attempts', async () => {
    await Promise.all(servers.slice(0, 3).map((server) => server.kill()));

    const error = await redlock
      .acquire('faults:majority', 10_000)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(LockAcquireError);
    const failure = error as LockAcquireError;
    expect(failure.code).toBe('ACQUIRE_FAILED');
    expect(failure.attempts).toHaveLength(RETRY_COUNT + 1);
    for (const node of nodes.slice(0, 3)) expect(failure.message).toContain(node.name);
    for (const attempt of failure.attempts) {
      const statuses = attempt.outcomes.map((outcome) => outcome.status);
      expect(
        statuses.slice(0, 3).every((status) => status === 'error' || status === 'timeout'),
      ).toBe(true);
      // The stopped servers may fail first and decide the round before the others answer.
      for (const status of statuses.slice(3)) expect(['acquired', 'pending']).toContain(status);
    }
    // Every failed attempt was released on the servers that said yes. Redlock
    // does not wait for the last release when it gives up, but has sent it:
    // a command through the same client runs after it.
    await Promise.all(clients.slice(3).map((client) => client.ping()));
    for (const server of servers.slice(3)) expect(await keysOn(server)).toEqual([]);
  });

  it('does not wait beyond nodeTimeoutMs for a paused server', async () => {
    // Two servers are held by another owner for a moment, so the first
    // attempt needs the paused server's vote and has to give up on it.
    for (const server of servers.slice(1, 3)) {
      await server.command('SET', 'faults:paused', 'other-owner', 'PX', '300');
    }
    servers[0]!.pause();

    const lock = await redlock.acquire('faults:paused', 10_000, {
      retryCount: 20,
      retryDelay: 100,
    });

    const [first] = lock.attempts;
    expect(first?.outcomes.slice(0, 3).map((outcome) => outcome.status)).toEqual([
      'timeout',
      'held',
      'held',
    ]);
    expect(lock.state).toBe('held');
    await lock.release();

    servers[0]!.resume();
    // The paused server runs the commands it was sent, in order: every
    // acquire is followed by its release, so nothing is left behind.
    await clients[0]!.ping();
    for (const server of servers) expect(await keysOn(server)).toEqual([]);
  });

  it('leaves only the other owner’s keys behind after losing to it', async () => {
    for (const server of servers.slice(0, 3)) {
      await server.command('SET', 'faults:contended', 'other-owner', 'PX', '60000');
    }

    expect(await redlock.tryAcquire('faults:contended', 10_000)).toBeNull();
    // The release of the failed attempt was sent before tryAcquire resolved.
    await Promise.all(clients.map((client) => client.ping()));

    for (const server of servers.slice(0, 3)) {
      expect(await server.command('GET', 'faults:contended')).toBe('other-owner');
    }
    for (const server of servers.slice(3)) expect(await keysOn(server)).toEqual([]);
  });
});
