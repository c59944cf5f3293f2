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
  ScriptPreloader,
  withKeyPrefix,
} from '@redlock/redis-scripts';
import {
  isCluster,
  type NodeRedisClient,
  type NodeRedisConnectionEvent,
  type NodeRedisMessageListener,
  type NodeRedisSingleClient,
  type NodeRedisSubscriber,
} from './node-redis-client.js';
import {
  type NodeRedisLockNodeOptions,
  type ResolvedNodeOptions,
  resolveNodeOptions,
} from './node-redis-lock-node-options.js';
import { nodeRedisNodeName } from './node-redis-node-name.js';

function invalid(problem: string | undefined): void {
  if (problem !== undefined) throw new InvalidArgumentError(problem);
}

/** node-redis' default reply types (strings and numbers), whatever the client's own type mapping says. */
const DEFAULT_TYPE_MAPPING = {};

/**
 * A {@link LockNode} on one Redis deployment through a node-redis (`redis`
 * v5) client or cluster. Connect the client before using the node.
 *
 * ```ts
 * import { createClient } from 'redis';
 * import { Redlock } from '@redlock/core';
 * import { NodeRedisLockNode } from '@redlock/node-redis';
 *
 * const clients = await Promise.all(
 *   ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379', 'redis://10.0.0.3:6379']
 *     .map((url) => createClient({ url }).on('error', console.error).connect()),
 * );
 * const redlock = new Redlock(clients.map((client) => new NodeRedisLockNode(client)));
 * ```
 *
 * Every operation is one Lua script (`EVALSHA`, resent with `EVAL` after a
 * `NOSCRIPT`), so multi-key locks are atomic. On a single server the node
 * loads the scripts (`SCRIPT LOAD`) whenever the client's connection becomes
 * ready, and sends calls queued before that as `EVAL`, so the first call on
 * a new connection is one round trip; `ready()` waits for that. On a
 * cluster the keys of one lock must share a hash tag (`{orders}:1`,
 * `{orders}:2`); keys in different slots are refused before anything is
 * sent. `watch` subscribes on a duplicate connection the node opens on first
 * use and `close()` drops; the client you pass in is never closed by the
 * node.
 */
export class NodeRedisLockNode implements LockNode {
  /** e.g. `redis://10.0.0.3:6379/0` or `redis-cluster://10.0.0.1:7000,10.0.0.2:7000`; never credentials. */
  readonly name: string;

