import { InvalidArgumentError } from '@redlock/core';
import { acquireScript, CommandTimeoutError, releaseChannel } from '@redlock/redis-scripts';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IoredisLockNode } from '../src/index.js';

const { servers } = useRedisServers(2);

let client: Redis;
let node: IoredisLockNode;

beforeAll(() => {
  client = new Redis(servers[0]!.url);
  node = new IoredisLockNode(client);
});

afterEach(async () => {
  await servers[0]!.command('FLUSHALL');
});

afterAll(async () => {
  await node.close();
  client.disconnect();
});

/** Resolves with the first value passed to the returned listener. */
function nextRelease(): {
  listener: (value?: string) => void;
  released: Promise<string | undefined>;
} {
  let listener!: (value?: string) => void;
  const released = new Promise<string | undefined>((resolve) => {
    listener = resolve;
  });
  return { listener, released };
}

describe('IoredisLockNode', () => {
  it('is named after the server address without credentials', () => {
    const secretClient = new Redis({
      host: '10.1.2.3',
      port: 6380,
      db: 2,
      username: 'app',
      password: 'hunter2',
      lazyConnect: true,
    });
    const named = new IoredisLockNode(secretClient);
    expect(named.name).toBe('redis://10.1.2.3:6380/2');
    const fromUrl = new Redis('rediss://app:hunter2@cache.internal:6390/1', { lazyConnect: true });
    expect(new IoredisLockNode(fromUrl).name).toBe('rediss://cache.internal:6390/1');
    const sentinel = new Redis({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
      ],
      name: 'locks',
      sentinelPassword: 'hunter2',
      lazyConnect: true,
    });
    expect(new IoredisLockNode(sentinel).name).toBe(
      'redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/locks/0',
    );
  });

  it('shows its key prefix in its name, so nodes sharing a server stay distinct', () => {
    const prefixed = new IoredisLockNode(client, { keyPrefix: 'tenant-a:' });
    expect(prefixed.name).toBe(`redis://127.0.0.1:${servers[0]!.port}/0 (keyPrefix "tenant-a:")`);
  });

  it('falls back to EVAL after SCRIPT FLUSH and uses EVALSHA again afterwards', async () => {
    await node.acquire(['flush:a'], 'owner', 10_000);
    await servers[0]!.command('SCRIPT', 'FLUSH');
    expect(await servers[0]!.command('SCRIPT', 'EXISTS', acquireScript.sha1)).toBe('0');
    await servers[0]!.command('CONFIG', 'RESETSTAT');

    expect(await node.acquire(['flush:b'], 'owner', 10_000)).toEqual({ acquired: true });
    expect(await node.acquire(['flush:c'], 'owner', 10_000)).toEqual({ acquired: true });

    const stats = await servers[0]!.command('INFO', 'commandstats');
    expect(stats).toMatch(/cmdstat_eval:calls=1,/);
    expect(stats).toMatch(/cmdstat_evalsha:calls=2,/);
    expect(await servers[0]!.command('SCRIPT', 'EXISTS', acquireScript.sha1)).toBe('1');
  });

  it('prefixes keys with its keyPrefix after the client keyPrefix', async () => {
    const prefixedClient = new Redis(servers[0]!.url, { keyPrefix: 'app:' });
    try {
      const prefixed = new IoredisLockNode(prefixedClient, { keyPrefix: 'locks:' });
      await prefixed.acquire(['orders:42'], 'owner', 10_000);
      expect(await servers[0]!.command('GET', 'app:locks:orders:42')).toBe('owner');
      expect(await prefixed.inspect(['orders:42'])).toEqual([
        { value: 'owner', pttl: expect.any(Number) },
      ]);
    } finally {
      prefixedClient.disconnect();
    }
  });

  it('rejects a key of another Redis type instead of reporting it as held', async () => {
    await servers[0]!.command('LPUSH', 'a-list', 'x');
    await expect(node.acquire(['a-list'], 'owner', 10_000)).rejects.toThrow(/WRONGTYPE/);
  });

  describe('bad arguments', () => {
    // A lazy client that has never connected: any command would make it connect.
    const idle = new Redis({ port: 1, lazyConnect: true });
    const idleNode = new IoredisLockNode(idle);

    it.each([
      ['no keys', () => idleNode.acquire([], 'v', 1000)],
      ['a non-string key', () => idleNode.acquire([42 as unknown as string], 'v', 1000)],
      ['an empty value', () => idleNode.extend(['k'], '', 1000)],
      ['a zero TTL', () => idleNode.acquire(['k'], 'v', 0)],
      ['a fractional TTL', () => idleNode.extend(['k'], 'v', 1.5)],
      ['a value that is not a string', () => idleNode.release(['k'], 7 as unknown as string)],
      ['a listener that is not a function', () => idleNode.watch(['k'], 'x' as never)],
    ])(
      'rejects %s with InvalidArgumentError before contacting the server',
      async (_label, call) => {
        await expect(call()).rejects.toBeInstanceOf(InvalidArgumentError);
        expect(idle.status).toBe('wait');
      },
    );

    it('rejects options it cannot honour', () => {
      expect(() => new IoredisLockNode(idle, { commandTimeoutMs: 0 })).toThrow(
        InvalidArgumentError,
      );
      expect(() => new IoredisLockNode(idle, { commandTimeoutMs: Number.NaN })).toThrow(
        InvalidArgumentError,
      );
      expect(() => new IoredisLockNode({} as Redis)).toThrow(/ioredis Redis or Cluster/);
    });
  });

  describe('on a server that does not answer', () => {
    it('rejects with the signal reason as soon as the signal aborts', async () => {
      const server = servers[1]!;
      const stalled = new Redis(server.url);
      await stalled.ping();
      server.pause();
      try {
        const controller = new AbortController();
        const pending = new IoredisLockNode(stalled).acquire(['k'], 'v', 10_000, controller.signal);
        const reason = new Error('caller gave up');
        controller.abort(reason);
        await expect(pending).rejects.toBe(reason);
      } finally {
        server.resume();
        stalled.disconnect();
      }
    });

    it('rejects with a timeout error after commandTimeoutMs', async () => {
      const server = servers[1]!;
      const stalled = new Redis(server.url);
      await stalled.ping();
      server.pause();
      try {
        const timed = new IoredisLockNode(stalled, { commandTimeoutMs: 50 });
        const error = await timed.extend(['k'], 'v', 10_000).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(CommandTimeoutError);
        expect((error as Error).message).toBe(`extend on ${timed.name} timed out after 50 ms`);
      } finally {
        server.resume();
        stalled.disconnect();
      }
    });

    it('rejects on abort while the client is reconnecting with commands in its offline queue', async () => {
      const server = servers[1]!;
      const reconnecting = new Redis(server.url);
      reconnecting.on('error', () => undefined);
      await reconnecting.ping();
      await server.kill();
      try {
        const controller = new AbortController();
        const pending = new IoredisLockNode(reconnecting).release(['k'], 'v', controller.signal);
        controller.abort();
        await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
      } finally {
        reconnecting.disconnect();
        await server.restart();
      }
    });

    it('rejects at once when the signal is already aborted', async () => {
      const idle = new Redis({ port: 1, lazyConnect: true });
      const reason = new Error('too late');
      await expect(
        new IoredisLockNode(idle).acquire(['k'], 'v', 1000, AbortSignal.abort(reason)),
      ).rejects.toBe(reason);
      expect(idle.status).toBe('wait');
    });
  });

  describe('watch', () => {
    it('passes the released value to the listener', async () => {
      const { listener, released } = nextRelease();
      await node.acquire(['watched'], 'owner-1', 10_000);
      const stop = await node.watch(['watched'], listener);
      try {
        await node.release(['watched'], 'owner-1');
        expect(await released).toBe('owner-1');
      } finally {
        await stop();
      }
    });

    it('hears releases of keys under the client keyPrefix', async () => {
      const prefixedClient = new Redis(servers[0]!.url, { keyPrefix: 'app:' });
      const prefixed = new IoredisLockNode(prefixedClient);
      try {
        const { listener, released } = nextRelease();
        await prefixed.acquire(['k'], 'owner', 10_000);
        const stop = await prefixed.watch(['k'], listener);
        await prefixed.release(['k'], 'owner');
        expect(await released).toBe('owner');
        await stop();
      } finally {
        await prefixed.close();
        prefixedClient.disconnect();
      }
    });

    it('keeps one subscription per channel and drops it with the last listener', async () => {
      const channel = releaseChannel('shared');
      const numsub = async () => (await servers[0]!.call('PUBSUB', 'NUMSUB', channel)) as unknown[];
      const first = await node.watch(['shared'], () => undefined);
      const second = nextRelease();
      const stopSecond = await node.watch(['shared'], second.listener);
      expect(await numsub()).toEqual([channel, 1]);

      await first();
      await node.acquire(['shared'], 'owner', 10_000);
      await node.release(['shared'], 'owner');
      expect(await second.released).toBe('owner');

      await stopSecond();
      expect(await numsub()).toEqual([channel, 0]);
    });

    it('gives up a subscription that cannot be made, and closes without waiting for it', async () => {
      const server = servers[1]!;
      const reconnecting = new Redis(server.url);
      reconnecting.on('error', () => undefined);
      await reconnecting.ping();
      await server.kill();
      try {
        const timed = new IoredisLockNode(reconnecting, { commandTimeoutMs: 100 });
        await expect(timed.watch(['k'], () => undefined)).rejects.toThrow(
          `watch on ${timed.name} timed out after 100 ms`,
        );
        await timed.close();
      } finally {
        reconnecting.disconnect();
        await server.restart();
      }
    });

    it('opens a new subscriber for a watch after close()', async () => {
      const reopened = new IoredisLockNode(client);
      await reopened.watch(['first'], () => undefined);
      await reopened.close();
      const { listener, released } = nextRelease();
      const stop = await reopened.watch(['second'], listener);
      await node.acquire(['second'], 'owner', 10_000);
      await node.release(['second'], 'owner');
      expect(await released).toBe('owner');
      await stop();
      await reopened.close();
    });

    it('closes only its own subscriber connection on close()', async () => {
      const own = new IoredisLockNode(client);
      await own.watch(['closing'], () => undefined);
      expect(await servers[0]!.call('PUBSUB', 'NUMSUB', releaseChannel('closing'))).toEqual([
        releaseChannel('closing'),
        1,
      ]);
      await own.close();
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
    });
  });
});
