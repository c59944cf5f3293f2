/**
 * The client port for the ioredis API family: ioredis 5 and 6 and its fork
 * iovalkey share one client API (`Redis`, `Cluster`, `status`, `duplicate`,
 * the same events), so the port is written once here against that shape and
 * `@redlock/ioredis` and `@redlock/iovalkey` only add their typings. No
 * client library is imported: the shape is structural.
 */
import { formatClusterName, formatRedisName, parseRedisUrl } from './node-name.js';
import {
  ConnectionStateTracker,
  type RedisClientPort,
  type RedisConnectionState,
  type RedisSubscriber,
  sharedStateTracker,
} from './redis-client-port.js';
import {
  type IoredisFamilyPipeline,
  type ScriptArguments,
  type ScriptCommand,
  sharedTickBatcher,
} from './tick-batcher.js';

// biome-ignore lint/suspicious/noExplicitAny: event listeners of the client libraries take any arguments
type Listener = (...args: any[]) => void;

/** What the port uses of an ioredis-family `Redis` (standalone or Sentinel-managed) or `Cluster`. */
export interface IoredisFamilyClient {
  readonly status: string;
  readonly isCluster: boolean;
  readonly options: {
    readonly keyPrefix?: unknown;
    readonly redisOptions?: { readonly tls?: unknown };
  } & Record<string, unknown>;
  /** A standalone client's socket. */
  readonly stream?:
    | {
        /** Drops the socket at once. */
        destroy(): void;
      }
    | undefined;
  /** Runs a cached script by its SHA1 (`EVALSHA`). */
  evalsha(...argv: ScriptArguments): Promise<unknown>;
  /** Runs a script from its source (`EVAL`), which also caches it. */
  eval(...argv: ScriptArguments): Promise<unknown>;
  /** A pipeline: the commands added to it go out in one write on `exec()`. */
  pipeline(): IoredisFamilyPipeline;
  /** `SCRIPT LOAD`: caches a script without running it. */
  script(subcommand: 'LOAD', source: string): Promise<unknown>;
  /** Connects a client created with `lazyConnect`. */
  connect(): Promise<unknown>;
  /** Closes gracefully: replies still in flight arrive first. */
  quit(): Promise<unknown>;
  /** Closes at once, without waiting for the server. */
  disconnect(): void;
  /** Listens to a client event (`ready`, `error`, `end`, `message`, ...). */
  on(event: string, listener: Listener): unknown;
  /** Listens to the next such event only. */
  once(event: string, listener: Listener): unknown;
  /** Stops listening. */
  off(event: string, listener: Listener): unknown;
  /** Subscribes this connection to pub/sub channels. */
  subscribe(...channels: string[]): Promise<unknown>;
  /** Unsubscribes this connection from pub/sub channels. */
  unsubscribe(...channels: string[]): Promise<unknown>;
  /** `Redis#duplicate(options)`, or `Cluster#duplicate(startupNodes, options)`. */
  duplicate(...args: unknown[]): IoredisFamilyClient;
  /** A cluster's node connections. */
  nodes?(): IoredisFamilyClient[];
}

const ignore = () => undefined;

/**
 * Whether `client` looks like an ioredis-family client: lower-case command
 * methods, `duplicate()` and a `status` string. node-redis and GLIDE clients
 * have none of these, so a wrong client is refused at construction.
 */
export function isIoredisFamilyClient(client: unknown): client is IoredisFamilyClient {
  const candidate = client as Partial<Record<'evalsha' | 'duplicate' | 'status', unknown>> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.evalsha === 'function' &&
    typeof candidate.duplicate === 'function' &&
    typeof candidate.status === 'string'
  );
}

function stateOf(client: IoredisFamilyClient): RedisConnectionState {
  if (client.status === 'ready') return { status: 'ready' };
  if (client.status === 'end') return { status: 'closed' };
  return { status: 'connecting' };
}

