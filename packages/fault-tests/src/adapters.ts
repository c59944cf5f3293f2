import type { Redlock, RedlockOptions } from '@redlock/core';

/** The Redis adapters every fault scenario runs against. */
export const adapterNames = ['ioredis', 'node-redis'] as const;

export type AdapterName = (typeof adapterNames)[number];

export function isAdapterName(value: unknown): value is AdapterName {
  return adapterNames.includes(value as AdapterName);
}

/**
 * A Redlock over `urls` through the adapter's own `createRedlock`, which
 * creates (and on `close()` quits) one client per URL, the way most users
 * will start. Imported on demand so a worker loads one client library only.
 */
export async function createAdapterRedlock(
  adapter: AdapterName,
  urls: readonly string[],
  options: RedlockOptions,
): Promise<Redlock> {
  if (adapter === 'ioredis') {
    const { createRedlock } = await import('@redlock/ioredis');
    return createRedlock(urls, options);
  }
  const { createRedlock } = await import('@redlock/node-redis');
  return createRedlock(urls, options);
}
