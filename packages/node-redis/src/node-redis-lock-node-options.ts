import { InvalidArgumentError } from '@redlock/core';

/** Options of {@link NodeRedisLockNode}. */
export interface NodeRedisLockNodeOptions {
  /**
   * Reject a call that has not completed after this many ms, even while
   * node-redis is reconnecting and holding the command in its offline queue
   * (a command that was not sent yet is dropped, never sent late). Redlock's
   * own `nodeTimeoutMs` bounds every call anyway; set this to bound
   * calls made outside Redlock, or `watch` subscriptions. Default: no bound.
   */
  readonly commandTimeoutMs?: number;
  /**
   * Prepended to every key this node touches. Lets several independent lock
   * namespaces share a server. On a cluster, a prefix with a hash tag (`"{locks}:"`) puts every lock on
   * one slot. Default `""`.
   */
  readonly keyPrefix?: string;
}

/** Validated {@link NodeRedisLockNodeOptions} with defaults applied. */
export interface ResolvedNodeOptions {
  readonly commandTimeoutMs: number | undefined;
  readonly keyPrefix: string;
}

export function resolveNodeOptions(options: NodeRedisLockNodeOptions): ResolvedNodeOptions {
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
