import {
  type AcquireReply,
  type FencedAcquireReply,
  type InLineReply,
  InvalidArgumentError,
  type KeyState,
  type LinePlace,
  type LockNode,
  type ReleaseListener,
  type ServerRun,
  validateKeys,
  validateLockArguments,
} from '@redlock/core';
import { closeWithin } from './bounded-close.js';
import { ChannelListeners } from './channel-listeners.js';
import { runWithDeadline } from './deadline.js';
import {
  acquireFencedScript,
  decodeAcquireFencedReply,
  decodeRaiseFenceReply,
  fenceKeyOf,
  parseServerRun,
  raiseFenceScript,
  serverInfoScript,
} from './fencing-scripts.js';
import { describeCrossSlotKeys } from './hash-slot.js';
import { Interrupt } from './interrupt.js';
import { lockCommands, type ScriptRunner } from './lock-commands.js';
import { preloadedScripts } from './lock-scripts.js';
import { nodeClosedError, RedisNodeUnavailableError } from './node-errors.js';
import { withKeyPrefix } from './node-name.js';
import type {
  RedisClientPort,
  RedisConnectionState,
  RedisSubscriber,
} from './redis-client-port.js';
import {
  type RedisLockNodeSettings,
  type ResolvedNodeOptions,
  resolveNodeOptions,
} from './redis-lock-node-options.js';
import { evalScript, type RedisScript, type ScriptEvaluator } from './redis-script.js';
import { releaseChannel } from './release-channel.js';
import { ScriptPreloader } from './script-preloader.js';
import { acquireInLineCommand, lineKeysOf } from './waiting-line-script.js';

/**
 * The Redis {@link LockNode}, written once for every client: each client
 * package extends it with a constructor that adapts its client to a
 * {@link RedisClientPort} (see that file for the guide).
 *
 * Every operation is one Lua script (`EVALSHA`, resent with `EVAL` after a
 * `NOSCRIPT`), so multi-key locks are atomic. On a standalone server the
 * node loads the scripts whenever the connection becomes ready and sends
 * calls queued before that as `EVAL`, so the first call on a new connection
 * is one round trip; `ready()` waits for that. A node whose connection is
 * known to be down fails every call at once with the real cause
 * (`ECONNREFUSED`, ...). On a cluster the keys of one call must share a hash
 * slot, or the call is refused with an `InvalidArgumentError` before
 * anything is sent. `watch` subscribes on a dedicated connection the node
 * opens on first use. `close()` is final: later calls reject with "this
 * Redlock was closed", calls still waiting for a connection stop, the
 * pub/sub connection is dropped, and a client the node owns (created by
 * `createRedlock`) quits gracefully within `closeTimeoutMs`.
 */
export class RedisLockNode implements LockNode {
  /** e.g. `redis://10.0.0.3:6379/0` or `redis-cluster://10.0.0.1:7000,10.0.0.2:7000`; never credentials. */
  readonly name: string;
  /**
   * Calls `onRelease(value)` whenever one of `keys` is released on this node
   * by any Redlock client, through pub/sub on a connection this node opens on
   * first use. Resolves once the server acknowledged the subscription.
   * Releases while that connection is down are missed: a wake-up hint (which
   * is how Redlock uses it), not a guarantee. Absent when the client cannot
   * subscribe.
   */
  readonly watch?: (
    keys: readonly string[],
    onRelease: ReleaseListener,
  ) => Promise<() => Promise<void>>;

