import { InvalidArgumentError, type Redlock } from '@redlock/core';
import {
  type CreateRedisRedlockOptions,
  type RedisClientBinding,
  type RedisConnectionSpec,
  type RedisServerEntry,
  redlockFactory,
} from '@redlock/redis-scripts';
import { GlideClient, type GlideClientConfiguration } from '@valkey/valkey-glide';
import type { ValkeyGlideClient } from './glide-client-port.js';
import { type GlideClientClass, PendingGlideClient } from './pending-glide-client.js';
import { ValkeyGlideLockNode } from './valkey-glide-lock-node.js';

/** Options of {@link createRedlock}; `clientOptions` are merged into the `GlideClientConfiguration` of the clients it creates. */
export type CreateRedlockOptions = CreateRedisRedlockOptions<Partial<GlideClientConfiguration>>;

/**
 * Defaults for clients created from URLs and connection objects:
 *
 * - `lazyConnect: true`: creating the client never waits for the server, so
 *   `createRedlock` returns at once; the node connects when it loads its scripts.
 * - `requestTimeout: 1000`: GLIDE's default of 250 ms would count a busy
 *   server as failed; Redlock's `nodeTimeoutMs` bounds every call anyway.
 */
export const ownedClientDefaults: Readonly<Partial<GlideClientConfiguration>> = Object.freeze({
  lazyConnect: true,
  requestTimeout: 1000,
});

/** The GLIDE configuration for one server `createRedlock` got. */
export function glideConfiguration(
  spec: RedisConnectionSpec,
  clientOptions: Partial<GlideClientConfiguration> | undefined,
): GlideClientConfiguration {
  if (spec.path !== undefined) {
    throw new InvalidArgumentError(
      `${spec.name}: Valkey GLIDE connects over TCP only, not to a Unix socket`,
    );
  }
  const ca = spec.tls?.ca;
  return {
    ...ownedClientDefaults,
    addresses: [{ host: spec.host, port: spec.port }],
    databaseId: spec.db,
    ...(spec.password === undefined
      ? {}
      : {
          credentials: {
            password: spec.password,
            ...(spec.username === undefined ? {} : { username: spec.username }),
          },
        }),
    ...(spec.tls === undefined ? {} : { useTLS: true }),
    ...(typeof ca === 'string' || Buffer.isBuffer(ca)
      ? { advancedConfiguration: { tlsAdvancedConfiguration: { rootCertificates: ca } } }
      : {}),
    ...clientOptions,
  };
}

/** How `createRedlock` creates, connects and wraps GLIDE clients, for a given `GlideClient` class. */
export function valkeyGlideBinding(
  clientClass: GlideClientClass = GlideClient as unknown as GlideClientClass,
): RedisClientBinding<ValkeyGlideClient, Partial<GlideClientConfiguration>> {
  return {
    createNode: (client, settings) => new ValkeyGlideLockNode(client, settings),
    openClient: (spec, clientOptions) =>
      new PendingGlideClient(clientClass, glideConfiguration(spec, clientOptions)),
    connectClient(client) {
      if (client instanceof PendingGlideClient) client.start();
    },
  };
}

/**
 * Creates a `Redlock` over GLIDE clients, or over servers it connects to
 * itself: `redis://` / `rediss://` URLs, or `{ host, port, db, username,
 * password, tls }` objects (each becomes a `GlideClient`).
 *
 * ```ts
 * const redlock = createRedlock(['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']);
 * await redlock.using('orders:42', 5000, async (signal) => { ... });
 * await redlock.close(); // closes the three clients it created
 * ```
 *
 * With no argument it connects to `redis://127.0.0.1:6379/0`.
 * `redlock.close()` (and `await using`) closes the clients it created;
 * clients you pass in stay open. Bad arguments throw an
 * `InvalidArgumentError` before any client is created, and never repeat a
 * password.
 */
export const createRedlock: (
  servers?: RedisServerEntry<ValkeyGlideClient> | readonly RedisServerEntry<ValkeyGlideClient>[],
  options?: CreateRedlockOptions,
) => Redlock = redlockFactory(valkeyGlideBinding());
