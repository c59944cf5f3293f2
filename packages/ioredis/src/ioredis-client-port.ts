import {
  ConnectionStateTracker,
  type RedisClientPort,
  type RedisConnectionState,
  type RedisSubscriber,
} from '@redlock/redis-scripts';
import type { Cluster, Redis } from 'ioredis';
import { ioredisNodeName } from './ioredis-node-name.js';

/** The ioredis clients a node can run on: a standalone (or Sentinel) `Redis`, or a `Cluster`. */
export type IoredisClient = Redis | Cluster;

const ignore = () => undefined;

function stateOf(client: IoredisClient): RedisConnectionState {
  if (client.status === 'ready') return { status: 'ready' };
  if (client.status === 'end') return { status: 'closed' };
  return { status: 'connecting' };
}

/**
 * Drops an ioredis connection at once, without waiting for the server.
 * `disconnect()` alone only half-closes the socket and then waits up to the
 * client's `disconnectTimeout` (2 s, with a timer) for the server's side,
 * which a frozen server never closes; destroying the sockets ends it now.
 */
function disconnectNow(client: IoredisClient): void {
  const connections = client.isCluster ? (client as Cluster).nodes() : [client as Redis];
  const sockets = connections.map((connection) => connection.stream);
  try {
    client.disconnect();
  } catch {
    // Already closed.
  }
  for (const socket of sockets) socket?.destroy();
}

/** Follows the client's events while someone watches the state; a closed node leaves no listener behind. */
function trackState(client: IoredisClient): ConnectionStateTracker {
  return new ConnectionStateTracker(
    () => stateOf(client),
    (tracker) => {
      const listeners: [string, (error?: unknown) => void][] = [
        ['ready', () => tracker.set({ status: 'ready' })],
        // ioredis emits the connection error before 'close'; while ready
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

/**
 * The {@link RedisClientPort} of an ioredis `Redis` (standalone or
 * Sentinel-managed) or `Cluster`. While the node is open it listens to the
 * client's `ready`, `error`, `close` and `end` events, to fail calls at once
 * with the real cause when the connection is down.
 */
export function ioredisPort(client: IoredisClient): RedisClientPort {
  const tracker = trackState(client);
  const keyPrefix = client.options.keyPrefix;
  const port: RedisClientPort = {
    name: ioredisNodeName(client),
    isCluster: client.isCluster,
    keyPrefix: typeof keyPrefix === 'string' ? keyPrefix : '',
    get state() {
      return tracker.state;
    },
    watchState: (listener) => tracker.watch(listener),
    evalSha: (sha1, keys, args) => client.evalsha(sha1, keys.length, ...keys, ...args),
    eval: (source, keys, args) => client.eval(source, keys.length, ...keys, ...args),
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
  if (!client.isCluster) port.loadScript = (source) => (client as Redis).script('LOAD', source);
  return port;
}

/** A duplicate connection for pub/sub; classic PUBLISH reaches every node of a Redis 7 cluster. */
function openSubscriber(
  client: IoredisClient,
  onMessage: (channel: string, message: string) => void,
): RedisSubscriber {
  const subscriber = client.isCluster
    ? (client as Cluster).duplicate([], { enableOfflineQueue: true, lazyConnect: false })
    : (client as Redis).duplicate({
        enableOfflineQueue: true,
        lazyConnect: false,
        autoResubscribe: true,
      });
  // Its errors surface as rejected watch() calls; without a listener ioredis
  // would log them as unhandled.
  subscriber.on('error', ignore);
  subscriber.on('message', onMessage);
  return {
    subscribe: async (channels) => {
      await subscriber.subscribe(...channels);
    },
    unsubscribe: async (channels) => {
      await subscriber.unsubscribe(...channels);
    },
    // Not quit(): it would wait in the offline queue while the connection is
    // down, and forever for a frozen server.
    close: () => disconnectNow(subscriber),
  };
}
