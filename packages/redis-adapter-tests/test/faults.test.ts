import { setTimeout as sleep } from 'node:timers/promises';
import { LockAcquireError, Redlock } from '@redlock/core';
import {
  type FaultProxy,
  getFreePort,
  type RedisServer,
  startFaultProxy,
} from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientHandle, redisClients } from '../src/clients.js';

const { servers } = useRedisServers(5);
const RETRY_COUNT = 2;

async function keysOn(server: RedisServer): Promise<string[]> {
  return ((await server.call('KEYS', '*')) as string[]).sort();
}

/** Until a call on every node got its reply; GLIDE reconnects on its own backoff. */
async function untilEveryNodeAnswers(redlock: Redlock): Promise<void> {
  const deadline = performance.now() + 15_000;
  await Promise.all(
    redlock.nodes.map(async (node) => {
      for (;;) {
        try {
          await node.inspect!(['faults:reconnected']);
          return;
        } catch (failure) {
          if (performance.now() >= deadline) throw failure;
          await sleep(50);
        }
      }
    }),
  );
}

describe.each(redisClients)('a Redlock of five $name nodes', (client) => {
  const handles: ClientHandle[] = [];
  let redlock: Redlock;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    handles.push(
      ...(await Promise.all(
        servers.map((server) => client.connect({ host: server.host, port: server.port })),
      )),
    );
    redlock = new Redlock(
      handles.map((handle) => client.createNode(handle.client)),
      { nodeTimeoutMs: 200, retryCount: RETRY_COUNT, retryDelay: 50, retryJitter: 10 },
    );
  });

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await Promise.all(
      servers.map(async (server) => {
        if (server.isPaused) server.resume();
        if (!server.isRunning) await server.restart();
      }),
    );
    // Every node ready again (reconnected), then nothing left behind.
    await client.waitUntilReady(redlock);
    // A client that tells nothing about its connection (GLIDE) is "ready" while
    // it still waits to reconnect: wait until every node answers again.
    if (client.reportsConnectionState === false) await untilEveryNodeAnswers(redlock);
    await Promise.all(servers.map((server) => server.command('FLUSHALL')));
  });

  afterAll(async () => {
    await redlock.close();
    await Promise.all(handles.map((handle) => handle.close()));
  });

  it.each([1, 2])('acquires with %i of five servers killed', async (killed) => {
    await Promise.all(servers.slice(0, killed).map((server) => server.kill()));

    const lock = await redlock.acquire('faults:minority', 10_000);

    const values = await Promise.all(
      servers.slice(killed).map((server) => server.command('GET', 'faults:minority')),
    );
    expect(values.filter((value) => value === lock.value).length).toBeGreaterThanOrEqual(3);
    const report = await lock.release();
    expect(report.releasedNodes).toBeGreaterThanOrEqual(3);
  });

  it('fails with three of five servers stopped, naming them with the cause, after retryCount + 1 attempts', async () => {
    await Promise.all(servers.slice(0, 3).map((server) => server.stop()));

    const error = await redlock
      .acquire('faults:majority', 10_000)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(LockAcquireError);
    const failure = error as LockAcquireError;
    expect(failure.code).toBe('ACQUIRE_FAILED');
    expect(failure.attempts).toHaveLength(RETRY_COUNT + 1);
    for (const node of redlock.nodes.slice(0, 3)) expect(failure.message).toContain(node.name);
    if (client.reportsConnectionState !== false) {
      // Known down from the first failed reconnection: failed at once, with the cause.
      const last = failure.attempts.at(-1)!;
      for (const outcome of last.outcomes.slice(0, 3)) expect(outcome.status).toBe('error');
      expect(failure.message).toMatch(/ECONNREFUSED/);
    } else {
      // Never told that its connection is gone (GLIDE): each call on a stopped
      // server waits out nodeTimeoutMs, and the node is reported as not answering.
      const last = failure.attempts.at(-1)!;
      for (const outcome of last.outcomes.slice(0, 3)) expect(outcome.status).toBe('timeout');
      expect(failure.message).toMatch(/did not answer/);
    }
    // Every failed attempt was released on the servers that said yes.
    await Promise.all(servers.slice(3).map((server) => server.command('PING')));
    await redlock.nodes[3]!.release(['faults:ping'], 'x');
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

    expect(lock.attempts[0]?.outcomes.slice(0, 3).map((outcome) => outcome.status)).toEqual([
      'timeout',
      'held',
      'held',
    ]);
    await lock.release();
    servers[0]!.resume();
  });

  it('acquires through a black-holed minority and leaves no key behind', async () => {
    proxy = await startFaultProxy(servers[0]!);
    const proxied = await client.connect({ host: proxy.host, port: proxy.port });
    handles.push(proxied);
    // The black-holed node times out; the other four must answer in time on a
    // loaded 2-core machine (100 ms failed once there), hence 500 ms.
    const viaProxy = new Redlock([client.createNode(proxied.client), ...redlock.nodes.slice(1)], {
      nodeTimeoutMs: 500,
      retryCount: 0,
    });
    proxy.blackhole(true);

    const lock = await viaProxy.acquire('faults:black-holed', 10_000);

    expect(lock.attempts).toEqual([]);
    await lock.release();
    for (const server of servers.slice(1)) expect(await keysOn(server)).toEqual([]);
    proxy.blackhole(false, { reset: true });
  });

  it('leaves only the other owner’s keys behind after losing to it', async () => {
    for (const server of servers.slice(0, 3)) {
      await server.command('SET', 'faults:contended', 'other-owner', 'PX', '60000');
    }

    expect(await redlock.tryAcquire('faults:contended', 10_000)).toBeNull();
    // The release of the failed attempt was sent before tryAcquire resolved;
    // a later call on the same connections runs after it.
    await Promise.all(redlock.nodes.map((node) => node.release(['faults:after'], 'x')));

    for (const server of servers.slice(0, 3)) {
      expect(await server.command('GET', 'faults:contended')).toBe('other-owner');
    }
    for (const server of servers.slice(3)) expect(await keysOn(server)).toEqual([]);
  });
});

describe.each(redisClients)('createRedlock with nothing listening ($name)', (client) => {
  it('fails on the first attempt with the real cause, not a timeout', async () => {
    const url = `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
    const redlock = client.createRedlock([url], { retryCount: 0, nodeTimeoutMs: 10_000 });
    try {
      const error = await redlock
        .acquire('faults:refused', 10_000)
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(LockAcquireError);
      // Not "did not answer within 10000 ms": the refusal decided it.
      expect((error as Error).message).toBe(
        `could not lock "faults:refused": 1 node unreachable (${url}/0: ECONNREFUSED); 1 attempt`,
      );
    } finally {
      await redlock.close();
    }
  });
});
