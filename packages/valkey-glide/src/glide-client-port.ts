import {
  ConnectionStateTracker,
  type RedisClientPort,
  type RedisConnectionState,
  type RedisSubscriber,
} from '@redlock/redis-scripts';
import type {
  GlideClientConfiguration,
  GlideClusterClientConfiguration,
  GlideReturnType,
  PubSubMsg,
} from '@valkey/valkey-glide';
import { explainConnectFailure } from './connect-probe.js';
import { glideNodeName } from './glide-node-name.js';
import {
  type GlideClientClass,
  type GlideClientInstance,
  PendingGlideClient,
} from './pending-glide-client.js';

/** What a node can run on: a created GLIDE client, or one being created. */
export type ValkeyGlideClient = GlideClientInstance | PendingGlideClient;

type AnyConfiguration = GlideClientConfiguration | GlideClusterClientConfiguration;

const ignore = () => undefined;

/** GLIDE's error for a call on a client that could not connect (`Standalone connect failed - IoError: ...`). */
const CONNECT_FAILED = /^Standalone connect failed\b/;

/** How long closing a subscriber waits for its UNSUBSCRIBE before closing it anyway. */
const UNSUBSCRIBE_ON_CLOSE_MS = 200;

/** GLIDE reports NOSCRIPT as "... NoScriptError: No matching script"; the node expects Redis' own wording. */
function asRedisError(error: unknown): unknown {
  if (error instanceof Error && /NoScriptError/.test(error.message)) {
    return new Error(`NOSCRIPT ${error.message}`, { cause: error });
  }
  return error;
}

/** The configuration a created client was made with (GLIDE keeps it in a field its typings mark private). */
function configurationOf(client: GlideClientInstance): AnyConfiguration {
  return ((client as unknown as { config?: AnyConfiguration }).config ?? {
    addresses: [],
  }) as AnyConfiguration;
}

/** A created client as a {@link PendingGlideClient} that is already settled. */
function settled(client: GlideClientInstance): PendingGlideClient {
  const clientClass = client.constructor as unknown as GlideClientClass;
  const pending = new PendingGlideClient(
    { createClient: async () => client, prototype: clientClass.prototype },
    configurationOf(client),
  );
  pending.start();
  return pending;
}

function stateOf(
  source: PendingGlideClient,
  created: GlideClientInstance | undefined,
): RedisConnectionState {
  if (source.isClosed) return { status: 'closed' };
  if (source.failure) return { status: 'down', cause: source.failure };
  if (!created) return { status: 'connecting' };
  // GLIDE reconnects by itself and tells nobody: a created client counts as
  // ready until closed, and a call to a server that is down times out
  // (GLIDE's `requestTimeout`) rather than failing at once.
  const closed = (created as unknown as { isClosed?: boolean }).isClosed === true;
  return closed ? { status: 'closed' } : { status: 'ready' };
}

/**
 * The {@link RedisClientPort} of a GLIDE `GlideClient` or `GlideClusterClient`
 * (or a {@link PendingGlideClient}). Scripts go out as `EVALSHA`/`EVAL`
 * custom commands, routed by their first key on a cluster; `watch` uses a
 * second client of the same configuration with GLIDE's dynamic
 * subscriptions, where the installed GLIDE has them.
 */
export function valkeyGlidePort(input: ValkeyGlideClient): RedisClientPort {
  const source = input instanceof PendingGlideClient ? input : settled(input);
  const tracker = new ConnectionStateTracker(
    () => stateOf(source, source.client),
    (tracker) => source.onSettled(() => tracker.set(stateOf(source, source.client))),
  );
  const isCluster = source.isCluster;
  // GLIDE's close() rejects every call still in flight; a graceful quit waits for them first.
  const inFlight = new Set<Promise<unknown>>();
  const call = async (command: string[], routingKey: string | undefined) => {
    const client = source.client ?? (await source.created());
    try {
      if (isCluster && routingKey !== undefined) {
        return await client.customCommand(command, {
          route: { type: 'primarySlotKey', key: routingKey },
        } as never);
      }
      return (await client.customCommand(command)) as GlideReturnType;
    } catch (error) {
      // A lazily connecting client (createRedlock's) fails each call with a
      // "connect failed ... timed out" of its own, a refused connection included.
      if (!isCluster && error instanceof Error && CONNECT_FAILED.test(error.message)) {
        throw await explainConnectFailure(error, source.configuration.addresses?.[0]);
      }
      throw asRedisError(error);
    }
  };
  const send = (command: string[], routingKey: string | undefined) => {
    const sent = call(command, routingKey);
    inFlight.add(sent);
    const forget = () => inFlight.delete(sent);
    sent.then(forget, forget);
    return sent;
  };
  const script = (verb: string, body: string, keys: readonly string[], args: readonly string[]) =>
    send([verb, body, String(keys.length), ...keys, ...args], keys[0]);
  const port: RedisClientPort = {
    name: glideNodeName(source.configuration, isCluster),
    isCluster,
    keyPrefix: '',
    // GLIDE reconnects silently: a restarted server must not pass for the old run.
    reportsReconnects: false,
    get state() {
      return tracker.state;
    },
    watchState: (listener) => tracker.watch(listener),
    evalSha: (sha1, keys, args) => script('EVALSHA', sha1, keys, args),
    eval: (body, keys, args) => script('EVAL', body, keys, args),
    connect: () => source.start(),
    async quit() {
      // Bounded by the node's closeTimeoutMs; then disconnect() drops what is left.
      await Promise.allSettled([...inFlight]);
      source.close();
    },
    disconnect: () => source.close(),
  };
  if (!isCluster) port.loadScript = (body) => send(['SCRIPT', 'LOAD', body], undefined);
  if (source.canSubscribe) port.createSubscriber = (onMessage) => openSubscriber(source, onMessage);
  return port;
}

/**
 * A second client with the same configuration plus a message callback,
 * subscribed and unsubscribed at run time (GLIDE 2.x `subscribe()`).
 */
function openSubscriber(
  source: PendingGlideClient,
  onMessage: (channel: string, message: string) => void,
): RedisSubscriber {
  let closed = false;
  const subscriber = source.created().then(async (client) => {
    const clientClass = client.constructor as unknown as GlideClientClass;
    const created = await clientClass.createClient({
      ...configurationOf(client),
      pubsubSubscriptions: {
        channelsAndPatterns: {},
        callback: (message: PubSubMsg) => {
          try {
            onMessage(String(message.channel), String(message.message));
          } catch {
            // Never throw into GLIDE's message loop.
          }
        },
      },
    } as AnyConfiguration);
    if (closed) created.close();
    return created;
  });
  subscriber.catch(ignore);
  return {
    async subscribe(channels) {
      // 0: wait for the server's confirmation (a timeout would resolve unconfirmed).
      await (await subscriber).subscribe(new Set(channels), 0);
    },
    async unsubscribe(channels) {
      await (await subscriber).unsubscribe(new Set(channels), 0);
    },
    close() {
      closed = true;
      // GLIDE's core keeps a closed client's connection, still subscribed,
      // until its next connection check (up to 3 s): unsubscribe first, so
      // the server stops sending at once, bounded in case it never answers.
      subscriber.then(
        (created) =>
          created
            .unsubscribe(null, UNSUBSCRIBE_ON_CLOSE_MS)
            .catch(ignore)
            .finally(() => created.close()),
        ignore,
      );
    },
  };
}
