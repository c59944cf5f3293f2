import type { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, MAX_TIMER_MS } from '@redlock/core';
import {
  acquireScript,
  CommandTimeoutError,
  RedisNodeUnavailableError,
  releaseChannel,
} from '@redlock/redis-scripts';
import type { RedisServer } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectAfterClose } from '../src/after-close.js';
import { type ClientHandle, redisClients, supportsClientKeyPrefix } from '../src/clients.js';

const { servers } = useRedisServers(2);

/** Resolves with the first value passed to the returned listener. */
function nextRelease(): { listener: (value?: string) => void; released: Promise<unknown> } {
  let listener!: (value?: string) => void;
  const released = new Promise((resolve) => {
    listener = resolve;
  });
  return { listener, released };
}

/** Polls `check` every 20 ms until it holds, for at most 10 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 10_000;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`still false after 10 s: ${check}`);
    await sleep(20);
  }
}

/** Kills the connections of `server` whose CLIENT LIST line matches `pattern`, if any. */
async function killClients(server: RedisServer, pattern: RegExp): Promise<void> {
  const list = await server.command('CLIENT', 'LIST');
  const ids = list
    .split('\n')
    .filter((line) => pattern.test(line))
    .map((line) => /\bid=(\d+)/.exec(line)![1]!);
  for (const id of ids) await server.command('CLIENT', 'KILL', 'ID', id);
}

/** Kills every pub/sub connection of `server` (a TCP reset, as a network fault gives). */
async function killSubscribers(server: RedisServer): Promise<void> {
  expect(Number(await server.command('CLIENT', 'KILL', 'TYPE', 'pubsub'))).toBeGreaterThan(0);
}

