import { InvalidArgumentError } from '@redlock/core';

/** Options of {@link IoredisLockNode}. */
export interface IoredisLockNodeOptions {
  /**
   * Reject a call that has not completed after this many ms, even while
   * ioredis is reconnecting and holding the command in its offline queue.
   * Redlock's own `nodeTimeoutMs` bounds every call anyway; set this to bound
   * calls made outside Redlock, or `watch` subscriptions. Default: no bound.
   */
  readonly commandTimeoutMs?: number;
  /**
   * Prepended to every key this node touches, after the client's own
   * `keyPrefix`. Lets several independent lock namespaces share a server.
   * On a cluster, a prefix with a hash tag (`"{locks}:"`) puts every lock on
   * one slot. Default `""`.
   */
  readonly keyPrefix?: string;
}

/** Validated {@link IoredisLockNodeOptions} with defaults applied. */
export interface ResolvedNodeOptions {
  readonly commandTimeoutMs: number | undefined;
  readonly keyPrefix: string;
}

export function resolveNodeOptions(options: IoredisLockNodeOptions): ResolvedNodeOptions {
  const { commandTimeoutMs, keyPrefix = '' } = options;
  if (
    commandTimeoutMs !== undefined &&
    (typeof commandTimeoutMs !== 'number' ||
      !(commandTimeoutMs > 0) ||
      !Number.isFinite(commandTimeoutMs))
  ) {
    throw new InvalidArgumentError(
      `commandTimeoutMs must be a positive finite number of milliseconds, got ${String(commandTimeoutMs)}`,
    );
  }
  if (typeof keyPrefix !== 'string') {
    throw new InvalidArgumentError(`keyPrefix must be a string, got ${typeof keyPrefix}`);
  }
  return { commandTimeoutMs, keyPrefix };
}
