/**
 * # Writing a Redis client package: the client port
 *
 * `RedisLockNode` (in this package) is the one Redis `LockNode`: the Lua
 * scripts, reply decoding, argument checks, deadlines, node names, cluster
 * slot checks, release notifications, `ready()` and a bounded `close()` all
 * live there once. A client package (`@redlock/ioredis`, `@redlock/node-redis`,
 * `@redlock/iovalkey`, ...) only translates between its client and the small
 * {@link RedisClientPort} below, the way redsync's client adapters do.
 *
 * ## Plugging a client in
 *
 * 1. Write `xyzPort(client, { owned })` returning a {@link RedisClientPort}.
 *    Send scripts as raw `EVALSHA` / `EVAL` with the keys as keys (a cluster
 *    client routes by the first key). Return the reply undecoded; the node
 *    decodes it (strings, numbers, `bigint`, `Buffer` are all accepted).
 * 2. Keep the connection state with a {@link ConnectionStateTracker}: `ready`
 *    when commands go out at once, `connecting` while (re)connecting without
 *    a known failure, `down` with the real cause (`ECONNREFUSED`, ...) when the
 *    last attempt failed, `closed` once the client was closed. A `down` node
 *    fails every call at once with that cause instead of waiting for a
 *    timeout, so report `down` only while the client really cannot send.
 * 3. Export `class XyzLockNode extends RedisLockNode` whose constructor checks
 *    that it got the right kind of client (throw `InvalidArgumentError`
 *    otherwise) and calls `super(xyzPort(client), options)`.
 * 4. Export `createRedlock = redlockFactory({ ... })` (see
 *    `redlock-factory.ts`) and re-export `waitUntilReady` from here.
 * 5. Add the client (and each supported major) to the shared adapter suite in
 *    `packages/redis-adapter-tests/src/clients.ts`; its registration test fails
 *    until you do.
 *
 * If the client cannot offer a capability, leave the optional member out:
 * without `createSubscriber` the node has no `watch` (waiters poll), without
 * `loadScript` the node never preloads (`EVALSHA` still falls back to `EVAL`).
 *
 * @module
 */

import { PerClient } from './per-client.js';
import type { ScriptEvaluator } from './redis-script.js';

/** Where a client's connection stands; see the module comment. */
export type RedisConnectionState =
  | { readonly status: 'ready' }
  | { readonly status: 'connecting' }
  | { readonly status: 'down'; readonly cause: Error }
  | { readonly status: 'closed' };

/** A dedicated pub/sub connection, opened by {@link RedisClientPort.createSubscriber}. */
export interface RedisSubscriber {
  /** SUBSCRIBE; resolves once the server acknowledged every channel. */
  subscribe(channels: readonly string[]): Promise<void>;
  /** UNSUBSCRIBE. */
  unsubscribe(channels: readonly string[]): Promise<void>;
  /** Drops the connection at once, even while it is still connecting. Never throws. */
  close(): void;
}

/**
 * What `RedisLockNode` needs from one Redis client (standalone,
 * Sentinel-managed or cluster). Its `evalSha` and `eval` are
 * {@link ScriptEvaluator}'s: `signal` aborts once the node gave up on the
 * call, and a client that can drop a queued command should.
 */
