/**
 * # Writing a LockNode: the adapter author's guide
 *
 * A `LockNode` is one independent store that can hold keys with a time to
 * live: one Redis master, one Valkey server, one database row store. The
 * Redlock algorithm in `@redlock/core` never sees a client, a connection or a
 * script; it sees only this interface, so putting the lock on a new backend is
 * a matter of implementing the three required methods below.
 *
 * ## The contract
 *
 * - **Atomic per node.** `acquire`, `extend` and `release` act on *all* the
 *   given keys at once or on none of them. A Redis adapter does this with one
 *   Lua script; a SQL adapter with one transaction.
 * - **Exact values.** A key belongs to whoever wrote `value` into it. Compare
 *   values byte for byte; never trim, case-fold or parse them.
 * - **TTL to the millisecond** (or to the backend's granularity). A key must
 *   disappear once its TTL has passed, and `extend` must never create a key:
 *   a lapsed lock is not revived.
 * - **Failures reject.** A network error, a server error, a reply of the
 *   wrong shape: reject the promise. Never resolve `{ acquired: true }` or
 *   `true` unless the store confirmed it.
 * - **Aborts reject promptly.** When `signal` aborts, reject with
 *   `signal.reason` (or an `AbortError`) without waiting for the backend.
 *   Redlock uses this to enforce its per-node timeout, so a node that is
 *   reconnecting or queueing commands must still give up on time.
 * - **Let go of the signal once a call settled.** Remove any abort listener
 *   you added when the call resolves or rejects. Redlock passes the signal
 *   of a finished round, whose every call settled, to a later round: a
 *   listener left behind would see that round's abort (the conformance
 *   group `calls` checks it).
 * - **In order.** Apply one caller's requests in the order they were sent.
 *   Redlock reuses a value across an acquisition's retries, so a late
 *   release of a failed attempt applied after the retry's acquire would
 *   delete a key the retry counts on. One Redis connection keeps the order;
 *   a connection pool does not (pin a lock's requests to one connection).
 *   The conformance group `calls` sends an acquire and a release back to back.
 * - **No hidden state.** Do not cache holders in the adapter; the store is the
 *   truth. Do not retry inside a call; Redlock decides when to retry.
 * - **`name`** identifies the node in errors and logs. Keep it stable and free
 *   of credentials (`redis://10.0.0.3:6379/0`, never `redis://user:pass@...`).
 *
 * ## Optional capabilities
 *
 * - `inspect` lets users and tests see who holds a key and for how long.
 * - `watch` lets waiters sleep until a release instead of polling: call
 *   `onRelease(value)` whenever one of the keys is released on this node
 *   (Redis adapters publish from the release script and subscribe on a
 *   dedicated connection). Resolve only once listening has started.
 * - `close` frees what the node opened itself (a pub/sub connection); never
 *   the client the user passed in.
 * - **Fencing** (`acquireFenced` and `raiseFence`, both or neither): every
 *   key has a fencing counter, stored with the key in the same store (same
 *   persistence, same Redis hash slot: `<key>:fence` when the key has a
 *   `{hash tag}`, else `{<key>}:fence`), without a TTL: it outlives the lock.
 *   `acquireFenced` grants exactly like `acquire`, and when it grants it
 *   sets every key's counter to `max(counter + 1, the server's clock in
 *   microseconds since the epoch)` (Redis: `TIME`) and replies the largest
 *   of them as `fence`. A refusal changes no counter. `raiseFence(keys, fence)`
 *   sets every key's counter to `max(counter, fence)`: it never lowers one,
 *   and replies the smallest counter among the keys afterwards.
 *   Redlock turns these into a fencing token per lock (`fencing: true`);
 *   the clock floor keeps tokens growing across a restart that lost the
 *   counters (see docs/algorithm.md for the proof). Conformance group
 *   `fencing`.
 * - **Restart detection** (`serverRun`): which run of the server answers
 *   this node's requests, and how long ago it started; synchronously when
 *   the current connection's run is known, so it costs no round trip. Redlock's
 *   `restartGuardMs` keeps a server that started recently out of every
 *   quorum. A Redis node reads `run_id` and `uptime_in_seconds` from
 *   `INFO server` on every (re)connection, before that connection carries
 *   any request, and never resends a request across a reconnection (the new
 *   run may have lost what the old one granted). Conformance group `restart`.
 * - **Waiting line** (`acquireInLine`, see `waiting-line.ts`): each key has a
 *   line of waiters' places (`score`, ties by `value` as bytes), stored with
 *   the key (Redis: sorted sets `<key>:line` and `<key>:line:until` when
 *   the key has a `{hash tag}`, else `{<key>}:line...`). Atomically: drop
 *   places whose `entryTtlMs` passed (on the node's own clock); grant exactly
 *   like `acquire` if no live place of any key's line ranks before ours, and
 *   then remove our places; otherwise change no key, and (when
 *   `entryTtlMs > 0`) add or refresh our place in every key's line, and
 *   reply how many places are `ahead`. Redlock uses it with `waitingLine:
 *   true`, so all nodes agree on the next holder. Conformance group `line`.
 *
 * ## Proving it
 *
 * Run the published suite from `@redlock/conformance` in your package:
 *
 * ```ts
 * import { describeLockNode } from '@redlock/conformance';
 * describeLockNode({ name: 'my-store', createNode: () => new MyStoreLockNode(...) });
 * ```
 *
 * @module
 */

