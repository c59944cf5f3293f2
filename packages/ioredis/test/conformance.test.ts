import { describeLockNode } from '@redlock/conformance';
import { getFreePort } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { IoredisLockNode } from '../src/index.js';

// Five independent standalone servers: store N is server N. Nodes share one
// client per server; a node's close() only closes its own pub/sub connection.
const { servers } = useRedisServers(5);
const clients: Redis[] = [];
const unreachableClients: Redis[] = [];
let unreachableUrl = '';

beforeAll(async () => {
  clients.push(...servers.map((server) => new Redis(server.url)));
  unreachableUrl = `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
});

afterAll(() => {
  for (const client of [...clients, ...unreachableClients]) client.disconnect();
});

describeLockNode({
  name: 'IoredisLockNode on 5 standalone servers',
  createNode: (store) => new IoredisLockNode(clients[store]!),
  stores: 5,
  createUnreachableNode: () => {
    // Nothing listens there. ioredis keeps the commands in its offline queue
    // while it reconnects; commandTimeoutMs makes the node give up.
    const client = new Redis(unreachableUrl);
    client.on('error', () => undefined);
    unreachableClients.push(client);
    return new IoredisLockNode(client, { commandTimeoutMs: 500 });
  },
});
