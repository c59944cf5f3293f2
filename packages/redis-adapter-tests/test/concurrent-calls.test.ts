import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientHandle, redisClients, supportsClientKeyPrefix } from '../src/clients.js';

const { servers } = useRedisServers(1);

/** Whether the client's commands reach its socket as ioredis's do: `client.stream.write`, one call per write. */
function socketOf(client: unknown): { write: (...args: unknown[]) => boolean } | undefined {
  const stream = (client as { stream?: { write?: unknown } }).stream;
  return typeof stream?.write === 'function'
    ? (stream as { write: (...args: unknown[]) => boolean })
    : undefined;
}

/** Concurrent lockers on one node: more calls in flight than EventTarget's default listener limit. */
const CONCURRENT_CALLS = 64;
/** More nodes over one client than EventEmitter's default listener limit (10). */
const NODES_OVER_ONE_CLIENT = 11;

describe.each(redisClients)('$name lock node under concurrent calls', (client) => {
  let handle: ClientHandle;

  beforeAll(async () => {
    handle = await client.connect({ host: servers[0]!.host, port: servers[0]!.port });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('prints no MaxListenersExceededWarning with 64 calls in flight (none is a leak)', async () => {
    const node = client.createNode(handle.client);
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      await Promise.all(
        Array.from({ length: CONCURRENT_CALLS }, async (_, index) => {
          const key = `concurrent:${index}`;
          // Each call with a signal of its own, as Redlock's rounds do.
          const signal = new AbortController().signal;
          expect((await node.acquire([key], 'v', 10_000, signal)).acquired).toBe(true);
          expect(await node.release([key], 'v', signal)).toBe(1);
        }),
      );
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
      await node.close?.();
    }
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('listens to the client once, however many nodes use it, and leaves it as it was after close', async () => {
    const emitter = handle.client as Partial<
      Pick<NodeJS.EventEmitter, 'eventNames' | 'listenerCount'>
    >;
    const listenerCounts = (): Record<string, number> =>
      typeof emitter.eventNames === 'function'
        ? Object.fromEntries(
            emitter.eventNames().map((event) => [String(event), emitter.listenerCount!(event)]),
          )
        : {};
    const before = listenerCounts();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const nodes = Array.from({ length: NODES_OVER_ONE_CLIENT }, () =>
      client.createNode(handle.client),
    );
    try {
      for (const [index, node] of nodes.entries()) {
        expect((await node.acquire([`shared:${index}`], 'v', 10_000)).acquired).toBe(true);
        expect(await node.release([`shared:${index}`], 'v')).toBe(1);
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (typeof emitter.eventNames === 'function') {
        // One set of listeners for all the nodes: at most one more per event.
        for (const [event, count] of Object.entries(listenerCounts())) {
          expect(count - (before[event] ?? 0), event).toBeLessThanOrEqual(1);
        }
      }
    } finally {
      process.off('warning', onWarning);
      await Promise.all(nodes.map((node) => node.close?.()));
    }
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    expect(listenerCounts()).toEqual(before);
  });
  it('keeps the order and each reply of the calls one turn issues, a failing one included', async () => {
    const node = client.createNode(handle.client);
    await node.ready?.();
    await servers[0]!.command('DEL', 'batch:k', 'batch:list');
    await servers[0]!.command('LPUSH', 'batch:list', 'x');
    // All issued in one turn: the first may go out alone, the rest together.
    const calls = [
      node.acquire(['batch:k'], 'a', 10_000),
      node.acquire(['batch:k'], 'b', 10_000),
      node.acquire(['batch:list'], 'a', 10_000),
      node.release(['batch:k'], 'a'),
      node.acquire(['batch:k'], 'c', 10_000),
    ];
    const [first, second, wrongType, released, third] = await Promise.allSettled(calls);
    expect(first).toMatchObject({ status: 'fulfilled', value: { acquired: true } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { acquired: false } });
    expect(wrongType).toMatchObject({ status: 'rejected' });
    expect(String((wrongType as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    expect(released).toEqual({ status: 'fulfilled', value: 1 });
    expect(third).toMatchObject({ status: 'fulfilled', value: { acquired: true } });
    expect(await servers[0]!.command('GET', 'batch:k')).toBe('c');
    await node.close?.();
  });

  it('falls back to EVAL for every call of a turn after SCRIPT FLUSH', async () => {
    const node = client.createNode(handle.client);
    await node.ready?.();
    await servers[0]!.command('FLUSHALL');
    await servers[0]!.command('SCRIPT', 'FLUSH');
    const keys = Array.from({ length: 8 }, (_, index) => `flushed:${index}`);
    const replies = await Promise.all(keys.map((key) => node.acquire([key], 'v', 10_000)));
    expect(replies.map((reply) => reply.acquired)).toEqual(keys.map(() => true));
    for (const key of keys) expect(await servers[0]!.command('GET', key)).toBe('v');
    await node.close?.();
  });

  it.runIf(['ioredis', 'iovalkey'].includes(client.packageDir))(
    'writes the calls one turn issues in at most two socket writes, not one each',
    async () => {
      const node = client.createNode(handle.client);
      await node.ready?.();
      const socket = socketOf(handle.client)!;
      expect(socket).toBeDefined();
      const write = socket.write;
      let writes = 0;
      socket.write = function (this: unknown, ...args: unknown[]) {
        writes++;
        return write.apply(this, args);
      };
      try {
        const calls = Array.from({ length: 20 }, (_, index) =>
          node.acquire([`written:${index}`], 'v', 10_000),
        );
        const writesWhileIssuing = writes;
        await Promise.all(calls);
        // The first call went out at once; the other 19 in one pipeline at the end of the turn.
        expect(writesWhileIssuing).toBe(1);
        expect(writes).toBe(2);
      } finally {
        socket.write = write;
        await node.close?.();
      }
    },
  );
  it.runIf(supportsClientKeyPrefix(client))(
    'puts the client keyPrefix before the node keyPrefix on calls sent together, too',
    async () => {
      const prefixed = await client.connect(
        { host: servers[0]!.host, port: servers[0]!.port },
        { keyPrefix: 'app:' },
      );
      const node = client.createNode(prefixed.client, { keyPrefix: 'locks:' });
      try {
        await node.ready?.();
        const keys = ['together:a', 'together:b', 'together:c'];
        const replies = await Promise.all(keys.map((key) => node.acquire([key], 'v', 10_000)));
        expect(replies.map((reply) => reply.acquired)).toEqual([true, true, true]);
        for (const key of keys) {
          expect(await servers[0]!.command('GET', `app:locks:${key}`)).toBe('v');
        }
      } finally {
        await node.close?.();
        await prefixed.close();
      }
    },
  );
});
