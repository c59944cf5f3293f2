import {
  ConnectionStateTracker,
  type RedisClientPort,
  type RedisConnectionState,
  type RedisSubscriber,
} from '@redlock/redis-scripts';
import type { NodeRedisMessageListener, NodeRedisSentinel } from './node-redis-client.js';

/** node-redis' default reply types (strings and numbers), whatever the client's own type mapping says. */
const DEFAULT_TYPE_MAPPING = {};

const ignore = () => undefined;

function stateOf(client: NodeRedisSentinel): RedisConnectionState {
  if (client.isReady) return { status: 'ready' };
  return { status: client.isOpen ? 'connecting' : 'closed' };
}

/** Drops every connection of the client; a no-op if it is already closed. */
function destroyQuietly(client: NodeRedisSentinel): void {
  if (!client.isOpen) return;
  try {
    // Async in node-redis: a rejection must not become an unhandled one.
    Promise.resolve(client.destroy()).catch(ignore);
  } catch {
    // Already closing.
  }
}

/**
 * The {@link RedisClientPort} of a node-redis `createSentinel()` client,
 * named `name` (see `nodeRedisSentinelName`).
 *
 * - Scripts go to the master through `sendCommand(false, ...)`. After a
 *   failover, node-redis asks the sentinels again (on `switch-master`, or on
 *   a `READONLY` reply) and retries the command on the new master.
 * - No `loadScript`: the client swaps its master connection by itself, so
 *   the node cannot preload the new one; `EVALSHA` falls back to `EVAL` once.
 * - State is read from `isReady`/`isOpen`: the client stays `isReady` while
 *   it looks for a new master (commands wait, then go out), so a failover
 *   shows as calls that take longer, never as a node known to be down.
 * - `watch` uses the client's own pub/sub connection, which follows the
 *   master; the node subscribes its own listener and unsubscribes it on
 *   `close()`, leaving that connection to the client's owner.
 */
export function nodeRedisSentinelPort(client: NodeRedisSentinel, name: string): RedisClientPort {
  // The client has no connection events (v5); nobody is told of a change.
  const tracker = new ConnectionStateTracker(
    () => stateOf(client),
    () => ignore,
  );
  const send = (args: string[], signal: AbortSignal | undefined) =>
    client.sendCommand(false, args, { abortSignal: signal, typeMapping: DEFAULT_TYPE_MAPPING });
  return {
    name,
    isCluster: false,
    keyPrefix: '',
    get state() {
      return stateOf(client);
    },
    watchState: (listener) => tracker.watch(listener),
    evalSha: (sha1, keys, args, signal) =>
      send(['EVALSHA', sha1, String(keys.length), ...keys, ...args], signal),
    eval: (source, keys, args, signal) =>
      send(['EVAL', source, String(keys.length), ...keys, ...args], signal),
    // Connected by its owner.
    connect: () => undefined,
    createSubscriber: (onMessage) => sentinelSubscriber(client, onMessage),
    // Only for owned clients (createRedlock does not create Sentinel clients):
    // a PING marks the end of what was sent, then every connection is dropped.
    quit: async () => {
      await client.sendCommand(false, ['PING']);
      destroyQuietly(client);
    },
    disconnect: () => destroyQuietly(client),
  };
}

/** The node's listener on the client's pub/sub connection; once closed it stays closed. */
function sentinelSubscriber(
  client: NodeRedisSentinel,
  onMessage: (channel: string, message: string) => void,
): RedisSubscriber {
  const subscribed = new Set<string>();
  let closed = false;
  const listener: NodeRedisMessageListener = (message, channel) =>
    onMessage(channel.toString(), message.toString());
  return {
    async subscribe(channels) {
      if (closed) throw new Error('the node was closed');
      for (const channel of channels) subscribed.add(channel);
      await client.subscribe([...channels], listener);
    },
    async unsubscribe(channels) {
      if (closed || !client.isOpen) return;
      for (const channel of channels) subscribed.delete(channel);
      await client.unsubscribe([...channels], listener);
    },
    close() {
      if (closed) return;
      closed = true;
      const channels = [...subscribed];
      subscribed.clear();
      if (channels.length === 0 || !client.isOpen) return;
      // Only our listener goes; the client's owner closes the connection.
      try {
        client.unsubscribe(channels, listener).catch(ignore);
      } catch {
        // Already closing.
      }
    },
  };
}
