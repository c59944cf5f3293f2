import { InvalidArgumentError, validateTimerMs } from '@redlock/core';

/** Options of every Redis lock node (`IoredisLockNode`, `NodeRedisLockNode`, ...). */
export interface RedisLockNodeOptions {
  /**
   * Reject a call that has not completed after this many ms, even while the
   * client is reconnecting and holds the command in its offline queue.
   * Redlock's own `nodeTimeoutMs` bounds every call anyway; set this to bound
   * calls made outside Redlock, or `watch` subscriptions. At most
   * 2147483647 (the longest timer). Default: no bound.
   */
  readonly commandTimeoutMs?: number;
  /**
   * Prepended to every key this node touches, after the client's own key
   * prefix. Lets several independent lock namespaces share a server. On a
   * cluster, a prefix with a hash tag (`"{locks}:"`) puts every lock on one
   * slot. Default `""`.
   */
  readonly keyPrefix?: string;
}

/** How a node closes a client it owns; set by `createRedlock`, never for a client you pass in. */
export interface OwnedClientOptions {
  /** How long `close()` lets the client quit gracefully before dropping it. */
  readonly closeTimeoutMs: number;
}

/** Validated options with defaults applied. */
export interface ResolvedNodeOptions {
  readonly commandTimeoutMs: number | undefined;
  readonly keyPrefix: string;
  readonly ownedClient: OwnedClientOptions | undefined;
}

/** Options of a node plus, from `createRedlock`, the ownership of its client. */
export interface RedisLockNodeSettings extends RedisLockNodeOptions {
  /** @internal Set by `createRedlock` for the clients it creates. */
  readonly ownedClient?: OwnedClientOptions;
}

export function resolveNodeOptions(options: RedisLockNodeSettings): ResolvedNodeOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options must be an object');
  }
  const { commandTimeoutMs, keyPrefix = '', ownedClient } = options;
  if (commandTimeoutMs !== undefined)
    validateTimerMs('commandTimeoutMs', commandTimeoutMs, { min: 1 });
  if (typeof keyPrefix !== 'string') {
    throw new InvalidArgumentError(`keyPrefix must be a string, got ${typeof keyPrefix}`);
  }
  if (ownedClient !== undefined) {
    validateTimerMs('closeTimeoutMs', ownedClient.closeTimeoutMs);
  }
  return { commandTimeoutMs, keyPrefix, ownedClient };
}
