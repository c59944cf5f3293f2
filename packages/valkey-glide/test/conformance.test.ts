import { describeLockNode } from '@redlock/conformance';
import { getFreePort } from '@redlock/test-utils';
import { useRedisCluster, useRedisServers } from '@redlock/test-utils/vitest';
import { GlideClient, GlideClusterClient, Logger } from '@valkey/valkey-glide';
import { afterAll, beforeAll } from 'vitest';
import { PendingGlideClient, ValkeyGlideLockNode } from '../src/index.js';

Logger.setLoggerConfig('off');

const { servers } = useRedisServers(5);
const cluster = useRedisCluster();
const clients: (GlideClient | GlideClusterClient)[] = [];
const pending: PendingGlideClient[] = [];
let clusterClient: GlideClusterClient;
let unreachablePort = 0;

beforeAll(async () => {
  clients.push(
    ...(await Promise.all(
      servers.map((server) =>
        GlideClient.createClient({
          addresses: [{ host: server.host, port: server.port }],
          requestTimeout: 2000,
        }),
      ),
    )),
  );
  clusterClient = await GlideClusterClient.createClient({
    addresses: cluster.startupNodes,
    requestTimeout: 2000,
  });
  clients.push(clusterClient);
  unreachablePort = await getFreePort('127.0.0.1');
});

afterAll(() => {
  for (const client of clients) client.close();
  for (const client of pending) client.close();
});

const unreachableNode = () => {
  const client = new PendingGlideClient(GlideClient, {
    addresses: [{ host: '127.0.0.1', port: unreachablePort }],
    lazyConnect: true,
    requestTimeout: 300,
    advancedConfiguration: { connectionTimeout: 300 },
  });
  pending.push(client);
  return new ValkeyGlideLockNode(client, { commandTimeoutMs: 500 });
};

describeLockNode({
  name: 'ValkeyGlideLockNode on 5 standalone servers',
  createNode: (store) => new ValkeyGlideLockNode(clients[store]!),
  stores: 5,
  createUnreachableNode: unreachableNode,
});

describeLockNode({
  name: 'ValkeyGlideLockNode on a 3-master Redis Cluster',
  createNode: (store) => new ValkeyGlideLockNode(clusterClient, { keyPrefix: `store-${store}:` }),
  stores: 5,
  createUnreachableNode: unreachableNode,
});
