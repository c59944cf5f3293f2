import type { RedlockRuntime } from './runtime.js';

/**
 * Settings of a {@link Redlock}. Names follow node-redlock where they mean the
 * same thing, so migrating is a change of import.
 */
export interface RedlockOptions {
  /**
   * Expected clock drift between nodes as a fraction of the TTL. Validity is
   * `ttl - elapsed - (ttl * driftFactor + 2 ms)`. Default `0.01`.
   */
  driftFactor?: number;
  /**
   * How many times to retry after the first failed attempt; `0` tries once,
   * `-1` or `Infinity` retries until `waitTimeoutMs` or the signal stops it.
   * Default `10`.
   */
  retryCount?: number;
  /** Base wait between attempts in ms, shortened to the holder's remaining TTL when known. Default `200`. */
  retryDelay?: number;
  /** Up to this many ms of random extra wait, so contenders don't retry in lockstep. Default `100`. */
  retryJitter?: number;
  /**
   * `using` extends the lock when less than this many ms of validity remain.
   * Default `500`, capped at half the lock's validity so short locks still extend in time.
   */
  automaticExtensionThreshold?: number;
  /**
   * Nodes that must agree. Default and minimum: a majority, `floor(N/2) + 1`;
   * a smaller quorum could let two owners hold the lock, so it is refused.
   */
  quorum?: number;
  /**
   * Per-node bound on each request in ms. A node that has not answered by
   * then counts as failed for that round, so one dead or paused node never
   * stalls an acquisition. Keep it much smaller than the TTL. Default `100`.
   */
  nodeTimeoutMs?: number;
  /**
   * Give every lock a fencing token (`lock.fencingToken`, a `bigint`) that
   * grows with every acquisition of overlapping resources: pass it with each
   * write and let the resource refuse tokens older than the newest it saw.
   * Needs nodes with the fencing capability (`acquireFenced`, `raiseFence`);
   * costs one more round per acquisition. Default `false`: no extra round.
   */
  fencing?: boolean;
  /**
   * A node whose server started less than this many ms ago counts toward no
   * quorum (acquire, extend, fencing): it may have restarted without the
   * locks it granted. Set it to at least your longest TTL plus its drift.
   * Needs `serverRun` on every node (the standalone Redis nodes and
   * `MemoryLockNode` have it). Default `0`, off: a guard on by default would
   * refuse every lock for that long after servers start (a developer's first
   * `redis-server`, every test, a deploy of all masters), so production sets
   * it explicitly (see docs/production.md).
   */
  restartGuardMs?: number;
  /**
   * Wait in line across processes: a waiter takes a place, the same on
   * every node (when its acquisition started), in each key's waiting line,
   * and nodes grant only to the first live place, so votes do not split
   * and turns go in order. Needs nodes with `acquireInLine` (the others are
   * asked as before); a place lapses about `2 x (retryDelay + retryJitter +
   * 2 x nodeTimeoutMs)` after its waiter stops refreshing it. Not applied to
   * fenced acquisitions. Default `false`. See docs/algorithm.md.
   */
  waitingLine?: boolean;
  /** Give up acquiring after this many ms in total, whatever `retryCount` says. Default: no limit. */
  waitTimeoutMs?: number;
  /** Time, timers and randomness; inject a virtual runtime for simulations. Default: the system's. */
  runtime?: RedlockRuntime;
}

/** Per-call options of `acquire` and `using`: override the instance's retry settings. */
export interface AcquireOptions
  extends Pick<RedlockOptions, 'retryCount' | 'retryDelay' | 'retryJitter' | 'waitTimeoutMs'> {
  /** Abort waiting for the lock; the acquisition rejects with code `ABORTED`. */
  signal?: AbortSignal;
}

/** Per-call options of `using`. */
export interface UsingOptions extends AcquireOptions {
  /** Overrides the instance's `automaticExtensionThreshold` for this call. */
  automaticExtensionThreshold?: number;
}

/** The default of each numeric {@link RedlockOptions} setting, as used when it is not given. */
export const defaultOptions = {
  driftFactor: 0.01,
  retryCount: 10,
  retryDelay: 200,
  retryJitter: 100,
  automaticExtensionThreshold: 500,
  nodeTimeoutMs: 100,
  fencing: false,
  restartGuardMs: 0,
} as const;

/** Fixed part of the drift allowance, for the granularity of TTLs on the nodes. */
export const CLOCK_PRECISION_MS = 2;
