import { hostname } from 'node:os';
import {
  InvalidArgumentError,
  type Redlock,
  type RedlockOptions,
  systemRuntime,
} from '@redlock/core';
import { createRedlock, waitUntilReady } from '@redlock/ioredis';
import { type CommonOptions, UsageError } from './arguments.js';
import { formatDuration } from './duration.js';

/** Fewer than a majority of the servers answered: nothing can be locked or known. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/**
 * `host:pid:` in front of every lock value, so `redlock inspect` can say who
 * holds a lock. The random part after it stays as unguessable as core makes
 * it; the host name is reduced to characters that need no quoting.
 */
export function ownerTag(): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '_') || 'localhost';
  return `${host}:${process.pid}`;
}

/**
 * Connects to the servers named by `urls` (keys under `keyPrefix`) and resolves once at least a
 * majority of them is ready. Servers still down are named in `notReady`: the
 * lock works without them, as Redlock is meant to. Throws a
 * {@link UsageError} for a malformed URL and an {@link UnreachableError} when
 * a majority cannot be reached within `connectTimeoutMs`.
 */
export async function connect(
  { urls, keyPrefix, connectTimeoutMs }: CommonOptions,
  signal: AbortSignal,
  options: RedlockOptions = {},
): Promise<{ readonly redlock: Redlock; readonly notReady: readonly string[] }> {
  const owner = ownerTag();
  let redlock: Redlock;
  try {
    redlock = createRedlock(urls, {
      ...options,
      keyPrefix,
      runtime: { ...systemRuntime, randomValue: () => `${owner}:${systemRuntime.randomValue()}` },
    });
  } catch (error) {
    // Its messages mask credentials in the URL they quote.
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
    throw error;
  }
  // Not AbortSignal.any([AbortSignal.timeout(ms), signal]): on Node 20 that
  // combination never aborted here (the timeout signal is only weakly held).
  const giveUp = new AbortController();
  const timer = setTimeout(() => giveUp.abort(new Error('connect timeout')), connectTimeoutMs);
  const onAbort = (): void => giveUp.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await waitUntilReady(redlock, { signal: giveUp.signal });
    return { redlock, notReady: [] };
  } catch (error) {
    const notReady = (error as { nodeNames?: unknown } | null)?.nodeNames;
    if (!Array.isArray(notReady)) {
      await redlock.close();
      throw error;
    }
    const ready = redlock.nodes.length - notReady.length;
    if (ready >= redlock.quorum && !signal.aborted) return { redlock, notReady };
    await redlock.close();
    if (signal.aborted) throw signal.reason;
    throw new UnreachableError(
      `cannot reach a majority of the Redis servers within ${formatDuration(connectTimeoutMs)}: ` +
        `${notReady.length} of ${redlock.nodes.length} not ready (${notReady.join(', ')})`,
    );
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