export interface RedisClientPort extends ScriptEvaluator {
  /** Credential-free name of the deployment, e.g. `redis://10.0.0.3:6379/0`; the node adds its key prefix. */
  readonly name: string;
  /** A cluster client: the keys of one call must share a hash slot. */
  readonly isCluster: boolean;
  /** The prefix the client itself puts before every key (ioredis `keyPrefix`), `''` if none. */
  readonly keyPrefix: string;
  /**
   * Optional, `false` for a client that reconnects without any event (GLIDE):
   * the node then cannot tell one connection from the next, so it reads the
   * server's run (`serverRun`) on every call instead of once per connection.
   */
  readonly reportsReconnects?: boolean;
  /** The current connection state (read on every call; keep it cheap). */
  readonly state: RedisConnectionState;
  /** Calls `listener` on every change of {@link state}; returns a function that stops it. */
  watchState(listener: (state: RedisConnectionState) => void): () => void;
  /** Optional: `SCRIPT LOAD source` on the current connection (standalone clients only). */
  loadScript?(source: string): Promise<unknown>;
  /** Starts connecting a client that waits to be connected (ioredis `lazyConnect`); otherwise does nothing. */
  connect(): void;
  /**
   * Optional: opens a dedicated pub/sub connection to the same deployment
   * and hands every message to `onMessage`. It must never throw from an event
   * handler and must not log unhandled `error` events.
   */
  createSubscriber?(onMessage: (channel: string, message: string) => void): RedisSubscriber;
  /**
   * Only called for clients the node owns (created by `createRedlock`):
   * closes gracefully, so replies still in flight arrive, and resolves once
   * every socket is closed. The node bounds it with `closeTimeoutMs`.
   */
  quit(): Promise<void>;
  /** Only called for owned clients: drops every socket now, connecting ones included. Never throws. */
  disconnect(): void;
}

/**
 * Keeps a port's {@link RedisConnectionState} and tells watchers about
 * changes, so each client port only maps its client's events onto it.
 *
 * `attach` subscribes to the client's events when the first watcher comes
 * and returns how to unsubscribe, which happens when the last one leaves:
 * a closed node leaves no listener on a client it does not own. Without
 * watchers, {@link state} is read from the client with `readState`.
 */
export class ConnectionStateTracker {
  readonly #readState: () => RedisConnectionState;
  readonly #attach: (tracker: ConnectionStateTracker) => () => void;
  readonly #listeners = new Set<(state: RedisConnectionState) => void>();
  #state: RedisConnectionState;
  #detach: (() => void) | undefined;

  constructor(
    readState: () => RedisConnectionState,
    attach: (tracker: ConnectionStateTracker) => () => void,
  ) {
    this.#readState = readState;
    this.#attach = attach;
    this.#state = readState();
  }

  get state(): RedisConnectionState {
    return this.#detach ? this.#state : this.#readState();
  }

  /** Records the connection's new state and tells the listeners when it changed. */
  set(state: RedisConnectionState): void {
    if (state.status === this.#state.status && state.status !== 'down') return;
    this.#state = state;
    for (const listener of [...this.#listeners]) {
      try {
        listener(state);
      } catch {
        // A watcher's failure must not escape into the client's event emitter.
      }
    }
  }

  /**
   * A failed connection (attempt): `down` with its cause. (Also from
   * `closed`: a client that was not open when watching began may have been
   * connected since without an event saying so.)
   */
  failed(cause: unknown): void {
    this.set({ status: 'down', cause: cause instanceof Error ? cause : new Error(String(cause)) });
  }

  /** The connection was lost: `connecting` again, unless a failure already says why (`down`). */
  lost(): void {
    if (this.#state.status === 'ready') this.set({ status: 'connecting' });
  }

  /** Calls `listener` on every change; returns an idempotent function that stops it. */
  watch(listener: (state: RedisConnectionState) => void): () => void {
    // A fresh function per watch, so one watcher can never remove another.
    const entry = (state: RedisConnectionState) => listener(state);
    if (this.#listeners.size === 0) {
      this.#state = this.#readState();
      this.#detach = this.#attach(this);
    }
    this.#listeners.add(entry);
    return () => {
      if (!this.#listeners.delete(entry) || this.#listeners.size > 0) return;
      this.#detach?.();
      this.#detach = undefined;
    };
  }
}

const trackers = new PerClient<ConnectionStateTracker>();

/**
 * The one {@link ConnectionStateTracker} of `client`, made by `create` on
 * first use: every node over the same client shares it, so the client's
 * events are listened to once however many nodes use it (eleven nodes over
 * one client tripped Node's `MaxListenersExceededWarning`, and nodes that
 * are never closed kept their listeners on the client).
 */
export function sharedStateTracker(
  client: object,
  create: () => ConnectionStateTracker,
): ConnectionStateTracker {
  return trackers.of(client, create);
}
