import { InvalidArgumentError, type LockNode } from '@redlock/core';
import { preloadedScripts } from '@redlock/redis-scripts';
import { getFreePort, type RedisServer } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { createClient } from 'redis';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createRedlock,
  NodeRedisLockNode,
  NodesNotReadyError,
  waitUntilReady,
} from '../src/index.js';

const { servers } = useRedisServers(3);

beforeEach(async () => {
  // Every test starts from servers that know no script and counted nothing.
  await Promise.all(
    servers.map(async (server) => {
      await server.command('SCRIPT', 'FLUSH');
      await server.command('CONFIG', 'RESETSTAT');
    }),
  );
});

/** For each preloaded script, whether `server` has it cached. */
async function cachedScripts(server: RedisServer): Promise<unknown> {
  return server.call('SCRIPT', 'EXISTS', ...preloadedScripts.map((script) => script.sha1));
}

/** How often `server` ran `command` (e.g. `eval`, `script|load`) since the last `CONFIG RESETSTAT`. */
async function callsOf(server: RedisServer, command: string): Promise<number> {
  const stats = await server.command('INFO', 'commandstats');
  return Number(
    stats.match(new RegExp(`cmdstat_${command.replace('|', '\\|')}:calls=(\\d+)`))?.[1] ?? 0,
  );
}

/** How often `server` replied with an error starting with `prefix` (e.g. `NOSCRIPT`). */
async function errorsOf(server: RedisServer, prefix: string): Promise<number> {
  const stats = await server.command('INFO', 'errorstats');
  return Number(stats.match(new RegExp(`errorstat_${prefix}:count=(\\d+)`))?.[1] ?? 0);
}

describe('cold start (node-redis)', () => {
  it('loads the lock scripts once a created client connects, and waitUntilReady waits for that', async () => {
    const redlock = createRedlock(servers.map((server) => server.url));
    try {
      await waitUntilReady(redlock);

      for (const server of servers) expect(await cachedScripts(server)).toEqual([1, 1, 1]);
    } finally {
      await redlock.close();
    }
  });

  it('takes the first lock after waitUntilReady in one EVALSHA per node, within a 50 ms node timeout', async () => {
    const redlock = createRedlock(
      servers.map((server) => server.url),
      { nodeTimeoutMs: 50, retryCount: 0 },
    );
    try {
      await waitUntilReady(redlock);

      const lock = await redlock.acquire('cold:first', 10_000);
      await lock.release();

      for (const server of servers) {
        expect(await callsOf(server, 'evalsha')).toBeGreaterThanOrEqual(1);
        expect(await callsOf(server, 'eval')).toBe(0);
        expect(await errorsOf(server, 'NOSCRIPT')).toBe(0);
      }
    } finally {
      await redlock.close();
    }
  });

  it('sends a lock taken before the connection is ready as EVAL, never EVALSHA then NOSCRIPT', async () => {
    // A generous node timeout: this test is about what is sent, not how fast.
    const redlock = createRedlock(
      servers.map((server) => server.url),
      { nodeTimeoutMs: 5000, retryCount: 0 },
    );
    try {
      const lock = await redlock.acquire('cold:unready', 10_000);
      await lock.release();
      await waitUntilReady(redlock);

      for (const server of servers) expect(await errorsOf(server, 'NOSCRIPT')).toBe(0);
    } finally {
      await redlock.close();
    }
  });

  it('loads the scripts once per connection, however many wait for them', async () => {
    const redlock = createRedlock(servers.map((server) => server.url));
    try {
      await Promise.all([waitUntilReady(redlock), waitUntilReady(redlock.nodes)]);
      await waitUntilReady(redlock);

      for (const server of servers) {
        expect(await callsOf(server, 'script|load')).toBe(preloadedScripts.length);
      }
    } finally {
      await redlock.close();
    }
  });

  it('loads the scripts on a client you pass in, and again after its server restarted', async () => {
    const server = servers[0]!;
    const client = createClient({ url: server.url });
    client.on('error', () => undefined);
    await client.connect();
    const node = new NodeRedisLockNode(client);
    try {
      await node.ready();
      expect(await cachedScripts(server)).toEqual([1, 1, 1]);

      // Not events.once(): it rejects on the 'error' the lost connection emits first.
      const reconnected = new Promise((resolve) => client.once('ready', resolve));
      await server.restart();
      await reconnected;
      await node.ready();

      expect(await cachedScripts(server)).toEqual([1, 1, 1]);
      expect(await node.acquire(['cold:restarted'], 'me', 10_000)).toEqual({ acquired: true });
      expect(await errorsOf(server, 'NOSCRIPT')).toBe(0);
    } finally {
      await node.close();
      client.destroy();
    }
  });

  it('stops listening to a client you pass in once the node is closed', async () => {
    const client = createClient({ url: servers[0]!.url });
    const listeners = client.listenerCount('ready');
    const node = new NodeRedisLockNode(client);
    expect(client.listenerCount('ready')).toBe(listeners + 1);

    await node.close();

    expect(client.listenerCount('ready')).toBe(listeners);
    expect(client.listenerCount('reconnecting')).toBe(0);
    expect(client.listenerCount('end')).toBe(0);
  });

  it('names the nodes still not ready when the signal aborts', async () => {
    const unreachable = `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
    const redlock = createRedlock([unreachable, ...servers.map((server) => server.url)]);
    try {
      await Promise.all(redlock.nodes.slice(1).map((node) => (node as NodeRedisLockNode).ready()));

      // The other nodes are ready already, so only the unreachable one can still be waited for.
      const waiting = waitUntilReady(redlock, { signal: AbortSignal.timeout(100) });

      const error = await waiting.catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(NodesNotReadyError);
      expect((error as NodesNotReadyError).nodeNames).toEqual([`${unreachable}/0`]);
      expect((error as Error).cause).toMatchObject({ name: 'TimeoutError' });
      expect((error as Error).message).toBe(`1 of 4 nodes not ready: ${unreachable}/0`);
      const reason = new Error('gave up');
      await expect(
        (redlock.nodes[0] as NodeRedisLockNode).ready(AbortSignal.abort(reason)),
      ).rejects.toBe(reason);
    } finally {
      await redlock.close();
    }
  });

  it('refuses anything but a Redlock or an array of nodes', () => {
    expect(() => waitUntilReady(undefined as never)).toThrow(InvalidArgumentError);
    expect(() => waitUntilReady({} as never)).toThrow(
      'waitUntilReady needs a Redlock or an array of lock nodes',
    );
    expect(() => waitUntilReady([] as LockNode[], { signal: 'soon' as never })).toThrow(
      'signal must be an AbortSignal',
    );
  });
});
