import { InvalidArgumentError, type LockNode, type RedlockOptions } from '@redlock/core';

/**
 * The test groups of the suite, each in its own file. Switch one off with
 * `skip: { [group]: true }` when your backend cannot support it; a skipped
 * group still shows in the report as skipped, never silently missing.
 */
export type ConformanceGroup =
  /** `createNode` reaches independent stores, and the same index shares data. */
  | 'stores'
  /** Atomic multi-key acquire, own-value re-acquire, the `pttl` of a refusal. */
  | 'acquire'
  /** Exact-value extension that never creates a key. */
  | 'extend'
  /** Exact-value release that counts and only deletes its own keys. */
  | 'release'
  /** Keys disappear once their TTL has passed (real waiting, about 1 s per test). */
  | 'expiry'
  /** Resource names with spaces, unicode, braces, newlines, Lua metacharacters. */
  | 'resources'
  /** An already-aborted signal rejects and changes nothing. */
  | 'abort'
  /** One caller's requests apply in order, and a settled call lets go of its signal. */
  | 'calls'
  /** A node whose backend is down rejects; needs `createUnreachableNode`. */
  | 'failure'
  /** The optional `inspect` method; skipped per test when the node lacks it. */
  | 'inspect'
  /** The optional `watch` method; skipped per test when the node lacks it. */
  | 'watch'
  /** The optional fencing counters (`acquireFenced`, `raiseFence`); skipped when absent. */
  | 'fencing'
  /** The optional restart detection (`serverRun`); skipped when absent. */
  | 'restart'
  /** The optional waiting line (`acquireInLine`); skipped when absent. */
  | 'line'
  /** A `Redlock` of 3 and of 5 nodes: mutual exclusion and the lock API. */
  | 'redlock';

/** Every group, in the order they run: setup first, the multi-node group last. */
export const conformanceGroups: readonly ConformanceGroup[] = [
  'stores',
  'acquire',
  'extend',
  'release',
  'expiry',
  'resources',
  'abort',
  'calls',
  'failure',
  'inspect',
  'watch',
  'fencing',
  'restart',
  'line',
  'redlock',
];

/** The argument of {@link describeLockNode}. */
export interface DescribeLockNodeOptions {
  /** Names the adapter in the `describe` titles, e.g. `'ioredis (Redis 7)'`. */
  name: string;

  /**
   * Returns a fresh node on backing store number `store`, from `0` to
   * `stores - 1`. Different numbers must be independent stores (separate
   * Redis servers, or at least separate databases); the same number may be
   * requested several times in one test and those nodes must then share
   * data, like two clients of one server. The suite closes every node it
   * creates (`close?.()`) at the end of the test, so create a node's own
   * connections here or make `close` a no-op for shared clients.
   */
  createNode: (store: number) => LockNode | Promise<LockNode>;

  /**
   * How many independent stores `createNode` can reach. Default `5`. The
   * Redlock groups need 3 and 5 stores; a group that needs more than you
   * have is reported as skipped. Single-node groups use store `0`.
   */
  stores?: number;

  /**
   * Returns a node whose backend is down or unreachable (a closed port, a
   * stopped server). The `failure` group checks that it rejects rather than
   * claiming a lock; without this option that group is skipped.
   */
  createUnreachableNode?: () => LockNode | Promise<LockNode>;

  /**
   * The TTL resolution of the backend in ms: `1` for Redis `PX`, `1000` for
   * a store that only keeps whole seconds. TTL assertions allow this much
   * rounding (up) and expiry tests wait proportionally longer. Default `1`.
   */
  ttlGranularityMs?: number;

  /**
   * Restarts the server behind store `store` without its data (e.g. SIGKILL
   * and start it again). With it, the `restart` group checks that
   * `serverRun` reports the new run; without it that test is skipped.
   */
  restartStore?: (store: number) => void | Promise<void>;

  /** Groups to leave out, e.g. `{ watch: true }`. Skipped groups show as skipped. */
  skip?: Partial<Record<ConformanceGroup, boolean>>;

  /**
   * Every key the suite writes starts with this prefix, followed by a random
   * id per test, so no store needs flushing between tests or runs and the
   * keys are easy to find. Default `'redlock-conformance:'`.
   */
  keyPrefix?: string;

  /**
   * Settings for the Redlocks the `redlock` group builds, over the suite's
   * own (`retryDelay: 10`, `retryJitter: 20`, `nodeTimeoutMs: 500`). Raise
   * `nodeTimeoutMs` for a slow remote backend. Default `{}`.
   */
  redlockOptions?: RedlockOptions;

  /**
   * Time limit of each test in ms. Raise it for a remote backend. Expiry
   * tests add their own waiting time to it. Default `10_000`.
   */
  testTimeoutMs?: number;
}

/** The options with every default filled in. */
export interface ResolvedOptions
  extends Required<
    Omit<DescribeLockNodeOptions, 'skip' | 'createUnreachableNode' | 'restartStore'>
  > {
  createUnreachableNode: DescribeLockNodeOptions['createUnreachableNode'];
  restartStore: DescribeLockNodeOptions['restartStore'];
  skip: Partial<Record<ConformanceGroup, boolean>>;
}

export function resolveOptions(options: DescribeLockNodeOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(
      'describeLockNode needs an options object: { name, createNode }',
    );
  }
  if (typeof options.name !== 'string' || options.name.length === 0) {
    throw new InvalidArgumentError('describeLockNode: `name` must be a non-empty string');
  }
  if (typeof options.createNode !== 'function') {
    throw new InvalidArgumentError(
      'describeLockNode: `createNode` must be a function (store) => LockNode',
    );
  }
  const resolved: ResolvedOptions = {
    name: options.name,
    createNode: options.createNode,
    createUnreachableNode: options.createUnreachableNode,
    restartStore: options.restartStore,
    stores: options.stores ?? 5,
    ttlGranularityMs: options.ttlGranularityMs ?? 1,
    skip: { ...options.skip },
    keyPrefix: options.keyPrefix ?? 'redlock-conformance:',
    testTimeoutMs: options.testTimeoutMs ?? 10_000,
    redlockOptions: { ...options.redlockOptions },
  };
  requirePositiveInteger('stores', resolved.stores);
  requirePositiveInteger('ttlGranularityMs', resolved.ttlGranularityMs);
  requirePositiveInteger('testTimeoutMs', resolved.testTimeoutMs);
  for (const group of Object.keys(resolved.skip)) {
    if (!conformanceGroups.includes(group as ConformanceGroup)) {
      throw new InvalidArgumentError(
        `describeLockNode: unknown group "${group}" in \`skip\`; the groups are ${conformanceGroups.join(', ')}`,
      );
    }
  }
  if (typeof resolved.keyPrefix !== 'string') {
    throw new InvalidArgumentError('describeLockNode: `keyPrefix` must be a string');
  }
  return resolved;
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(
      `describeLockNode: \`${name}\` must be a positive integer, got ${value}`,
    );
  }
}