/**
 * Drops a connection at once, without waiting for the server.
 * `disconnect()` alone only half-closes the socket and then waits up to the
 * client's `disconnectTimeout` (2 s, with a timer) for the server's side,
 * which a frozen server never closes; destroying the sockets ends it now.
 */
function disconnectNow(client: IoredisFamilyClient): void {
  const connections = client.isCluster ? (client.nodes?.() ?? []) : [client];
  const sockets = connections.map((connection) => connection.stream);
  try {
    client.disconnect();
  } catch {
    // Already closed.
  }
  for (const socket of sockets) socket?.destroy();
}

/** Follows the client's events while someone watches the state; a closed node leaves no listener behind. */
function trackState(client: IoredisFamilyClient): ConnectionStateTracker {
  return new ConnectionStateTracker(
    () => stateOf(client),
    (tracker) => {
      const listeners: [string, (error?: unknown) => void][] = [
        ['ready', () => tracker.set({ status: 'ready' })],
        // The client emits the connection error before 'close'; while ready
        // an error is a broken connection, not yet a failed reconnect.
        ['error', (error) => (client.status === 'ready' ? undefined : tracker.failed(error))],
        ['close', () => tracker.lost()],
        ['end', () => tracker.set({ status: 'closed' })],
      ];
      for (const [event, listener] of listeners) client.on(event, listener);
      return () => {
        for (const [event, listener] of listeners) client.off(event, listener);
      };
    },
  );
}

interface SeedAddress {
  host?: string | undefined;
  port?: number | string | undefined;
}

/** A cluster seed as the client accepts it: a port, `"host:port"`, a URL, or `{ host, port }`. */
function seedAddress(seed: unknown): SeedAddress {
  if (typeof seed === 'number') return { port: seed };
  if (typeof seed === 'string') {
    const fromUrl = parseRedisUrl(seed);
    if (fromUrl) return fromUrl;
    const separator = seed.lastIndexOf(':');
    if (separator === -1) return /^\d+$/.test(seed) ? { port: seed } : { host: seed };
    return { host: seed.slice(0, separator), port: seed.slice(separator + 1) };
  }
  if (seed !== null && typeof seed === 'object') {
    const { host, port } = seed as SeedAddress;
    return { host, port };
  }
  return {};
}

/**
 * The credential-free name of an ioredis-family client: `redis://host:port/db`,
 * `rediss://...` with TLS, `redis+unix:///path?db=0`, `redis-sentinel://` with
 * the sentinels and master name, or `redis-cluster://seed1,seed2` for a
 * `Cluster` (its seed nodes, which stay stable while the topology changes).
 */
export function ioredisFamilyNodeName(client: IoredisFamilyClient): string {
  if (client.isCluster) {
    // The client keeps the seeds as given in a field its typings mark private.
    const seeds = (client as unknown as { startupNodes?: unknown[] }).startupNodes ?? [];
    return formatClusterName(seeds.map(seedAddress), Boolean(client.options.redisOptions?.tls));
  }
  const options = client.options as Record<string, unknown> & {
    sentinels?: SeedAddress[] | undefined;
    name?: string | undefined;
  };
  if (Array.isArray(options.sentinels) && options.sentinels.length > 0) {
    const sentinels = formatClusterName(options.sentinels).replace(/^redis-cluster:/, '');
    return `redis-sentinel:${sentinels}/${options.name ?? 'mymaster'}/${Number(options.db ?? 0) || 0}`;
  }
  return formatRedisName({
    tls: Boolean(options.tls),
    host: options.host as string | undefined,
    port: options.port as number | undefined,
    path: options.path as string | undefined,
    db: options.db as number | undefined,
  });
}

/**
 * The {@link RedisClientPort} of an ioredis-family `Redis` (standalone or
 * Sentinel-managed) or `Cluster`. While the node is open it listens to the
 * client's `ready`, `error`, `close` and `end` events, to fail calls at once
 * with the real cause when the connection is down.
 */