/** Until a connection of `server` is subscribed to `channel` again. */
async function untilSubscribed(server: RedisServer, channel: string): Promise<void> {
  await until(async () => {
    const [, count] = (await server.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    return count > 0;
  });
}

describe.each(redisClients)('$name lock node', (client) => {
  let handle: ClientHandle;
  const opened: ClientHandle[] = [];
  const target = () => ({ host: servers[0]!.host, port: servers[0]!.port });
  const open = async (server = servers[0]!) => {
    const opening = await client.connect({ host: server.host, port: server.port });
    opened.push(opening);
    return opening;
  };

  beforeAll(async () => {
    handle = await open();
  });
  afterEach(async () => {
    for (const server of servers) {
      if (server.isPaused) server.resume();
      if (!server.isRunning) await server.restart();
    }
    await servers[0]!.command('FLUSHALL');
  });
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((opening) => opening.close()));
  });

  it('is named after the server address, never its credentials', () => {
    const secret = client.unconnected({
      host: '10.1.2.3',
      port: 6380,
      db: 2,
      username: 'app',
      password: 'hunter2',
    });
    const node = client.createNode(secret.client);
    expect(node.name).toBe('redis://10.1.2.3:6380/2');
  });

  it('shows its key prefix in its name, so nodes sharing a server stay distinct', () => {
    const node = client.createNode(handle.client, { keyPrefix: 'tenant-a:' });
    expect(node.name).toBe(`redis://127.0.0.1:${servers[0]!.port}/0 (keyPrefix "tenant-a:")`);
  });

  it('falls back to EVAL after SCRIPT FLUSH and uses EVALSHA again afterwards', async () => {
    const node = client.createNode(handle.client);
    await node.ready();
    await node.acquire(['flush:a'], 'owner', 10_000);
    await servers[0]!.command('SCRIPT', 'FLUSH');
    await servers[0]!.command('CONFIG', 'RESETSTAT');

    expect(await node.acquire(['flush:b'], 'owner', 10_000)).toEqual({ acquired: true });
    expect(await node.acquire(['flush:c'], 'owner', 10_000)).toEqual({ acquired: true });

    const stats = await servers[0]!.command('INFO', 'commandstats');
    expect(stats).toMatch(/cmdstat_eval:calls=1,/);
    expect(stats).toMatch(/cmdstat_evalsha:calls=2,/);
    expect(await servers[0]!.command('SCRIPT', 'EXISTS', acquireScript.sha1)).toBe('1');
  });

  it.runIf(supportsClientKeyPrefix(client))(
    'puts its keyPrefix after the client keyPrefix, and hears releases under both',
    async () => {
      const prefixed = await client.connect(target(), { keyPrefix: 'app:' });
      opened.push(prefixed);
      const node = client.createNode(prefixed.client, { keyPrefix: 'locks:' });
      await node.acquire(['orders:42'], 'owner', 10_000);
      expect(await servers[0]!.command('GET', 'app:locks:orders:42')).toBe('owner');
      const { listener, released } = nextRelease();
      const stop = await node.watch!(['orders:42'], listener);
      await node.release(['orders:42'], 'owner');
      expect(await released).toBe('owner');
      await stop();
      await node.close();
    },
  );

  it('rejects a key of another Redis type instead of reporting it as held', async () => {
    await servers[0]!.command('LPUSH', 'a-list', 'x');
    const node = client.createNode(handle.client);
    await expect(node.acquire(['a-list'], 'owner', 10_000)).rejects.toThrow(/WRONGTYPE/);
  });

  describe('bad arguments', () => {
    const calls: [string, (node: ReturnType<typeof client.createNode>) => Promise<unknown>][] = [
      ['no keys', (node) => node.acquire([], 'v', 1000)],
      ['a non-string key', (node) => node.acquire([42 as never], 'v', 1000)],
      ['an empty value', (node) => node.extend(['k'], '', 1000)],
      ['a zero TTL', (node) => node.acquire(['k'], 'v', 0)],
      ['a fractional TTL', (node) => node.extend(['k'], 'v', 1.5)],
      ['a TTL longer than a timer', (node) => node.extend(['k'], 'v', MAX_TIMER_MS + 1)],
      ['a value that is not a string', (node) => node.release(['k'], 7 as never)],
      ['a listener that is not a function', (node) => node.watch!(['k'], 'x' as never)],
    ];
    it.each(calls)(
      'rejects %s with InvalidArgumentError before sending anything',
      async (_, call) => {
        await servers[0]!.command('CONFIG', 'RESETSTAT');
        const node = client.createNode(handle.client);
        await expect(call(node)).rejects.toBeInstanceOf(InvalidArgumentError);
        const stats = await servers[0]!.command('INFO', 'commandstats');
        expect(stats).not.toMatch(/cmdstat_eval/);
      },
    );

    it.each([0, Number.NaN, MAX_TIMER_MS + 1, '5'])(
      'refuses commandTimeoutMs %s, which no timer can honour',
      (commandTimeoutMs) => {
        expect(() =>
          client.createNode(handle.client, { commandTimeoutMs: commandTimeoutMs as number }),
        ).toThrow(InvalidArgumentError);
      },
    );
  });

  describe('on a server that does not answer', () => {
    it('rejects with the signal reason as soon as the signal aborts', async () => {
      const stalled = await open(servers[1]!);
      servers[1]!.pause();
      const controller = new AbortController();
      const pending = client
        .createNode(stalled.client)
        .acquire(['k'], 'v', 10_000, controller.signal);
      const reason = new Error('caller gave up');
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
    });

    it('rejects with a timeout error after commandTimeoutMs', async () => {
      const stalled = await open(servers[1]!);
      servers[1]!.pause();
      const node = client.createNode(stalled.client, { commandTimeoutMs: 50 });
      const error = await node.extend(['k'], 'v', 10_000).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CommandTimeoutError);
      expect((error as Error).message).toBe(`extend on ${node.name} timed out after 50 ms`);
    });

    it.runIf(client.reportsConnectionState !== false)(
      'rejects at once with the real cause once the server is known to be down',
      async () => {
        const reconnecting = await open(servers[1]!);
        const node = client.createNode(reconnecting.client);
        // The client learns it from a refused reconnect's 'error' event. Not
        // the first error: when the kill resets the open connection, the
        // client reports ECONNRESET while it still counts as connected.
        const failed = new Promise<void>((resolve) => {
          const emitter = reconnecting.client as EventEmitter;
          const onError = (error: { code?: unknown }) => {
            if (error?.code !== 'ECONNREFUSED') return;
            emitter.off('error', onError);
            resolve();
          };
          emitter.on('error', onError);
        });
        await servers[1]!.kill();
        await failed;
        // Known down: without a commandTimeoutMs a queued call could only hang;
        // this one fails at once with the cause.
        const error = await node.acquire(['k'], 'v', 1000).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RedisNodeUnavailableError);
        expect(error).toMatchObject({ code: expect.stringMatching(/^\w+$/) });
        expect((error as Error).message).toContain(node.name);
        await node.close();
      },
    );

    it.runIf(client.reportsConnectionState === false)(
      'fails after commandTimeoutMs, naming the node, once its server is gone (never told it is down)',
      async () => {
        const gone = await open(servers[1]!);
        const node = client.createNode(gone.client, { commandTimeoutMs: 100 });
        await servers[1]!.kill();
        const error = await node.acquire(['k'], 'v', 1000).catch((caught: unknown) => caught);
        // The bound is commandTimeoutMs. GLIDE itself may fail the call first,
        // when its reconnect attempt is refused before our timer fires (seen on
        // a loaded machine): then its own connection error is the cause.
        if (error instanceof CommandTimeoutError) {
          expect(error.message).toBe(`acquire on ${node.name} timed out after 100 ms`);
        } else {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).name).toBe('ConnectionError');
        }
        await node.close();
      },
    );

    it('rejects at once when the signal is already aborted', async () => {
      const idle = client.unconnected({ host: '127.0.0.1', port: 1 });
      const reason = new Error('too late');
      await expect(
        client.createNode(idle.client).acquire(['k'], 'v', 1000, AbortSignal.abort(reason)),
      ).rejects.toBe(reason);
    });
  });

  describe('watch', () => {
    it('passes the released value to the listener', async () => {
      const node = client.createNode(handle.client);
      const { listener, released } = nextRelease();
      await node.acquire(['watched'], 'owner-1', 10_000);
      const stop = await node.watch!(['watched'], listener);
      await node.release(['watched'], 'owner-1');
      expect(await released).toBe('owner-1');
      await stop();
      await node.close();
    });

    it('keeps one subscription per channel and drops it with the last listener', async () => {
      const node = client.createNode(handle.client);
      const channel = releaseChannel('shared');
      const numsub = () => servers[0]!.call('PUBSUB', 'NUMSUB', channel);
      const first = await node.watch!(['shared'], () => undefined);
      const second = nextRelease();
      const stopSecond = await node.watch!(['shared'], second.listener);
      expect(await numsub()).toEqual([channel, 1]);

      await first();
      await node.acquire(['shared'], 'owner', 10_000);
      await node.release(['shared'], 'owner');
      expect(await second.released).toBe('owner');

      await stopSecond();
      expect(await numsub()).toEqual([channel, 0]);
      await node.close();
    });

    it('hears releases again after its subscriber connection was killed', async (context) => {
      const node = client.createNode(handle.client);
      if (!node.watch) context.skip();
      const { listener, released } = nextRelease();
      const stop = await node.watch!(['rewatched'], listener);
      await killSubscribers(servers[0]!);
      await untilSubscribed(servers[0]!, releaseChannel('rewatched'));
      await node.acquire(['rewatched'], 'owner-1', 10_000);
      await node.release(['rewatched'], 'owner-1');
      expect(await released).toBe('owner-1');
      await stop();
      await node.close();
    });

    it('leaves no unhandled rejection when the server refuses to resubscribe after a reconnect', async (context) => {
      const node = client.createNode(handle.client);
      if (!node.watch) context.skip();
      const unhandled: unknown[] = [];
      const record = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', record);
      const server = servers[0]!;
      try {
        const { listener, released } = nextRelease();
        const stop = await node.watch!(['refused'], listener);
        await server.command('CONFIG', 'RESETSTAT');
        // Revoking the channels also disconnects their subscribers.
        await server.command('ACL', 'SETUSER', 'default', 'resetchannels');
        // The reconnected subscriber's SUBSCRIBE was refused...
        await until(async () =>
          /errorstat_NOPERM:count=[1-9]/.test(await server.command('INFO', 'errorstats')),
        );
        await server.command('ACL', 'SETUSER', 'default', 'allchannels');
        // ... and its reply reached the client before the close of this kill
        // did (node-redis drops that connection itself, and reconnects).
        await killClients(server, /cmd=subscribe/);
        await untilSubscribed(server, releaseChannel('refused'));
        await node.acquire(['refused'], 'owner-1', 10_000);
        await node.release(['refused'], 'owner-1');
        expect(await released).toBe('owner-1');
        await stop();
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', record);
        await server.command('ACL', 'SETUSER', 'default', 'allchannels');
        await node.close();
      }
    });

    it('closes only its own subscriber connection, and the client keeps working', async () => {
      const node = client.createNode(handle.client);
      await node.watch!(['closing'], () => undefined);
      expect(await servers[0]!.call('PUBSUB', 'NUMSUB', releaseChannel('closing'))).toEqual([
        releaseChannel('closing'),
        1,
      ]);
      await node.close();
      await expectAfterClose(
        client,
        () => servers[0]!.call('PUBSUB', 'NUMSUB', releaseChannel('closing')),
        (numsub) => expect(numsub).toEqual([releaseChannel('closing'), 0]),
      );
      expect(await client.createNode(handle.client).acquire(['after'], 'v', 1000)).toEqual({
        acquired: true,
      });
    });
  });

  describe('after close()', () => {
    it('rejects every call, watch and ready with "this Redlock was closed"', async () => {
      const node = client.createNode(handle.client);
      await node.close();
      for (const call of [
        () => node.acquire(['k'], 'v', 1000),
        () => node.extend(['k'], 'v', 1000),
        () => node.release(['k'], 'v'),
        () => node.watch!(['k'], () => undefined),
        () => node.ready(),
      ]) {
        const error = await call().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as Error).message).toMatch(/^this Redlock was closed/);
      }
      expect(await servers[0]!.call('KEYS', '*')).toEqual([]);
    });
  });
});
