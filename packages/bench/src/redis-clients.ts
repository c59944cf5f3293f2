import { Redis } from 'ioredis';
import type { ServerAddress } from './contender.js';
import { instrumentIoredisClient } from './instrumentation.js';

/**
 * One ioredis client per server, with ioredis defaults (no command timeout,
 * offline queue on, no auto-pipelining), connected before any timing starts.
 */
export async function connectIoredisClients(servers: readonly ServerAddress[]): Promise<Redis[]> {
  const clients = servers.map((server) => {
    const client = new Redis({ host: server.host, port: server.port, lazyConnect: true });
    // Errors surface as rejected commands; a missing listener would only make ioredis log them.
    client.on('error', () => undefined);
    instrumentIoredisClient(client);
    return client;
  });
  try {
    await Promise.all(clients.map((client) => client.connect()));
  } catch (error) {
    closeIoredisClients(clients);
    throw error;
  }
  return clients;
}

/** Drops the connections at once; pending commands reject (every caller has settled by then). */
export function closeIoredisClients(clients: readonly Redis[]): void {
  for (const client of clients) client.disconnect();
}
