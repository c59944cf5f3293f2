import { InvalidArgumentError } from '@redlock/core';
import { RedisLockNode, type RedisLockNodeSettings } from '@redlock/redis-scripts';
import { type ValkeyGlideClient, valkeyGlidePort } from './glide-client-port.js';
import { PendingGlideClient } from './pending-glide-client.js';

/** A GLIDE client has `customCommand` and `invokeScript`; ioredis and node-redis clients have neither. */
function isGlideClient(client: unknown): client is ValkeyGlideClient {
  if (client instanceof PendingGlideClient) return true;
  const candidate = client as Partial<Record<'customCommand' | 'invokeScript', unknown>> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.customCommand === 'function' &&
    typeof candidate.invokeScript === 'function'
  );
}

/**
 * A `LockNode` on one Valkey or Redis deployment through a
 * [Valkey GLIDE](https://github.com/valkey-io/valkey-glide) 2.x client: a
 * `GlideClient` (standalone) or a `GlideClusterClient`.
 *
 * ```ts
 * import { GlideClient } from '@valkey/valkey-glide';
 * import { Redlock } from '@redlock/core';
 * import { ValkeyGlideLockNode } from '@redlock/valkey-glide';
 *
 * const clients = await Promise.all(
 *   ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((host) =>
 *     GlideClient.createClient({ addresses: [{ host, port: 6379 }] }),
 *   ),
 * );
 * const redlock = new Redlock(clients.map((client) => new ValkeyGlideLockNode(client)));
 * ```
 *
 * The behaviour is `RedisLockNode`'s: one Lua script per call, scripts
 * preloaded on a standalone server, cluster slot checks, `watch` over a
 * second client the node creates on first use with the same configuration
 * (GLIDE's dynamic subscriptions). GLIDE reconnects by itself without
 * telling anyone, so a call to a server that is down fails when GLIDE's
 * `requestTimeout` (default 250 ms) passes, not at once. `close()` never
 * closes the client you passed in.
 */
export class ValkeyGlideLockNode extends RedisLockNode {
  constructor(client: ValkeyGlideClient, options: RedisLockNodeSettings = {}) {
    if (typeof (client as { then?: unknown } | null)?.then === 'function') {
      throw new InvalidArgumentError(
        'ValkeyGlideLockNode got a Promise: pass the created client (await GlideClient.createClient(config)), or a PendingGlideClient to create it on first use',
      );
    }
    if (!isGlideClient(client)) {
      throw new InvalidArgumentError(
        'ValkeyGlideLockNode needs a GLIDE GlideClient or GlideClusterClient, e.g. new ValkeyGlideLockNode(await GlideClient.createClient(config)); for ioredis or node-redis clients use @redlock/ioredis or @redlock/node-redis',
      );
    }
    super(valkeyGlidePort(client), options);
  }
}
