import { describeLockNode } from '@redlock/conformance';
import { getFreePort } from '@redlock/test-utils';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { NodeRedisLockNode } from '../src/index.js';

// Five independent standalone servers: store N is server N. Nodes share one
// client per server; a node's close() only closes its own pub/sub connection.
const { servers } = useRedisServers(5);
const clients: RedisClientType[] = [];
const unreachableClients: RedisClientType[] = [];
let unreachableUrl = '';

beforeAll(async () => {
  for (const server of servers) {
    clients.push((await createClient({ url: server.url }).connect()) as RedisClientType);
  }
  unreachableUrl = `redis://127.0.0.1:${await getFreePort('127.0.0.1')}`;
});

afterAll(() => {
  for (const client of [...clients, ...unreachableClients]) client.destroy();
});

describeLockNode({
  name: 'NodeRedisLockNode on 5 standalone servers',
  createNode: (store) => new NodeRedisLockNode(clients[store]!),
  stores: 5,
  createUnreachableNode: () => {
    // Nothing listens there. node-redis keeps the commands in its offline
    // queue while it reconnects; commandTimeoutMs makes the node give up.
    const client = createClient({ url: unreachableUrl }) as RedisClientType;
    client.on('error', () => undefined);
    client.connect().catch(() => undefined);
    unreachableClients.push(client);
    return new NodeRedisLockNode(client, { commandTimeoutMs: 500 });
  },
});
