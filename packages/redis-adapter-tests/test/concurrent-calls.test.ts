import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientHandle, redisClients } from '../src/clients.js';

const { servers } = useRedisServers(1);

/** Concurrent lockers on one node: more calls in flight than EventTarget's default listener limit. */
const CONCURRENT_CALLS = 64;

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
});
