import {
  InvalidArgumentError,
  type LockNode,
  Redlock,
  type RedlockOptions,
  validateTimerMs,
} from '@redlock/core';
import {
  DEFAULT_REDIS_URL,
  isPlainObject,
  parseRedisConnection,
  type RedisConnectionOptions,
  type RedisConnectionSpec,
} from './connection-spec.js';
import type { RedisLockNodeOptions, RedisLockNodeSettings } from './redis-lock-node-options.js';

/** How long `redlock.close()` waits for a client it created to quit gracefully, by default. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 1000;

/** What one client package tells {@link redlockFactory} about its client. */
export interface RedisClientBinding<Client, ClientOptions> {
  /**
   * A node over a client: a client you passed in (`settings.ownedClient`
   * unset), or one {@link openClient} created. Throws an
   * `InvalidArgumentError` for anything that is not this package's client.
   */
  createNode(client: Client, settings: RedisLockNodeSettings): LockNode;
  /** Creates a client for `spec` that does not connect yet, with an `error` listener attached. */
  openClient(spec: RedisConnectionSpec, clientOptions: ClientOptions | undefined): Client;
  /** Starts connecting a client {@link openClient} created; never throws or rejects. */
  connectClient(client: Client, clientOptions: ClientOptions | undefined): void;
}

/** Options of `createRedlock`: Redlock's, the nodes', and those of the clients it creates. */
export interface CreateRedisRedlockOptions<ClientOptions>
  extends RedlockOptions,
    RedisLockNodeOptions {
  /** Client options for the clients created from URLs and connection objects (ignored for clients you pass in). */
  readonly clientOptions?: ClientOptions;
  /**
   * How long `redlock.close()` lets each client it created quit gracefully
   * (replies still in flight arrive) before it drops the connection. A
   * server that is frozen or unreachable never answers; this bounds
   * `close()`. Default {@link DEFAULT_CLOSE_TIMEOUT_MS} (1000 ms); 0 drops at once.
   */
  readonly closeTimeoutMs?: number;
}

/** A client package's `createRedlock`: servers (default `redis://127.0.0.1:6379/0`) and options in, a `Redlock` out. */
export type CreateRedlock<Client, ClientOptions> = (
  servers?: RedisServerEntry<Client> | readonly RedisServerEntry<Client>[],
  options?: CreateRedisRedlockOptions<ClientOptions>,
) => Redlock;

/** One server for `createRedlock`: a client, a URL, or a connection object. */
export type RedisServerEntry<Client> = Client | string | RedisConnectionOptions;

/**
 * Builds a client package's `createRedlock`: the argument handling, the
 * clients it creates, and their bounded close, once for every client.
 * Clients it creates are owned by their nodes, so `redlock.close()` (and
 * `await using`) closes them within `closeTimeoutMs`; clients you pass in
 * stay open.
 */
export function redlockFactory<Client, ClientOptions>(
  binding: RedisClientBinding<Client, ClientOptions>,
): CreateRedlock<Client, ClientOptions> {
  return (servers = DEFAULT_REDIS_URL, options = {}) => {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError('createRedlock options must be an object');
    }
    const {
      commandTimeoutMs,
      keyPrefix,
      clientOptions,
      closeTimeoutMs = DEFAULT_CLOSE_TIMEOUT_MS,
      ...redlockOptions
    } = options;
    validateTimerMs('closeTimeoutMs', closeTimeoutMs);
    const entries: readonly unknown[] = Array.isArray(servers) ? servers : [servers];
    if (entries.length === 0) {
      throw new InvalidArgumentError(
        'createRedlock needs at least one client, URL or connection object',
      );
    }
    // Everything is checked before any client is created, so a bad entry leaves nothing open.
    const parsed = entries.map((entry, index) => {
      const label = entries.length === 1 ? 'the server' : `server ${index}`;
      const isConnection =
        typeof entry === 'string' ||
        (entry !== null && typeof entry === 'object' && isPlainObject(entry));
      return isConnection ? parseRedisConnection(entry, label) : { client: entry as Client };
    });
    const nodeOptions: RedisLockNodeOptions = { commandTimeoutMs, keyPrefix };
    const owned: Client[] = [];
    const nodes: LockNode[] = [];
    try {
      for (const item of parsed) {
        if ('client' in item) {
          nodes.push(binding.createNode(item.client, nodeOptions));
          continue;
        }
        const client = binding.openClient(item, clientOptions);
        owned.push(client);
        nodes.push(binding.createNode(client, { ...nodeOptions, ownedClient: { closeTimeoutMs } }));
      }
      const redlock = new Redlock(nodes, redlockOptions);
      for (const client of owned) binding.connectClient(client, clientOptions);
      return redlock;
    } catch (error) {
      // Nothing connected yet: closing the nodes drops the clients they own at once.
      for (const node of nodes) void node.close?.().catch(() => undefined);
      throw error;
    }
  };
}
