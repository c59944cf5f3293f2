/**
 * The parts of node-redis (`redis` v5 and v6) clients this package uses,
 * typed structurally: the generics of real clients (modules, functions,
 * scripts, RESP version, type mapping) vary from app to app, and a cluster
 * with modules is not assignable to `RedisClusterType<any, ...>`. The node
 * only sends raw commands and decodes the replies itself, so every
 * parameterisation works.
 */

/** Per-command options the node passes to `sendCommand`. */
export interface NodeRedisCommandOptions {
  abortSignal?: AbortSignal;
  typeMapping?: object;
}

/** Typed for buffer mode too, as the cluster's `unsubscribe` asks; the node subscribes in string mode. */
export type NodeRedisMessageListener = (
  message: string | Buffer,
  channel: string | Buffer,
) => unknown;

/** A connection the node opens itself for pub/sub (a duplicate of your client or cluster). */
export interface NodeRedisSubscriber {
  readonly isOpen: boolean;
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Subscribes to `channels`; `listener` gets each message. */
  subscribe(channels: string[], listener: NodeRedisMessageListener): Promise<void>;
  /** Stops `listener` receiving `channels`. */
  unsubscribe(channels: string[], listener: NodeRedisMessageListener): Promise<void>;
  /** Listens to connection errors (an unhandled one would crash the process). */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Closes at once. */
  destroy(): void;
}

/** Connection events the node follows. */
export type NodeRedisConnectionEvent = 'connect' | 'ready' | 'reconnecting' | 'end' | 'error';

/** A client from `createClient()`. */
export interface NodeRedisSingleClient {
  readonly options?: object | undefined;
  readonly isOpen: boolean;
  readonly isReady: boolean;
  /** Sends one command as its arguments. */
  sendCommand(args: readonly string[], options?: NodeRedisCommandOptions): Promise<unknown>;
  /** A new client with the same options (the node uses it for pub/sub). */
  duplicate(): NodeRedisSubscriber;
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Closes at once. */
  destroy(): void;
  /** Listens to a connection event. */
  on(event: NodeRedisConnectionEvent, listener: (error?: unknown) => void): unknown;
  /** Stops listening. */
  off(event: NodeRedisConnectionEvent, listener: (error?: unknown) => void): unknown;
  /** Listens to the next such event only. */
  once(event: NodeRedisConnectionEvent, listener: (error?: unknown) => void): unknown;
}

/** A cluster from `createCluster()`. */
export interface NodeRedisCluster {
  readonly masters: readonly unknown[];
  readonly _options: object;
  readonly isOpen: boolean;
  /** Sends one command to the master of the slot of `firstKey`. */
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
  /** A new cluster client with the same options (the node uses it for pub/sub). */
  duplicate(overrides?: { minimizeConnections?: boolean }): NodeRedisSubscriber;
  /** Closes every connection at once. */
  destroy(): void;
}

/**
 * A client from `createSentinel()`: commands go to the master the sentinels
 * name, and its pub/sub connection follows that master too.
 */
export interface NodeRedisSentinel {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  /** Sends one command to the master (`isReadonly` false). */
  sendCommand(
    isReadonly: boolean | undefined,
    args: string[],
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
  /** Subscribes `listener` to `channels` on the client's own pub/sub connection to the master. */
  subscribe(channels: string[], listener: NodeRedisMessageListener): Promise<unknown>;
  /** Stops `listener` receiving `channels` (other listeners keep theirs). */
  unsubscribe(channels: string[], listener: NodeRedisMessageListener): Promise<unknown>;
  /** The master the sentinels named last. */
  getMasterNode(): unknown;
  /** Closes every connection at once. */
  destroy(): unknown;
}

/** A node-redis client from `createClient()` or cluster from `createCluster()`. */
export type NodeRedisClient = NodeRedisSingleClient | NodeRedisCluster;

/** What `NodeRedisLockNode` locks on: a client, a cluster or a `createSentinel()` client. */
export type NodeRedisAnyClient = NodeRedisClient | NodeRedisSentinel;

/** Clusters have `masters`; single-server clients do not. */
export function isCluster(client: NodeRedisClient): client is NodeRedisCluster {
  return 'masters' in client;
}

/** Sentinel clients answer `getMasterNode()`; the others have no such method. */
export function isSentinel(client: NodeRedisAnyClient): client is NodeRedisSentinel {
  return typeof (client as Partial<NodeRedisSentinel>).getMasterNode === 'function';
}

/**
 * Why `value` is not a client this package can lock on, or `undefined` when
 * it is one: an ioredis client looks alike from JavaScript but fails on the
 * first command.
 */
export function describeWrongClient(value: unknown): string | undefined {
  const usage =
    'NodeRedisLockNode needs a node-redis client, cluster or createSentinel() client, e.g. new NodeRedisLockNode(await createClient({ url }).connect())';
  if (value === null || typeof value !== 'object') return usage;
  const candidate = value as Record<string, unknown>;
  if (typeof candidate.evalsha === 'function' && typeof candidate.status === 'string') {
    return `${usage}; this is an ioredis client: use IoredisLockNode from @redlock/ioredis`;
  }
  if (typeof candidate.getMasterNode === 'function') {
    const sentinel =
      typeof candidate.sendCommand === 'function' &&
      typeof candidate.subscribe === 'function' &&
      typeof candidate.unsubscribe === 'function';
    return sentinel ? undefined : usage;
  }
  if (typeof candidate.sendCommand !== 'function' || typeof candidate.duplicate !== 'function') {
    return usage;
  }
  const single = typeof candidate.isReady === 'boolean' && typeof candidate.on === 'function';
  if (!single && !('masters' in candidate)) return usage;
  return undefined;
}
