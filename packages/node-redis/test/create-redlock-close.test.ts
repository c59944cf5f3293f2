import { InvalidArgumentError } from '@redlock/core';
import { type FaultProxy, type RedisServer, startFaultProxy } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedlock, DEFAULT_CLOSE_TIMEOUT_MS, waitUntilReady } from '../src/index.js';

const { servers } = useRedisServers(3);

// Far above DEFAULT_CLOSE_TIMEOUT_MS (1 s): a close() that hangs fails here
// instead of after the project's 30 s.
const HANG_LIMIT_MS = 10_000;

let proxy: FaultProxy | undefined;

afterEach(async () => {
  for (const server of servers) if (server.isPaused) server.resume();
  await proxy?.close();
  proxy = undefined;
  await Promise.all(servers.map((server) => server.command('FLUSHALL')));
});

/** Timers and sockets of this process, to check that close() leaves none of its own behind. */
function openHandles(): { timers: number; sockets: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    timers: resources.filter((resource) => resource === 'Timeout').length,
    sockets: resources.filter((resource) => resource === 'TCPSocketWrap').length,
  };
}

async function clientNames(server: RedisServer): Promise<string[]> {
  const list = await server.command('CLIENT', 'LIST');
  return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1]!);
}

describe('createRedlock(...).close() (node-redis)', () => {
  it(
    'finishes while a server is frozen (SIGSTOP), leaving no timer or socket behind',
    async () => {
      const before = openHandles();
      const redlock = createRedlock(
        servers.map((server) => server.url),
        { nodeTimeoutMs: 50, clientOptions: { name: 'redlock-frozen' } },
      );
      // Every client connected, so each one has to be closed gracefully.
      await waitUntilReady(redlock);
      const lock = await redlock.acquire('close:frozen', 10_000);
      // The node's own pub/sub connection must be dropped as well.
      await redlock.nodes[0]!.watch?.(['close:frozen'], () => undefined);
      servers[0]!.pause();
      await lock.release();

      await redlock.close();

      expect(openHandles().timers).toBeLessThanOrEqual(before.timers);
      expect(openHandles().sockets).toBeLessThanOrEqual(before.sockets);
      for (const server of servers.slice(1)) {
        expect(await clientNames(server)).not.toContain('redlock-frozen');
      }
    },
    HANG_LIMIT_MS,
  );

  it(
    'finishes while a server is black-holed',
    async () => {
      proxy = await startFaultProxy(servers[0]!);
      const redlock = createRedlock([proxy.url, ...servers.slice(1).map((server) => server.url)], {
        nodeTimeoutMs: 50,
        clientOptions: { name: 'redlock-black-holed' },
      });
      await waitUntilReady(redlock);
      const lock = await redlock.acquire('close:black-holed', 10_000);
      proxy.blackhole(true);
      await lock.release();

      await redlock.close();

      // (The proxy closes its side to servers[0] on its own time.)
      for (const server of servers.slice(1)) {
        expect(await clientNames(server)).not.toContain('redlock-black-holed');
      }
    },
    HANG_LIMIT_MS,
  );

  it('quits gracefully within closeTimeoutMs when every server answers', async () => {
    const redlock = createRedlock(
      servers.map((server) => server.url),
      { closeTimeoutMs: 60_000, clientOptions: { name: 'redlock-graceful' } },
    );
    // Connected everywhere: a client still connecting is dropped at once.
    await waitUntilReady(redlock);
    const lock = await redlock.acquire('close:graceful', 10_000);
    // Sent before close() is called, answered before it closes: they still land.
    const released = Promise.all(
      redlock.nodes.map((node) => node.release(['close:graceful'], lock.value)),
    );

    await redlock.close();

    expect(await released).toEqual([1, 1, 1]);
    for (const server of servers) {
      expect(await clientNames(server)).not.toContain('redlock-graceful');
      expect(await server.call('KEYS', '*')).toEqual([]);
    }
  });

  it(`waits ${DEFAULT_CLOSE_TIMEOUT_MS} ms by default and refuses a closeTimeoutMs that is not a finite number >= 0`, () => {
    expect(DEFAULT_CLOSE_TIMEOUT_MS).toBe(1000);
    for (const closeTimeoutMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5' as never]) {
      expect(() => createRedlock(servers[0]!.url, { closeTimeoutMs })).toThrow(
        InvalidArgumentError,
      );
    }
    expect(() => createRedlock(servers[0]!.url, { closeTimeoutMs: -1 })).toThrow(
      'closeTimeoutMs must be a finite number of milliseconds >= 0, got -1',
    );
  });
});
