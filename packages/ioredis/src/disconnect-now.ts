import type { Cluster, Redis } from 'ioredis';

/**
 * Drops an ioredis connection at once, without waiting for the server.
 *
 * `disconnect()` alone only half-closes the socket (it sends FIN) and then
 * waits, with a timer, up to the client's `disconnectTimeout` (2 s) for the
 * server to close its side, which a frozen server never does. Destroying the
 * socket too ends the connection now, so nothing outlives the close. For a
 * cluster, the sockets of the nodes it is connected to are destroyed.
 */
export function disconnectNow(client: Redis | Cluster): void {
  const connections = client.isCluster ? (client as Cluster).nodes() : [client as Redis];
  const sockets = connections.map((connection) => connection.stream);
  client.disconnect();
  for (const socket of sockets) socket?.destroy();
}