  readonly #client: NodeRedisClient;
  readonly #options: ResolvedNodeOptions;
  readonly #commands = lockCommands(
    (script, keys, args, signal) => this.#run(script, keys, args, signal),
    (problem) => new InvalidArgumentError(problem),
  );
  /** The node's own pub/sub connection and its listeners, from the first watch() to close(). */
  #pubSub: PubSub | undefined;
  /** Loads the scripts on every new connection of a single-server client; a cluster has many servers and none. */
  readonly #scripts: ScriptPreloader | undefined;
  /** What the node listens to on the client, removed again by `close()`. */
  readonly #clientListeners: readonly (readonly [NodeRedisConnectionEvent, () => void])[];

  constructor(client: NodeRedisClient, options: NodeRedisLockNodeOptions = {}) {
    if (
      client === null ||
      typeof client !== 'object' ||
      typeof (client as { sendCommand?: unknown }).sendCommand !== 'function'
    ) {
      throw new InvalidArgumentError(
        'NodeRedisLockNode needs a node-redis client or cluster, e.g. new NodeRedisLockNode(await createClient({ url }).connect())',
      );
    }
    this.#client = client;
    this.#options = resolveNodeOptions(options);
    this.name = withKeyPrefix(nodeRedisNodeName(client), this.#options.keyPrefix);

    if (isCluster(client)) {
      this.#scripts = undefined;
      this.#clientListeners = [];
    } else {
      const scripts = new ScriptPreloader(() =>
        Promise.all(
          preloadedScripts.map((script) =>
            client.sendCommand(['SCRIPT', 'LOAD', script.source], {
              typeMapping: DEFAULT_TYPE_MAPPING,
            }),
          ),
        ),
      );
      this.#scripts = scripts;
      const lost = () => scripts.connectionLost();
      this.#clientListeners = [
        ['ready', () => void scripts.connectionReady()],
        ['reconnecting', lost],
        ['end', lost],
      ];
      for (const [event, listener] of this.#clientListeners) client.on(event, listener);
      if (client.isReady) void scripts.connectionReady();
    }
  }

  /**
   * Resolves once the client is connected and the lock scripts are in its
   * server's script cache, so the next call takes one round trip. It waits
   * for a client that is still connecting (or not connected yet: connect it
   * yourself). Rejects only when `signal` aborts (with its reason); a failed
   * script load is harmless and does not count. For a cluster, which must be
   * connected before use, it resolves at once.
   *
   * Redlock bounds every call with `nodeTimeoutMs`, and that includes
   * connecting: await this (or `waitUntilReady(redlock)`) after creating
   * clients, before the first lock, when the timeout is short.
   */
  ready(signal?: AbortSignal): Promise<void> {
    const client = this.#client;
    if (isCluster(client))
      return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
    return runWithDeadline(
      async (deadlineSignal) => {
        await untilConnected(client, deadlineSignal);
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
   * by any Redlock client, through pub/sub on a duplicate connection this
   * node opens on first use. Resolves once the server acknowledged the
   * subscription. Releases that happen while that connection is down are
   * missed, so treat it as a wake-up hint (which is how Redlock uses it).
   */
  async watch(keys: readonly string[], onRelease: ReleaseListener): Promise<() => Promise<void>> {
    invalid(describeInvalidKeys(keys));
    if (typeof onRelease !== 'function') {
      throw new InvalidArgumentError('onRelease must be a function');
    }
    const channels = keys.map((key) => releaseChannel(this.#options.keyPrefix + key));
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
    if (!isCluster(this.#client)) {
      for (const [event, listener] of this.#clientListeners) this.#client.off(event, listener);
    }
    const pubSub = this.#pubSub;
    this.#pubSub = undefined;
    pubSub?.close();
  }

  #channelListeners(): ChannelListeners {
    this.#pubSub ??= new PubSub(
      isCluster(this.#client)
        ? // A cluster duplicate with minimizeConnections only opens its pub/sub
          // connection; classic PUBLISH reaches every node of a Redis 7 cluster.
          this.#client.duplicate({ minimizeConnections: true })
        : this.#client.duplicate(),
    );
    return this.#pubSub.listeners;
  }

  /** Runs `script` on `keys` (prefixed, slot-checked) within the caller's signal and the node's timeout. */
  #run(
    script: RedisScript,
    keys: readonly string[],
    args: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const prefixed = this.#options.keyPrefix
      ? keys.map((key) => this.#options.keyPrefix + key)
      : keys;
    const client = this.#client;
    if (isCluster(client) && keys.length > 1) invalid(describeCrossSlotKeys(prefixed));
    // EVALSHA only where the scripts were loaded on this connection; a call
    // queued for a connection that is not ready yet goes out as EVAL.
    const scriptCached =
      isCluster(client) || (client.isReady && this.#scripts?.scriptsCached === true);
    return runWithDeadline(
      (deadlineSignal) => {
        // The deadline signal lets node-redis drop a command that is still
        // waiting in its queue (e.g. while reconnecting) once we gave up.
        const options = { abortSignal: deadlineSignal, typeMapping: DEFAULT_TYPE_MAPPING };
        const send = (command: string[]): Promise<unknown> =>
          isCluster(client)
            ? client.sendCommand(prefixed[0], false, command, options)
            : client.sendCommand(command, options);
        return evalScript(
          {
            evalSha: (sha1, scriptKeys, scriptArgs) =>
              send(['EVALSHA', sha1, String(scriptKeys.length), ...scriptKeys, ...scriptArgs]),
            eval: (source, scriptKeys, scriptArgs) =>
              send(['EVAL', source, String(scriptKeys.length), ...scriptKeys, ...scriptArgs]),
          },
          script,
          prefixed,
          args,
          deadlineSignal,
          scriptCached,
        );
      },
      {
        signal,
        timeoutMs: this.#options.commandTimeoutMs,
        description: `${script.name} on ${this.name}`,
      },
    );
  }
}

/**
 * A pub/sub connection the node owns, with the listeners on it. Once
 * closed, it stays closed: a late watch() or unsubscribe of this generation
 * must not reopen it (a later watch() gets a new PubSub).
 */
class PubSub {
  readonly listeners: ChannelListeners;
  readonly #client: NodeRedisSubscriber;
  #connected: Promise<void> | undefined;
  #closed = false;

  constructor(client: NodeRedisSubscriber) {
    this.#client = client;
    // Connection problems surface as rejected watch() calls; node-redis
    // throws 'error' events nobody listens to, which would crash the process.
    client.on('error', () => undefined);
    const onMessage: NodeRedisMessageListener = (message, channel) =>
      this.listeners.dispatch(channel.toString(), message.toString());
    this.listeners = new ChannelListeners({
      subscribe: async (channels) => {
        await this.#connect();
        await client.subscribe([...channels], onMessage);
      },
      unsubscribe: async (channels) => {
        if (this.#closed || !client.isOpen) return;
        await client.unsubscribe([...channels], onMessage);
      },
    });
  }

  close(): void {
    this.#closed = true;
    this.listeners.clear();
    // At once, even while it is still connecting to a server that is down.
    destroyQuietly(this.#client);
  }

  #connect(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the node was closed'));
    this.#connected ??= this.#client.connect().then(
      () => undefined,
      (error: unknown) => {
        // Let the next watch() try to connect again.
        this.#connected = undefined;
        throw error;
      },
    );
    return this.#connected;
  }
}

/** Resolves when `client` is ready (it may still have to be connected by its owner). */
function untilConnected(
  client: NodeRedisSingleClient,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (client.isReady) return Promise.resolve();
  return new Promise((resolve) => {
    const onReady = () => {
      client.off('ready', onReady);
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    // The caller has already rejected; just stop listening.
    const onAbort = () => client.off('ready', onReady);
    client.on('ready', onReady);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Drops a connection at once (pending commands reject); a no-op if it is already closed. */
function destroyQuietly(client: NodeRedisSubscriber | undefined): void {
  if (!client?.isOpen) return;
  try {
    client.destroy();
  } catch {
    // Already closing.
  }
}
