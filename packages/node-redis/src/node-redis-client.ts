/**
 * The parts of node-redis (`redis` v5) clients this package uses, typed
 * structurally: the generics of real clients (modules, functions, scripts,
 * RESP version, type mapping) vary from app to app, and a cluster with
 * modules is not assignable to `RedisClusterType<any, ...>`. The node only
 * sends raw commands and decodes the replies itself, so every
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
  connect(): Promise<unknown>;
  subscribe(channels: string[], listener: NodeRedisMessageListener): Promise<void>;
  unsubscribe(channels: string[], listener: NodeRedisMessageListener): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  destroy(): void;
}

/** Connection events the node follows to load its scripts on every new connection. */
export type NodeRedisConnectionEvent = 'ready' | 'reconnecting' | 'end';

/** A client from `createClient()`. */
export interface NodeRedisSingleClient {
  readonly options?: object | undefined;
  readonly isOpen: boolean;
  readonly isReady: boolean;
  sendCommand(args: readonly string[], options?: NodeRedisCommandOptions): Promise<unknown>;
  duplicate(): NodeRedisSubscriber;
  close(): Promise<void>;
  destroy(): void;
  on(event: NodeRedisConnectionEvent, listener: () => void): unknown;
  off(event: NodeRedisConnectionEvent, listener: () => void): unknown;
}

/** A cluster from `createCluster()`. */
export interface NodeRedisCluster {
  readonly masters: readonly unknown[];
  readonly _options: object;
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
  duplicate(overrides?: { minimizeConnections?: boolean }): NodeRedisSubscriber;
}

/** A node-redis client from `createClient()` or cluster from `createCluster()` (`redis` v5). */
export type NodeRedisClient = NodeRedisSingleClient | NodeRedisCluster;

/** Clusters have `masters`; single-server clients do not. */
export function isCluster(client: NodeRedisClient): client is NodeRedisCluster {
  return 'masters' in client;
}
