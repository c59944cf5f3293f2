import {
  type AcquireReply,
  InvalidArgumentError,
  type KeyState,
  type LockNode,
  type ReleaseListener,
} from '@redlock/core';
import {
  ChannelListeners,
  describeCrossSlotKeys,
  describeInvalidKeys,
  evalScript,
  lockCommands,
  preloadedScripts,
  type RedisScript,
  releaseChannel,
  runWithDeadline,
  type ScriptEvaluator,
  ScriptPreloader,
  withKeyPrefix,
} from '@redlock/redis-scripts';
import type { Cluster, Redis } from 'ioredis';
import { disconnectNow } from './disconnect-now.js';
import {
  type IoredisLockNodeOptions,
  type ResolvedNodeOptions,
  resolveNodeOptions,
} from './ioredis-lock-node-options.js';
import { ioredisNodeName } from './ioredis-node-name.js';

/** The ioredis clients a node can run on: a standalone (or Sentinel) `Redis`, or a `Cluster`. */
export type IoredisClient = Redis | Cluster;

function invalid(problem: string | undefined): void {
  if (problem !== undefined) throw new InvalidArgumentError(problem);
}

/**
 * A {@link LockNode} on one Redis deployment through an ioredis client.
 *
 * ```ts
 * import Redis from 'ioredis';
 * import { Redlock } from '@redlock/core';
 * import { IoredisLockNode } from '@redlock/ioredis';
 *
 * const nodes = ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']
 *   .map((url) => new IoredisLockNode(new Redis(url)));
 * const redlock = new Redlock(nodes);
 * ```
 *
 * Every operation is one Lua script (`EVALSHA`, resent with `EVAL` after a
 * `NOSCRIPT`), so multi-key locks are atomic. On a single server the node
 * loads the scripts (`SCRIPT LOAD`) whenever the client's connection becomes
 * ready, and sends calls queued before that as `EVAL`, so the first call on
 * a new connection is one round trip; `ready()` waits for that. On a
 * `Cluster` the keys of one lock must share a hash tag (`{orders}:1`,
 * `{orders}:2`); keys in different slots are refused before anything is
 * sent. `watch` subscribes on a duplicate connection the node opens on first
 * use and `close()` drops; the client you pass in is never closed by the
 * node.
 */
export class IoredisLockNode implements LockNode {
  /** e.g. `redis://10.0.0.3:6379/0` or `redis-cluster://10.0.0.1:7000,10.0.0.2:7000`; never credentials. */
  readonly name: string;

