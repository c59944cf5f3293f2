import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, MAX_TIMER_MS } from '@redlock/core';
import { DEFAULT_CLOSE_TIMEOUT_MS } from '@redlock/redis-scripts';
import {
  type FaultProxy,
  getFreePort,
  type RedisServer,
  startFaultProxy,
} from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { expectAfterClose } from '../src/after-close.js';
import { redisClients } from '../src/clients.js';

const { servers } = useRedisServers(3);

// Far above DEFAULT_CLOSE_TIMEOUT_MS (1 s): a close() that hangs fails here
// instead of after the project's 30 s.
const HANG_LIMIT_MS = 10_000;
/** issue #9: after close(), a script exits by itself within a second. */
const EXIT_WITHIN_MS = 1000;
const fixture = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'fixtures/close-and-exit.ts',
);

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

/** Runs the fixture; resolves with its output and how long it took to exit after printing "closed". */
function runFixture(
  args: string[],
): Promise<{ output: string; exitedAfterCloseMs: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@redlock/source', '--import', 'tsx', fixture, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    let closedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (closedAt === undefined && output.includes('closed\n')) closedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), HANG_LIMIT_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({
        output,
        code,
        exitedAfterCloseMs:
          closedAt === undefined ? Number.POSITIVE_INFINITY : performance.now() - closedAt,
      });
    });
  });
}

describe.each(redisClients)('createRedlock(...).close() ($name)', (client) => {
  const urls = () => servers.map((server) => server.url);

  it(
    'finishes while a server is frozen (SIGSTOP), leaving no timer or socket behind',
    async () => {
      const before = openHandles();
      const redlock = client.createRedlock(urls(), {
        nodeTimeoutMs: 50,
        clientOptions: client.namedClientOptions('redlock-frozen'),
      });
      await client.waitUntilReady(redlock);
      const lock = await redlock.acquire('close:frozen', 10_000);
      // The node's own pub/sub connection must be dropped as well.
      await redlock.nodes[0]!.watch?.(['close:frozen'], () => undefined);
      servers[0]!.pause();
      await lock.release();

      await redlock.close();

      expect(openHandles().timers).toBeLessThanOrEqual(before.timers);
      expect(openHandles().sockets).toBeLessThanOrEqual(before.sockets);
      for (const server of servers.slice(1)) {
        await expectAfterClose(
          client,
          () => clientNames(server),
          (names) => expect(names).not.toContain('redlock-frozen'),
        );
      }
    },
    HANG_LIMIT_MS,
  );

  it(
    'finishes while a server is black-holed',
    async () => {
      proxy = await startFaultProxy(servers[0]!);
      const redlock = client.createRedlock([proxy.url, ...urls().slice(1)], {
        nodeTimeoutMs: 50,
        clientOptions: client.namedClientOptions('redlock-black-holed'),
      });
      await client.waitUntilReady(redlock);
      const lock = await redlock.acquire('close:black-holed', 10_000);
      proxy.blackhole(true);
      await lock.release();

      await redlock.close();

      for (const server of servers.slice(1)) {
        await expectAfterClose(
          client,
          () => clientNames(server),
          (names) => expect(names).not.toContain('redlock-black-holed'),
        );
      }
    },
    HANG_LIMIT_MS,
  );

  it('quits gracefully: calls sent before close() still get their replies', async () => {
    const redlock = client.createRedlock(urls(), {
      closeTimeoutMs: 60_000,
      clientOptions: client.namedClientOptions('redlock-graceful'),
    });
    await client.waitUntilReady(redlock);
    const lock = await redlock.acquire('close:graceful', 10_000);
    const released = Promise.all(
      redlock.nodes.map((node) => node.release(['close:graceful'], lock.value)),
    );

    await redlock.close();

    expect(await released).toEqual([1, 1, 1]);
    for (const server of servers) {
      await expectAfterClose(
        client,
        () => clientNames(server),
        (names) => expect(names).not.toContain('redlock-graceful'),
      );
      expect(await server.call('KEYS', '*')).toEqual([]);
    }
  });

  it('closes every connection when closed right after createRedlock, while still connecting', async () => {
    const redlock = client.createRedlock(urls(), {
      clientOptions: client.namedClientOptions('redlock-at-once'),
    });
    await redlock.close();

    // A connection still being opened is let finish and then closed, never left open.
    await expectAfterClose(
      client,
      () => Promise.all(servers.map((server) => server.command('CLIENT', 'LIST'))),
      (lists) => expect(lists.join('\n')).not.toContain('redlock-at-once'),
    );
  });

  it('stops an acquire in flight: it rejects with "this Redlock was closed", without retrying on', async () => {
    for (const server of servers) await server.command('SET', 'close:held', 'other', 'PX', '60000');
    const redlock = client.createRedlock(urls(), {
      retryCount: 50,
      retryDelay: 20,
      clientOptions: client.namedClientOptions('redlock-in-flight'),
    });
    await client.waitUntilReady(redlock);
    const acquiring = redlock.acquire('close:held', 10_000).catch((error: unknown) => error);

    await redlock.close();

    const error = await acquiring;
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/^this Redlock was closed/);
    for (const server of servers) {
      await expectAfterClose(
        client,
        () => clientNames(server),
        (names) => expect(names).not.toContain('redlock-in-flight'),
      );
      expect(await server.command('GET', 'close:held')).toBe('other');
    }
  });

  it('stops an acquire in flight on servers that are down, with the closed error', async () => {
    const down = `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
    const redlock = client.createRedlock([down], { retryCount: 50, retryDelay: 20 });
    const acquiring = redlock.acquire('close:down', 10_000).catch((error: unknown) => error);

    await redlock.close();

    expect(await acquiring).toMatchObject({
      name: 'InvalidArgumentError',
      code: 'INVALID_ARGUMENT',
    });
  });

  it('says that this Redlock was closed to an acquire after close()', async () => {
    const redlock = client.createRedlock(urls());
    await redlock.close();

    const error = await redlock.acquire('close:after', 1000).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/^this Redlock was closed/);
    const tried = await redlock.tryAcquire('close:after', 1000).catch((caught: unknown) => caught);
    expect(tried).toBeInstanceOf(InvalidArgumentError);
  });

  it(`waits ${DEFAULT_CLOSE_TIMEOUT_MS} ms by default and refuses a closeTimeoutMs no timer can honour`, () => {
    expect(DEFAULT_CLOSE_TIMEOUT_MS).toBe(1000);
    for (const closeTimeoutMs of [
      -1,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      MAX_TIMER_MS + 1,
      '5',
    ]) {
      expect(() =>
        client.createRedlock(urls(), { closeTimeoutMs: closeTimeoutMs as number }),
      ).toThrow(InvalidArgumentError);
    }
  });

  it.each(['after-lock', 'right-after-create', 'in-flight'])(
    `lets a script exit by itself within ${EXIT_WITHIN_MS} ms of close() (%s)`,
    async (scenario) => {
      if (scenario === 'in-flight') {
        for (const server of servers)
          await server.command('SET', 'exit:held', 'other', 'PX', '60000');
      }
      const run = await runFixture([client.name, scenario, ...urls()]);

      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain('closed\n');
      if (scenario === 'in-flight')
        expect(run.output).toContain('acquire: this Redlock was closed');
      expect(run.exitedAfterCloseMs).toBeLessThan(EXIT_WITHIN_MS);
    },
    HANG_LIMIT_MS * 2,
  );
});