  readonly #port: RedisClientPort;
  readonly #options: ResolvedNodeOptions;
  readonly #evaluator: ScriptEvaluator;
  readonly #commands = lockCommands((script, keys, args, signal) =>
    this.#run(script, keys, args, signal),
  );
  /** Loads the scripts on every new connection of a standalone client; none for a cluster. */
  readonly #scripts: ScriptPreloader | undefined;
  readonly #stopWatchingState: () => void;
  /** Aborted by `close()`: nothing waits any more. */
  readonly #closed = new AbortController();
  /** Aborted when calls in flight must stop: the node closed, or its connection went down. */
  #interrupt = new Interrupt();
  #subscriber: RedisSubscriber | undefined;
  #listeners: ChannelListeners | undefined;
  #closing: Promise<void> | undefined;
  /** The server run the current connection answered for (`INFO server`); cleared when it drops. */
  #knownRun:
    | { readonly runId: string; readonly uptimeMs: number; readonly readAt: number }
    | undefined;
  /**
   * Restart detection (`LockNode.serverRun`): the run of the server this
   * node's connection reaches, read with `INFO server` once per connection
   * (again after every reconnection) and synchronous after that. Absent on a
   * cluster, which is not one server.
   */
  readonly serverRun?: (signal?: AbortSignal) => ServerRun | Promise<ServerRun>;

  constructor(port: RedisClientPort, options: RedisLockNodeSettings = {}) {
    this.#port = port;
    this.#options = resolveNodeOptions(options);
    this.name = withKeyPrefix(port.name, this.#options.keyPrefix);
    // Built once: a new pair of closures per command is avoidable work on the hot path.
    this.#evaluator = {
      evalSha: (sha1, keys, args, signal) => port.evalSha(sha1, keys, args, signal),
      eval: (source, keys, args, signal) => port.eval(source, keys, args, signal),
    };
    const { loadScript } = port;
    this.#scripts =
      port.isCluster || loadScript === undefined
        ? undefined
        : new ScriptPreloader(() =>
            Promise.all(preloadedScripts.map((script) => loadScript.call(port, script.source))),
          );
    this.#stopWatchingState = port.watchState((state) => this.#onState(state));
    if (port.state.status === 'ready') void this.#scripts?.connectionReady();
    if (port.createSubscriber) this.watch = (keys, onRelease) => this.#watch(keys, onRelease);
    if (!port.isCluster) this.serverRun = (signal) => this.#serverRun(signal);
  }

  /**
   * The fencing capability (`LockNode.acquireFenced`, see fencing-scripts.ts):
   * `acquire`, and on a grant each key's counter (`fenceKeyOf`, no TTL)
   * becomes `max(counter + 1, TIME in µs)`.
   */
  async acquireFenced(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<FencedAcquireReply> {
    validateLockArguments(keys, value, ttlMs);
    const scriptKeys = [...keys, ...this.#fenceKeys(keys)];
    const reply = await this.#run(acquireFencedScript, scriptKeys, [value, String(ttlMs)], signal);
    return decodeAcquireFencedReply(normalise(reply));
  }

  /** The fencing write-back (`LockNode.raiseFence`): never lowers a counter. */
  async raiseFence(keys: readonly string[], fence: bigint, signal?: AbortSignal): Promise<bigint> {
    validateKeys(keys);
    if (typeof fence !== 'bigint' || fence < 0n || fence >= 2n ** 53n) {
      throw new InvalidArgumentError('fence must be a bigint in [0, 2^53)');
    }
    const reply = await this.#run(raiseFenceScript, this.#fenceKeys(keys), [String(fence)], signal);
    return decodeRaiseFenceReply(normalise(reply));
  }

  /**
   * Counter keys next to the lock keys, in the lock key's slot as the server
   * sees it (after both prefixes), so a Cluster runs the script on one node.
   */
  #fenceKeys(keys: readonly string[]): string[] {
    const prefix = this.#port.keyPrefix + this.#options.keyPrefix;
    return keys.map((key) => fenceKeyOf(prefix + key));
  }

  #serverRun(signal?: AbortSignal): ServerRun | Promise<ServerRun> {
    const known = this.#knownRun;
    const sameConnection =
      this.#port.state.status === 'ready' && this.#port.reportsReconnects !== false;
    if (known !== undefined && sameConnection) {
      return { runId: known.runId, uptimeMs: known.uptimeMs + (performance.now() - known.readAt) };
    }
    return this.#run(serverInfoScript, [], [], signal).then((reply) => {
      const run = parseServerRun(String(normalise(reply)));
      this.#knownRun = { ...run, readAt: performance.now() };
      return run;
    });
  }

  /**
   * Resolves once the client is connected and, on a standalone server, the
   * lock scripts are in its script cache, so the next call takes one round
   * trip. Connects a client that waits to be connected (`lazyConnect`).
   * Rejects when `signal` aborts (with its reason), or when the node is
   * closed; a failed script load is harmless and does not count.
   */
  ready(signal?: AbortSignal): Promise<void> {
    return runWithDeadline(
      async (deadlineSignal) => {
        await this.#untilConnected(deadlineSignal);
        await this.#scripts?.connectionReady();
      },
      { signal, interrupt: this.#closed.signal, description: `ready on ${this.name}` },
    );
  }

  acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply> {
    return this.#commands.acquire(keys, value, ttlMs, signal);
  }

  /**
   * The waiting-line capability (`LockNode.acquireInLine`, see
   * waiting-line-script.ts). On a cluster where a key's line would be in
   * another slot (a `keyPrefix` before an untagged key), plain `acquire`.
   */
  acquireInLine(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    place: LinePlace,
    signal?: AbortSignal,
  ): Promise<InLineReply> {
    if (this.#port.isCluster) {
      const prefix = this.#port.keyPrefix + this.#options.keyPrefix;
      const lined = keys.flatMap((key) => [key, lineKeysOf(key).line]);
      if (describeCrossSlotKeys(lined.map((key) => prefix + key)) !== undefined) {
        return this.#commands
          .acquire(keys, value, ttlMs, signal)
          .then((reply) => (reply.acquired ? reply : { ...reply, ahead: 0 }));
      }
    }
    const run: ScriptRunner = (script, scriptKeys, args, runSignal) =>
      this.#run(script, scriptKeys, args, runSignal);
    return acquireInLineCommand(run, keys, value, ttlMs, place, signal);
  }

  extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return this.#commands.extend(keys, value, ttlMs, signal);
  }

  release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number> {
    return this.#commands.release(keys, value, signal);
  }

  inspect(keys: readonly string[]): Promise<KeyState[]> {
    return this.#commands.inspect(keys);
  }

  /**
   * Final: every later call rejects with "this Redlock was closed" (an
   * `InvalidArgumentError`), and so do calls still waiting for a connection;
   * calls already sent on a working connection get their replies. The
   * node's pub/sub connection is dropped at once; a client the node owns is
   * closed gracefully within `closeTimeoutMs`, then dropped. A client you
   * passed in is never closed (the node only stops listening to it). Safe to
   * call more than once.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const closedError = nodeClosedError(this.name);
    this.#closed.abort(closedError);
    const port = this.#port;
    // Calls already sent on a working connection get their replies while a
    // client we own quits gracefully; calls still waiting for a connection
    // would only wait for their timeout, so they stop now.
    if (port.state.status !== 'ready') this.#interrupt.abort(closedError);
    this.#stopWatchingState();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#listeners?.clear();
    this.#listeners = undefined;
    subscriber?.close();
    const { ownedClient } = this.#options;
    if (!ownedClient) return;
    // Known down or closed: a graceful quit would only wait in the offline
    // queue. Still connecting: let it finish, so no socket opens after close.
    const { status } = port.state;
    if (status === 'down' || status === 'closed') return port.disconnect();
    await closeWithin(
      ownedClient.closeTimeoutMs,
      () => port.quit(),
      () => port.disconnect(),
    );
  }

  #onState(state: RedisConnectionState): void {
    // A new connection may reach a restarted server: read its run again.
    if (state.status !== 'ready') this.#knownRun = undefined;
    if (state.status === 'ready') void this.#scripts?.connectionReady();
    else this.#scripts?.connectionLost();
    if (this.#closing) return;
    if (state.status === 'down' || state.status === 'closed') {
      // Calls waiting for this connection would only wait for their timeout.
      this.#interrupt.abort(this.#unavailable(state));
      this.#interrupt = new Interrupt();
    }
  }

  #unavailable(state: RedisConnectionState): RedisNodeUnavailableError {
    return new RedisNodeUnavailableError(
      this.name,
      state.status === 'down' ? state.cause : undefined,
    );
  }

  async #watch(keys: readonly string[], onRelease: ReleaseListener): Promise<() => Promise<void>> {
    validateKeys(keys);
    if (typeof onRelease !== 'function') {
      throw new InvalidArgumentError('onRelease must be a function');
    }
    if (this.#closing) throw nodeClosedError(this.name);
    const prefix = this.#port.keyPrefix + this.#options.keyPrefix;
    const channels = keys.map((key) => releaseChannel(prefix + key));
    const listeners = this.#channelListeners();
    return runWithDeadline(
      (deadlineSignal) => listeners.add(channels, (value) => onRelease(value), deadlineSignal),
      {
        interrupt: this.#interrupt,
        timeoutMs: this.#options.commandTimeoutMs,
        description: `watch on ${this.name}`,
      },
    );
  }

  #channelListeners(): ChannelListeners {
    if (this.#listeners) return this.#listeners;
    let listeners: ChannelListeners | undefined;
    const subscriber = this.#port.createSubscriber!((channel, message) =>
      listeners?.dispatch(channel, message),
    );
    listeners = new ChannelListeners(subscriber);
    this.#subscriber = subscriber;
    this.#listeners = listeners;
    return listeners;
  }

  /** Runs `script` on `keys` (prefixed, slot-checked) within the caller's signal and the node's timeout. */
  #run(
    script: RedisScript,
    keys: readonly string[],
    args: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const { keyPrefix } = this.#options;
    const port = this.#port;
    const prefixed = keyPrefix ? keys.map((key) => keyPrefix + key) : keys;
    if (port.isCluster && keys.length > 1) {
      const problem = describeCrossSlotKeys(prefixed.map((key) => port.keyPrefix + key));
      if (problem !== undefined) throw new InvalidArgumentError(problem);
    }
    if (this.#closing) return Promise.reject(nodeClosedError(this.name));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const state = port.state;
    // Known down: fail now with the cause rather than queue for a timeout.
    if (state.status === 'down' || state.status === 'closed') {
      return Promise.reject(this.#unavailable(state));
    }
    // EVALSHA only where the scripts were loaded on this connection; a call
    // queued for a connection that is not ready yet goes out as EVAL.
    const scriptCached =
      this.#scripts === undefined || (state.status === 'ready' && this.#scripts.scriptsCached);
    return runWithDeadline(
      (deadlineSignal) =>
        evalScript(this.#evaluator, script, prefixed, args, deadlineSignal, scriptCached),
      {
        signal,
        interrupt: this.#interrupt,
        timeoutMs: this.#options.commandTimeoutMs,
        description: `${script.name} on ${this.name}`,
      },
    );
  }

  /** Resolves when the port is ready; starts connecting a client that waits for it. */
  #untilConnected(signal: AbortSignal | undefined): Promise<void> {
    const port = this.#port;
    if (port.state.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => {
      const stop = port.watchState((state) => {
        if (state.status !== 'ready') return;
        stop();
        signal?.removeEventListener('abort', stop);
        resolve();
      });
      // The caller has already rejected; just stop listening.
      signal?.addEventListener('abort', stop, { once: true });
      port.connect();
    });
  }
}

/** Replies as strings: clients may hand back a `Buffer` or a number. */
function normalise(reply: unknown): unknown {
  if (Array.isArray(reply)) return reply.map(normalise);
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  if (typeof reply === 'number' || typeof reply === 'bigint') return String(reply);
  return reply;
}