  readonly #client: IoredisClient;
  /** Built once: a new pair of closures per command is avoidable work on the hot path. */
  readonly #evaluator: ScriptEvaluator;
  readonly #options: ResolvedNodeOptions;
  readonly #commands = lockCommands(
    (script, keys, args, signal) => this.#run(script, keys, args, signal),
    (problem) => new InvalidArgumentError(problem),
  );
  /** Prefix ioredis itself adds to KEYS (the client's `keyPrefix` option); Lua sees it, channels must too. */
  readonly #clientKeyPrefix: string;
  #subscriber: IoredisClient | undefined;
  #listeners: ChannelListeners | undefined;
  /** Loads the scripts on every new connection of a standalone client; a cluster has many servers and none. */
  readonly #scripts: ScriptPreloader | undefined;
  /** What the node listens to on the client, removed again by `close()`. */
  readonly #clientListeners: readonly (readonly [event: string, listener: () => void])[];

  constructor(client: IoredisClient, options: IoredisLockNodeOptions = {}) {
    if (
      client === null ||
      typeof client !== 'object' ||
      typeof (client as Partial<Redis>).evalsha !== 'function'
    ) {
      throw new InvalidArgumentError(
        'IoredisLockNode needs an ioredis Redis or Cluster instance, e.g. new IoredisLockNode(new Redis(url))',
      );
    }
    this.#client = client;
    this.#evaluator = {
      evalSha: (sha1, scriptKeys, scriptArgs) =>
        client.evalsha(sha1, scriptKeys.length, ...scriptKeys, ...scriptArgs),
      eval: (source, scriptKeys, scriptArgs) =>
        client.eval(source, scriptKeys.length, ...scriptKeys, ...scriptArgs),
    };
    this.#options = resolveNodeOptions(options);
    const clientKeyPrefix = client.options.keyPrefix;
    this.#clientKeyPrefix = typeof clientKeyPrefix === 'string' ? clientKeyPrefix : '';
    this.name = withKeyPrefix(ioredisNodeName(client), this.#options.keyPrefix);

    if (client.isCluster) {
      this.#scripts = undefined;
      this.#clientListeners = [];
    } else {
      const redis = client as Redis;
      const scripts = new ScriptPreloader(() =>
        Promise.all(preloadedScripts.map((script) => redis.script('LOAD', script.source))),
      );
      this.#scripts = scripts;
      this.#clientListeners = [
        ['ready', () => void scripts.connectionReady()],
        ['close', () => scripts.connectionLost()],
      ];
      for (const [event, listener] of this.#clientListeners) redis.on(event, listener);
      if (redis.status === 'ready') void scripts.connectionReady();
    }
  }

  /**
   * Resolves once the client is connected and, on a standalone server, the
   * lock scripts are in its script cache, so the next call takes one round
   * trip. Connects a client created with `lazyConnect`. Rejects only when
   * `signal` aborts (with its reason); a failed script load is harmless and
   * does not count.
   *
   * Redlock bounds every call with `nodeTimeoutMs`, and that includes
   * connecting: await this (or `waitUntilReady(redlock)`) after creating
   * clients, before the first lock, when the timeout is short.
   */
  ready(signal?: AbortSignal): Promise<void> {
    return runWithDeadline(
      async (deadlineSignal) => {
        await untilConnected(this.#client, deadlineSignal);
        await this.#scripts?.connectionReady();
      },
      { signal, description: `ready on ${this.name}` },
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
   * Calls `onRelease(value)` whenever one of `keys` is released on this node
   * by any Redlock client, through pub/sub on a connection this node opens
   * on first use. Resolves once the server acknowledged the subscription.
   * Releases that happen while that connection is down are missed, so treat
   * it as a wake-up hint (which is how Redlock uses it), not as a guarantee.
   */
  async watch(keys: readonly string[], onRelease: ReleaseListener): Promise<() => Promise<void>> {
    invalid(describeInvalidKeys(keys));
    if (typeof onRelease !== 'function') {
      throw new InvalidArgumentError('onRelease must be a function');
    }
    const channels = keys.map((key) =>
      releaseChannel(this.#clientKeyPrefix + this.#options.keyPrefix + key),
    );
    const listeners = this.#channelListeners();
    return runWithDeadline(
      (deadlineSignal) => listeners.add(channels, (value) => onRelease(value), deadlineSignal),
      { timeoutMs: this.#options.commandTimeoutMs, description: `watch on ${this.name}` },
    );
  }

  /**
   * Closes the pub/sub connection `watch` opened, if any, at once. Never
   * closes the client you passed in (it only stops listening to its events).
   */
  async close(): Promise<void> {
    for (const [event, listener] of this.#clientListeners) this.#client.off(event, listener);
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#listeners?.clear();
    this.#listeners = undefined;
    // Not quit(): it would wait in the offline queue while the connection is
    // down, and forever for a frozen server. Nothing on this connection
    // needs an answer any more.
    if (subscriber) disconnectNow(subscriber);
  }

  #channelListeners(): ChannelListeners {
    if (this.#listeners) return this.#listeners;
    const subscriber = this.#client.isCluster
      ? (this.#client as Cluster).duplicate([], { enableOfflineQueue: true, lazyConnect: false })
      : (this.#client as Redis).duplicate({
          enableOfflineQueue: true,
          lazyConnect: false,
          autoResubscribe: true,
        });
    const listeners = new ChannelListeners({
      subscribe: async (channels) => {
        await subscriber.subscribe(...channels);
      },
      unsubscribe: async (channels) => {
        await subscriber.unsubscribe(...channels);
      },
    });
    // The subscriber reconnects on its own; its errors surface as rejected
    // watch() calls, and an 'error' event without a listener would be logged
    // by ioredis as unhandled.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, message: string) =>
      listeners.dispatch(channel, message),
    );
    this.#subscriber = subscriber;
    this.#listeners = listeners;
    return listeners;
  }

  /** Runs `script` on `keys` (validated, prefixed, slot-checked) within the caller's signal and the node's timeout. */
  #run(
    script: RedisScript,
    keys: readonly string[],
    args: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const prefixed = this.#options.keyPrefix
      ? keys.map((key) => this.#options.keyPrefix + key)
      : keys;
    if (this.#client.isCluster && keys.length > 1) {
      invalid(describeCrossSlotKeys(prefixed.map((key) => this.#clientKeyPrefix + key)));
    }
    const client = this.#client;
    // EVALSHA only where the scripts were loaded on this connection; a call
    // queued for a connection that is not ready yet goes out as EVAL.
    const scriptCached =
      this.#scripts === undefined ||
      ((client as Redis).status === 'ready' && this.#scripts.scriptsCached);
    return runWithDeadline(
      (deadlineSignal) =>
        evalScript(this.#evaluator, script, prefixed, args, deadlineSignal, scriptCached),
      {
        signal,
        timeoutMs: this.#options.commandTimeoutMs,
        description: `${script.name} on ${this.name}`,
      },
    );
  }
}

/** Resolves when `client` is ready; connects a `lazyConnect` client that has not connected yet. */
function untilConnected(client: IoredisClient, signal: AbortSignal | undefined): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const onReady = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    // The caller has already rejected; just stop listening.
    const onAbort = () => client.off('ready', onReady);
    client.once('ready', onReady);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (client.status === 'wait') client.connect().catch(() => undefined);
  });
}
