import {
  ConnectionStateTracker,
  type RedisClientPort,
  type RedisConnectionState,
  type RedisSubscriber,
  sharedStateTracker,
} from '@redlock/redis-scripts';
import {
  isCluster,
  type NodeRedisClient,
  type NodeRedisConnectionEvent,
  type NodeRedisMessageListener,
  type NodeRedisSingleClient,
  type NodeRedisSubscriber,
} from './node-redis-client.js';
import { nodeRedisNodeName } from './node-redis-node-name.js';

/** node-redis' default reply types (strings and numbers), whatever the client's own type mapping says. */
const DEFAULT_TYPE_MAPPING = {};

function stateOf(client: NodeRedisClient): RedisConnectionState {
  if (isCluster(client)) return { status: client.isOpen ? 'ready' : 'closed' };
  if (client.isReady) return { status: 'ready' };
  return { status: client.isOpen ? 'connecting' : 'closed' };
}

/** Follows a single client's events while someone watches; a cluster is read from `isOpen`. */
function trackState(client: NodeRedisClient): ConnectionStateTracker {
  return new ConnectionStateTracker(
    () => stateOf(client),
    (tracker) => {
      if (isCluster(client)) return () => undefined;
      const listeners: [NodeRedisConnectionEvent, (error?: unknown) => void][] = [
        ['connect', () => tracker.set({ status: 'connecting' })],
        ['ready', () => tracker.set({ status: 'ready' })],
        ['error', (error) => (client.isReady ? undefined : tracker.failed(error))],
        ['reconnecting', () => tracker.lost()],
        ['end', () => tracker.set({ status: 'closed' })],
      ];
      for (const [event, listener] of listeners) client.on(event, listener);
      return () => {
        for (const [event, listener] of listeners) client.off(event, listener);
      };
    },
  );
}

/** Drops a connection at once (pending commands reject); a no-op if it is already closed. */
function destroyQuietly(client: { readonly isOpen: boolean; destroy(): void }): void {
  if (!client.isOpen) return;
  try {
    client.destroy();
  } catch {
    // Already closing.
  }
}

/**
 * The {@link RedisClientPort} of a node-redis client (`createClient`) or
 * cluster (`createCluster`). A single client's connection events tell the
 * node when it is down; for a cluster each call finds out by itself.
 */
export function nodeRedisPort(client: NodeRedisClient): RedisClientPort {
  const tracker = sharedStateTracker(client, () => trackState(client));
  const send = (args: string[], keys: readonly string[], signal: AbortSignal | undefined) => {
    // The signal lets node-redis drop a command still waiting in its queue once we gave up.
    const options = { abortSignal: signal, typeMapping: DEFAULT_TYPE_MAPPING };
    return isCluster(client)
      ? client.sendCommand(keys[0], false, args, options)
      : client.sendCommand(args, options);
  };
  const port: RedisClientPort = {
    name: nodeRedisNodeName(client),
    isCluster: isCluster(client),
    keyPrefix: '',
    // node-redis' own flags are up to date at once (connect() opens the
    // client synchronously); the events add why a connection is down.
    get state() {
      const live = stateOf(client);
      return live.status === 'connecting' && tracker.state.status === 'down' ? tracker.state : live;
    },
    watchState: (listener) => tracker.watch(listener),
    evalSha: (sha1, keys, args, signal) =>
      send(['EVALSHA', sha1, String(keys.length), ...keys, ...args], keys, signal),
    eval: (source, keys, args, signal) =>
      send(['EVAL', source, String(keys.length), ...keys, ...args], keys, signal),
    // node-redis clients are connected by their owner (or by createRedlock).
    connect: () => undefined,
    createSubscriber: (onMessage) =>
      openSubscriber(
        isCluster(client)
          ? // Only its pub/sub connection; classic PUBLISH reaches every node of a Redis 7 cluster.
            client.duplicate({ minimizeConnections: true })
          : client.duplicate(),
        onMessage,
      ),
    quit: () => quitSingle(client as NodeRedisSingleClient),
    disconnect: () => disconnectNow(client),
  };
  if (!isCluster(client)) {
    port.loadScript = (source) =>
      client.sendCommand(['SCRIPT', 'LOAD', source], { typeMapping: DEFAULT_TYPE_MAPPING });
  }
  return port;
}

/**
 * Not with `client.close()`: it waits for every pending reply without a
 * bound, and once called, `destroy()` can no longer drop the socket. A PING
 * marks the end of what was sent (Redis answers in order); once it is
 * answered the connection is destroyed. A client still connecting gets its
 * PING once connected: node-redis destroyed while its first connection is
 * being opened still opens it afterwards, and then can no longer destroy it.
 */
async function quitSingle(client: NodeRedisSingleClient): Promise<void> {
  await client.sendCommand(['PING']);
  destroyQuietly(client);
}

/** Destroys the connection now (pending commands reject). */
function disconnectNow(client: NodeRedisClient): void {
  destroyQuietly(client);
}

/** The node's own pub/sub connection, connected on the first subscribe; once closed it stays closed. */
function openSubscriber(
  subscriber: NodeRedisSubscriber,
  onMessage: (channel: string, message: string) => void,
): RedisSubscriber {
  let connected: Promise<void> | undefined;
  let closed = false;
  // Connection problems surface as rejected watch() calls; node-redis throws
  // 'error' events nobody listens to, which would crash the process.
  subscriber.on('error', () => undefined);
  const listener: NodeRedisMessageListener = (message, channel) =>
    onMessage(channel.toString(), message.toString());
  const connect = (): Promise<void> => {
    if (closed) return Promise.reject(new Error('the node was closed'));
    connected ??= subscriber.connect().then(
      () => undefined,
      (error: unknown) => {
        // Let the next watch() try to connect again.
        connected = undefined;
        throw error;
      },
    );
    return connected;
  };
  return {
    async subscribe(channels) {
      await connect();
      await subscriber.subscribe([...channels], listener);
    },
    async unsubscribe(channels) {
      if (closed || !subscriber.isOpen) return;
      await subscriber.unsubscribe([...channels], listener);
    },
    close() {
      closed = true;
      // At once, even while it is still connecting to a server that is down.
      destroyQuietly(subscriber);
    },
  };
}