import type { InLineReply, LinePlace } from './waiting-line.js';

/** The reply of {@link LockNode.acquire}. */
export type AcquireReply =
  | { readonly acquired: true }
  | {
      readonly acquired: false;
      /** Longest remaining TTL (ms) among the keys held by another value, -1 if unknown. */
      readonly pttl: number;
    };

/** The reply of {@link LockNode.acquireFenced}. */
export type FencedAcquireReply =
  | {
      readonly acquired: true;
      /** The largest fencing counter among the keys, after this grant raised each. */
      readonly fence: bigint;
    }
  | {
      readonly acquired: false;
      /** Longest remaining TTL (ms) among the keys held by another value, -1 if unknown. */
      readonly pttl: number;
    };

/** What {@link LockNode.serverRun} reports: the server's current run. */
export interface ServerRun {
  /** Changes whenever the server restarts (Redis: `run_id`). */
  readonly runId: string;
  /** Milliseconds since that run started (Redis: `uptime_in_seconds` * 1000, or finer). */
  readonly uptimeMs: number;
}

/** What {@link LockNode.inspect} reports for one key. */
export interface KeyState {
  /** The value stored in the key, or `null` when the key does not exist. */
  readonly value: string | null;
  /** Remaining TTL in ms; -2 when the key does not exist, -1 when it has no TTL. */
  readonly pttl: number;
}

/**
 * Called by {@link LockNode.watch} when a watched key is released on the
 * node. `releasedValue` is the value that held the key, when the backend
 * reports it; waiters use it to tell one release from another.
 */
export type ReleaseListener = (releasedValue?: string) => void;

/**
 * One independent store that can hold keys with a TTL. See the module
 * comment for the full contract and how to test an implementation.
 */
export interface LockNode {
  /** Human-readable, stable, credential-free, e.g. `"redis://10.0.0.3:6379/0"`. */
  readonly name: string;

  /**
   * Atomically on this node: if every key is absent or already holds
   * `value`, set all of them to `value` with TTL `ttlMs` and resolve
   * `{ acquired: true }`. Otherwise change nothing and resolve
   * `{ acquired: false, pttl }` where `pttl` is the longest remaining TTL
   * among keys held by others (ms, -1 if unknown).
   */
  acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply>;

  /**
   * If every key holds `value`, set its TTL to `ttlMs` and resolve `true`;
   * otherwise change nothing and resolve `false`. Never creates a key.
   */
  extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean>;

  /** Delete each key that holds `value`; resolve with how many were deleted. */
  release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number>;

  /** Optional: current holder and remaining TTL of each key, in order. */
  inspect?(keys: readonly string[]): Promise<KeyState[]>;

  /**
   * Optional: call `onRelease` whenever one of `keys` is released on this
   * node. Resolves once listening; the returned function stops listening.
   */
  watch?(keys: readonly string[], onRelease: ReleaseListener): Promise<() => Promise<void>>;

  /** Optional: free what the node itself opened (never the user's client). */
  close?(): Promise<void>;

  /**
   * Optional (fencing, with {@link raiseFence}): `acquire`, and on a grant
   * set each key's counter to `max(counter + 1, server clock in µs)`;
   * resolve the largest as `fence`. A refusal changes no counter.
   */
  acquireFenced?(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<FencedAcquireReply>;

  /**
   * Optional (fencing, with {@link acquireFenced}): set each key's counter
   * to `max(counter, fence)`, never lower; resolve with the smallest counter
   * among the keys afterwards (so at least `fence`).
   */
  raiseFence?(keys: readonly string[], fence: bigint, signal?: AbortSignal): Promise<bigint>;

  /**
   * Optional (restart detection): the run of the server that will answer
   * the requests this caller sends next. Return it synchronously when the
   * current connection's run is known (the hot path: no round trip), or a
   * promise when it must be checked first (after a (re)connection).
   */
  serverRun?(signal?: AbortSignal): ServerRun | Promise<ServerRun>;

  /**
   * Optional (waiting line): `acquire`, but only for the first live place
   * of every key's line; otherwise take or refresh `place` in those lines
   * (unless `place.entryTtlMs` is 0) and say how many are ahead.
   */
  acquireInLine?(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    place: LinePlace,
    signal?: AbortSignal,
  ): Promise<InLineReply>;
}