export function ioredisFamilyPort(client: IoredisFamilyClient): RedisClientPort {
  const tracker = sharedStateTracker(client, () => trackState(client));
  const keyPrefix = client.options.keyPrefix;
  // The calls of one turn share a write (tick-batcher.ts); not on a Cluster,
  // whose pipelines must keep to one slot, nor with enableAutoPipelining,
  // which batches on its own.
  const batcher =
    client.isCluster || client.options.enableAutoPipelining ? undefined : sharedTickBatcher(client);
  const send = (command: ScriptCommand, argv: ScriptArguments): Promise<unknown> =>
    batcher ? batcher.send(command, argv) : client[command](...argv);
  const port: RedisClientPort = {
    name: ioredisFamilyNodeName(client),
    isCluster: client.isCluster,
    keyPrefix: typeof keyPrefix === 'string' ? keyPrefix : '',
    get state() {
      return tracker.state;
    },
    watchState: (listener) => tracker.watch(listener),
    evalSha: (sha1, keys, args) => send('evalsha', [sha1, keys.length, ...keys, ...args]),
    eval: (source, keys, args) => send('eval', [source, keys.length, ...keys, ...args]),
    connect() {
      if (client.status === 'wait') client.connect().catch(ignore);
    },
    createSubscriber: (onMessage) => openSubscriber(client, onMessage),
    async quit() {
      // Resolved once the socket is closed, not just when QUIT was answered.
      const ended = new Promise((resolve) => client.once('end', resolve));
      await client.quit();
      await ended;
    },
    disconnect: () => disconnectNow(client),
  };
  if (!client.isCluster) port.loadScript = (source) => client.script('LOAD', source);
  return port;
}

/** A duplicate connection for pub/sub; classic PUBLISH reaches every node of a Redis 7 cluster. */
function openSubscriber(
  client: IoredisFamilyClient,
  onMessage: (channel: string, message: string) => void,
): RedisSubscriber {
  // A Cluster resubscribes on its own, and handles the failures of it.
  if (client.isCluster) {
    return subscriberOver(
      client.duplicate([], { enableOfflineQueue: true, lazyConnect: false }),
      onMessage,
    );
  }
  // Not the client's autoResubscribe: after a reconnect it sends SUBSCRIBE
  // without handling its rejection, so a refused SUBSCRIBE (an ACL) or a
  // close before the reply crashes a process that treats unhandled
  // rejections as fatal (Node's default). This resubscribes instead.
  const subscriber = client.duplicate({
    enableOfflineQueue: true,
    lazyConnect: false,
    autoResubscribe: false,
  });
  const channels = new Set<string>();
  let wasReady = false;
  subscriber.on('ready', () => {
    // A failed resubscription only costs the wake-ups on this node; waiters
    // still retry on their own timers.
    if (wasReady && channels.size > 0) subscriber.subscribe(...channels).catch(ignore);
    wasReady = true;
  });
  return subscriberOver(subscriber, onMessage, channels);
}

/** The {@link RedisSubscriber} over an open pub/sub connection, recording its channels in `channels`. */
function subscriberOver(
  subscriber: IoredisFamilyClient,
  onMessage: (channel: string, message: string) => void,
  channels = new Set<string>(),
): RedisSubscriber {
  // Its errors surface as rejected watch() calls; without a listener the
  // client would log them as unhandled.
  subscriber.on('error', ignore);
  subscriber.on('message', onMessage);
  return {
    subscribe: async (names) => {
      for (const name of names) channels.add(name);
      await subscriber.subscribe(...names);
    },
    unsubscribe: async (names) => {
      for (const name of names) channels.delete(name);
      await subscriber.unsubscribe(...names);
    },
    // Not quit(): it would wait in the offline queue while the connection is
    // down, and forever for a frozen server.
    close: () => disconnectNow(subscriber),
  };
}
