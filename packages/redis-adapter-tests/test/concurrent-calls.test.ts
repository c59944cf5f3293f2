import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientHandle, redisClients } from '../src/clients.js';

const { servers } = useRedisServers(1);

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
});
