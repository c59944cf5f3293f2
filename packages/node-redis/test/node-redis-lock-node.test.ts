import { InvalidArgumentError } from '@redlock/core';
import { acquireScript, CommandTimeoutError, releaseChannel } from '@redlock/redis-scripts';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { createClient, RESP_TYPES, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NodeRedisLockNode } from '../src/index.js';

const { servers } = useRedisServers(2);

let client: RedisClientType;
let node: NodeRedisLockNode;

/** A connected client on `url` whose errors (while a server is down) are expected. */
async function connect(url: string): Promise<RedisClientType> {
  const connected = createClient({ url }) as RedisClientType;
  connected.on('error', () => undefined);
  await connected.connect();
  return connected;
}

beforeAll(async () => {
  client = await connect(servers[0]!.url);
  node = new NodeRedisLockNode(client);
});

afterEach(async () => {
  await servers[0]!.command('FLUSHALL');
});

afterAll(async () => {
  await node.close();
  client.destroy();
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

describe('NodeRedisLockNode', () => {
  it('is named after the server address without credentials', () => {
    const fromUrl = createClient({ url: 'rediss://app:hunter2@cache.internal:6390/1' });
    expect(new NodeRedisLockNode(fromUrl).name).toBe('rediss://cache.internal:6390/1');
    const fromSocket = createClient({
      socket: { host: '10.1.2.3', port: 6380 },
      database: 2,
      password: 'hunter2',
    });
    expect(new NodeRedisLockNode(fromSocket).name).toBe('redis://10.1.2.3:6380/2');
  });

  it('shows its key prefix in its name, so nodes sharing a server stay distinct', () => {
    const prefixed = new NodeRedisLockNode(client, { keyPrefix: 'tenant-a:' });
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

  it('prefixes keys with its keyPrefix', async () => {
    const prefixed = new NodeRedisLockNode(client, { keyPrefix: 'locks:' });
    await prefixed.acquire(['orders:42'], 'owner', 10_000);
    expect(await servers[0]!.command('GET', 'locks:orders:42')).toBe('owner');
    expect(await prefixed.inspect(['orders:42'])).toEqual([
      { value: 'owner', pttl: expect.any(Number) },
    ]);
  });

  it('decodes replies itself whatever type mapping the client uses', async () => {
    const buffers = client.withTypeMapping({
      [RESP_TYPES.BLOB_STRING]: Buffer,
    }) as unknown as RedisClientType;
    const mapped = new NodeRedisLockNode(buffers);
    await mapped.acquire(['mapped'], 'owner', 10_000);
    expect(await mapped.inspect(['mapped'])).toEqual([
      { value: 'owner', pttl: expect.any(Number) },
    ]);
  });

  it('rejects a key of another Redis type instead of reporting it as held', async () => {
    await servers[0]!.command('LPUSH', 'a-list', 'x');
    await expect(node.acquire(['a-list'], 'owner', 10_000)).rejects.toThrow(/WRONGTYPE/);
  });

  describe('bad arguments', () => {
    // A client that was never connected: any command sent would reject with ClientClosedError.
    const idleNode = new NodeRedisLockNode(createClient({ url: 'redis://127.0.0.1:1' }));

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
      },
    );

    it('rejects options it cannot honour', () => {
      const idle = createClient();
      expect(() => new NodeRedisLockNode(idle, { commandTimeoutMs: -5 })).toThrow(
        InvalidArgumentError,
      );
      expect(() => new NodeRedisLockNode(idle, { keyPrefix: 3 as unknown as string })).toThrow(
        InvalidArgumentError,
      );
      expect(() => new NodeRedisLockNode({} as RedisClientType)).toThrow(
        /node-redis client or cluster/,
      );
    });
  });

  describe('on a server that does not answer', () => {
    it('rejects with the signal reason as soon as the signal aborts', async () => {
      const server = servers[1]!;
      const stalled = await connect(server.url);
      server.pause();
      try {
        const controller = new AbortController();
        const pending = new NodeRedisLockNode(stalled).acquire(
          ['k'],
          'v',
          10_000,
          controller.signal,
        );
        const reason = new Error('caller gave up');
        controller.abort(reason);
        await expect(pending).rejects.toBe(reason);
      } finally {
        server.resume();
        stalled.destroy();
      }
    });

    it('rejects with a timeout error after commandTimeoutMs', async () => {
      const server = servers[1]!;
      const stalled = await connect(server.url);
      server.pause();
      try {
        const timed = new NodeRedisLockNode(stalled, { commandTimeoutMs: 50 });
        const error = await timed.extend(['k'], 'v', 10_000).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(CommandTimeoutError);
        expect((error as Error).message).toBe(`extend on ${timed.name} timed out after 50 ms`);
      } finally {
        server.resume();
        stalled.destroy();
      }
    });

    it('drops a command queued while reconnecting once the call gave up, so it is never sent late', async () => {
      const server = servers[1]!;
      const reconnecting = await connect(server.url);
      await server.kill();
      try {
        const controller = new AbortController();
        const pending = new NodeRedisLockNode(reconnecting).acquire(
          ['late'],
          'v',
          60_000,
          controller.signal,
        );
        controller.abort();
        await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

        await server.restart();
        // Wait for the client to reconnect: a PING through it runs after anything it had queued.
        await reconnecting.ping();
        expect(await server.command('EXISTS', 'late')).toBe('0');
      } finally {
        reconnecting.destroy();
      }
    });

    it('rejects at once when the signal is already aborted', async () => {
      const reason = new Error('too late');
      const idle = new NodeRedisLockNode(createClient({ url: 'redis://127.0.0.1:1' }));
      await expect(idle.acquire(['k'], 'v', 1000, AbortSignal.abort(reason))).rejects.toBe(reason);
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
      const reconnecting = await connect(server.url);
      await server.kill();
      try {
        const timed = new NodeRedisLockNode(reconnecting, { commandTimeoutMs: 100 });
        await expect(timed.watch(['k'], () => undefined)).rejects.toThrow(
          `watch on ${timed.name} timed out after 100 ms`,
        );
        // Resolves although the subscriber is still trying to connect.
        await timed.close();
      } finally {
        reconnecting.destroy();
        await server.restart();
      }
    });

    it('opens a new subscriber for a watch after close()', async () => {
      const reopened = new NodeRedisLockNode(client);
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
      const own = new NodeRedisLockNode(client);
      await own.watch(['closing'], () => undefined);
      expect(await servers[0]!.call('PUBSUB', 'NUMSUB', releaseChannel('closing'))).toEqual([
        releaseChannel('closing'),
        1,
      ]);
      await own.close();
      expect(client.isReady).toBe(true);
      expect(await client.ping()).toBe('PONG');
    });
  });
});
