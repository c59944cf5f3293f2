/**
 * How `createRedlock` creates, connects and wraps clients of the ioredis API
 * family (ioredis 5 and 6, iovalkey): written once for every package of that
 * family, given its `Redis` class and its node class.
 */
import type { LockNode } from '@redlock/core';
import type { RedisLockNodeSettings } from './redis-lock-node-options.js';
import type { RedisClientBinding } from './redlock-factory.js';

/**
 * Defaults for clients `createRedlock` creates, chosen for locking:
 *
 * - `maxRetriesPerRequest: 0`: a command waiting for a node that is down
 *   fails at the next failed reconnection instead of after 20, so a queued
 *   acquire is not sent long after Redlock gave up on it.
 * - `enableOfflineQueue` stays on, so commands issued right after start-up
 *   wait for the first connection instead of failing.
 */
export const ioredisFamilyClientDefaults: Readonly<{
  maxRetriesPerRequest: number;
  enableOfflineQueue: boolean;
}> = Object.freeze({
  maxRetriesPerRequest: 0,
  enableOfflineQueue: true,
});

/** The `Redis` class to create clients with (the library's own, or another copy's, e.g. another major in tests). */
export interface IoredisFamilyModule<Client, ClientOptions> {
  readonly Redis: new (options: ClientOptions) => Client;
}

interface FamilyClient {
  on(event: 'error', listener: () => void): unknown;
  connect(): Promise<unknown>;
}

/** The {@link RedisClientBinding} of one ioredis-family library. */
export function ioredisFamilyBinding<Client, ClientOptions extends object>(
  module: IoredisFamilyModule<Client, ClientOptions>,
  createNode: (client: Client, settings: RedisLockNodeSettings) => LockNode,
): RedisClientBinding<Client, ClientOptions> {
  return {
    createNode,
    openClient(spec, clientOptions) {
      const client = new module.Redis({
        ...ioredisFamilyClientDefaults,
        host: spec.host,
        port: spec.port,
        db: spec.db,
        ...(spec.path === undefined ? {} : { path: spec.path }),
        ...(spec.username === undefined ? {} : { username: spec.username }),
        ...(spec.password === undefined ? {} : { password: spec.password }),
        ...(spec.tls === undefined ? {} : { tls: spec.tls }),
        ...clientOptions,
        // Connected only once nothing can throw any more, so a failed call leaves no connection behind.
        lazyConnect: true,
      } as ClientOptions);
      // A node that cannot be reached shows up in Redlock's errors, not as "Unhandled error event" logs.
      (client as FamilyClient).on('error', () => undefined);
      return client;
    },
    connectClient(client, clientOptions) {
      const lazy = (clientOptions as { lazyConnect?: boolean } | undefined)?.lazyConnect;
      if (!lazy) (client as FamilyClient).connect().catch(() => undefined);
    },
  };
}
