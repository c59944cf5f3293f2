/**
 * A TCP proxy in front of one server that injects network faults: latency,
 * a black hole (bytes silently dropped) and connection resets.
 */
import net from 'node:net';
import type { RedisAddress } from './resp-connection.js';

/** A running proxy. Point a client at `url` (or `host`/`port`) instead of the server. */
export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** Connections currently open through the proxy. */
  readonly connectionCount: number;
  /** Bytes the black hole has swallowed so far, both directions; shows that a fault hit traffic. */
  readonly droppedByteCount: number;
  /** Delays every chunk by `latencyMs` in both directions, keeping byte order. 0 turns it off. */
  setLatency(latencyMs: number): void;
  /**
   * While on, connections are accepted and kept open but every byte in either
   * direction is dropped (not delivered later), so requests hang like a lost
   * network. Bytes already delayed by latency are still delivered.
   *
   * Turning it off lets bytes through again, but a connection that lost bytes
   * then carries a stream with a gap in it, which real TCP never delivers (it
   * retransmits, or the connection dies): its client may misparse replies or
   * match them to the wrong requests. When healing, pass `{ reset: true }` to
   * reset exactly those connections (their clients see ECONNRESET and
   * reconnect), or call {@link FaultProxy.resetConnections}.
   */
  blackhole(on: boolean, options?: BlackholeOptions): void;
  /** Destroys every open connection with a TCP RST; clients see ECONNRESET. */
  resetConnections(): void;
  /** Resets all connections and stops listening. */
  close(): Promise<void>;
}

/** Options of {@link FaultProxy.blackhole}. */
export interface BlackholeOptions {
  /**
   * With `blackhole(false)`: reset every open connection that lost bytes in
   * the black hole, as a real network would have broken it. Connections that
   * stayed idle keep working. Default `false`.
   */
  reset?: boolean;
}

/** One client connection and its upstream; `droppedBytes` once the black hole swallowed any of its bytes. */
interface ProxiedConnection {
  client: net.Socket;
  upstream: net.Socket;
  droppedBytes: boolean;
}

interface Direction {
  queue: { data: Buffer; dueAt: number }[];
  timer: NodeJS.Timeout | undefined;
}

/**
 * Starts a proxy on a free loopback port that forwards to `target`.
 *
 * @example
 * const proxy = await startFaultProxy(server);
 * const client = new Redis(proxy.port);
 * proxy.blackhole(true); // requests now hang
 */
export async function startFaultProxy(target: RedisAddress): Promise<FaultProxy> {
  let latencyMs = 0;
  let blackholed = false;
  let droppedByteCount = 0;
  const connections = new Set<ProxiedConnection>();

  // Forwards `from` -> `to`, through the latency queue and the black hole.
  function forward(from: net.Socket, to: net.Socket, connection: ProxiedConnection): void {
    const direction: Direction = { queue: [], timer: undefined };
    let ended = false;
    const deliverDue = () => {
      direction.timer = undefined;
      const now = performance.now();
      while (direction.queue.length > 0 && direction.queue[0]!.dueAt <= now) {
        write(direction.queue.shift()!.data);
      }
      if (direction.queue.length > 0) {
        direction.timer = setTimeout(deliverDue, direction.queue[0]!.dueAt - now);
      } else if (ended) {
        to.end();
      }
    };
    const write = (data: Buffer) => {
      if (to.destroyed) return;
      if (!to.write(data)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    };
    from.on('data', (data: Buffer) => {
      if (blackholed) {
        connection.droppedBytes = true;
        droppedByteCount += data.length;
        return;
      }
      if (latencyMs <= 0 && direction.queue.length === 0) return write(data);
      // Never before an earlier chunk, even if the latency was lowered meanwhile.
      const lastDueAt = direction.queue.at(-1)?.dueAt ?? 0;
      direction.queue.push({ data, dueAt: Math.max(performance.now() + latencyMs, lastDueAt) });
      direction.timer ??= setTimeout(deliverDue, direction.queue[0]!.dueAt - performance.now());
    });
    from.on('end', () => {
      ended = true;
      if (direction.queue.length === 0) to.end();
    });
    from.on('close', () => clearTimeout(direction.timer));
  }

  const server = net.createServer((client) => {
    const upstream = net.connect({ host: target.host, port: target.port });
    const connection: ProxiedConnection = { client, upstream, droppedBytes: false };
    connections.add(connection);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // Errors end both sides; the listeners also keep them from being unhandled.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    client.on('close', () => {
      connections.delete(connection);
      upstream.destroy();
    });
    forward(client, upstream, connection);
    forward(upstream, client, connection);
  });
  server.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;

  const reset = (connection: ProxiedConnection) => {
    if (!connection.client.destroyed) connection.client.resetAndDestroy();
    connection.upstream.destroy();
    connections.delete(connection);
  };
  const resetConnections = () => {
    for (const connection of connections) reset(connection);
  };

  return {
    host: address.address,
    port: address.port,
    url: `redis://${address.address}:${address.port}`,
    get connectionCount() {
      return connections.size;
    },
    get droppedByteCount() {
      return droppedByteCount;
    },
    setLatency(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms))
        throw new RangeError(`latency must be >= 0 ms, got ${ms}`);
      latencyMs = ms;
    },
    blackhole(on, options = {}) {
      blackholed = on;
      if (!on && options.reset) {
        for (const connection of connections) if (connection.droppedBytes) reset(connection);
      }
    },
    resetConnections,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        resetConnections();
      });
    },
  };
}
