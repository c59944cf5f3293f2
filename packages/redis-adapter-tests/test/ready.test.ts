import { preloadedScripts } from '@redlock/redis-scripts';
import { getFreePort, type RedisServer } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { redisClients } from '../src/clients.js';

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
function cachedScripts(server: RedisServer): Promise<unknown> {
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

const all = preloadedScripts.map(() => 1);

describe.each(redisClients)('cold start ($name)', (client) => {
  const urls = () => servers.map((server) => server.url);

  it('loads the lock scripts once a created client connects, and waitUntilReady waits for that', async () => {
    const redlock = client.createRedlock(urls());
    try {
      await client.waitUntilReady(redlock);
      for (const server of servers) expect(await cachedScripts(server)).toEqual(all);
    } finally {
      await redlock.close();
    }
  });

  // What is sent is the subject, not how fast: a short node timeout would only
  // measure the load of this machine.
  it('takes the first lock after waitUntilReady in one EVALSHA per node', async () => {
    const redlock = client.createRedlock(urls(), { nodeTimeoutMs: 2000, retryCount: 0 });
    try {
      await client.waitUntilReady(redlock);
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
    const redlock = client.createRedlock(urls(), { nodeTimeoutMs: 5000, retryCount: 0 });
    try {
      const lock = await redlock.acquire('cold:unready', 10_000);
      await lock.release();
      await client.waitUntilReady(redlock);
      for (const server of servers) expect(await errorsOf(server, 'NOSCRIPT')).toBe(0);
    } finally {
      await redlock.close();
    }
  });

  it('loads the scripts once per connection, however many wait for them', async () => {
    const redlock = client.createRedlock(urls());
    try {
      await Promise.all([client.waitUntilReady(redlock), client.waitUntilReady(redlock.nodes)]);
      await client.waitUntilReady(redlock);
      for (const server of servers)
        expect(await callsOf(server, 'script|load')).toBe(preloadedScripts.length);
    } finally {
      await redlock.close();
    }
  });

  it('loads the scripts on a client you pass in, and again after its server restarted', async () => {
    const server = servers[0]!;
    const handle = await client.connect({ host: server.host, port: server.port });
    const node = client.createNode(handle.client);
    try {
      await node.ready();
      expect(await cachedScripts(server)).toEqual(all);

      await server.restart();
      await node.ready();

      if (client.reportsConnectionState === false) {
        // GLIDE reconnects without telling anyone, so the node cannot know
        // that the new server's cache is empty: its first call after the
        // restart gets NOSCRIPT once and is resent as EVAL, which succeeds.
        expect(await node.acquire(['cold:restarted'], 'me', 10_000)).toEqual({ acquired: true });
        expect(await errorsOf(server, 'NOSCRIPT')).toBe(1);
        return;
      }
      expect(await cachedScripts(server)).toEqual(all);
      expect(await node.acquire(['cold:restarted'], 'me', 10_000)).toEqual({ acquired: true });
      expect(await errorsOf(server, 'NOSCRIPT')).toBe(0);
    } finally {
      await node.close();
      await handle.close();
    }
  });

  it('reports the new server run after its server restarted, on the same client', async () => {
    const server = servers[0]!;
    const handle = await client.connect({ host: server.host, port: server.port });
    const node = client.createNode(handle.client);
    try {
      const before = await node.serverRun!();
      await server.restart();
      await node.ready();
      // GLIDE's node is "ready" at once: its first call waits for the reconnection.
      expect(await node.acquire(['cold:run'], 'me', 10_000)).toEqual({ acquired: true });
      const after = await node.serverRun!();
      expect(after.runId).not.toBe(before.runId);
      const info = await server.command('INFO', 'server');
      expect(info).toContain(`run_id:${after.runId}`);
    } finally {
      await node.close();
      await handle.close();
    }
  });

  it('names the nodes still not ready when the signal aborts, as a RedlockError with a code', async () => {
    const unreachable = `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
    const redlock = client.createRedlock([unreachable, ...urls()]);
    try {
      await client.waitUntilReady(redlock.nodes.slice(1));
      const error = await client
        .waitUntilReady(redlock, { signal: AbortSignal.timeout(100) })
        .catch((caught: unknown) => caught);

      expect(error).toMatchObject({
        name: 'NodesNotReadyError',
        code: 'ABORTED',
        nodeNames: [`${unreachable}/0`],
        message: `1 of 4 nodes not ready: ${unreachable}/0`,
        cause: expect.objectContaining({ name: 'TimeoutError' }),
      });
    } finally {
      await redlock.close();
    }
  });
});
