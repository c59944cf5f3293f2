import { describeLockNode } from '@redlock/conformance';
import { getFreePort } from '@redlock/test-utils';
import { useRedisCluster, useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, beforeAll } from 'vitest';
import { type ClientHandle, redisClients } from '../src/clients.js';

// Five independent standalone servers (store N is server N) and one
// 3-master cluster, shared by every client and major. Nodes share one client
// per server; a node's close() only closes its own pub/sub connection.
const { servers } = useRedisServers(5);
const cluster = useRedisCluster();
const opened: ClientHandle[] = [];
let unreachablePort = 0;

beforeAll(async () => {
  unreachablePort = await getFreePort('127.0.0.1');
});

afterAll(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
});

for (const client of redisClients) {
  const standalone: ClientHandle[] = [];
  let clusterClient: ClientHandle | undefined;
  beforeAll(async () => {
    standalone.push(
      ...(await Promise.all(
        servers.map((server) => client.connect({ host: server.host, port: server.port })),
      )),
    );
    clusterClient = await client.connectCluster(cluster.startupNodes);
    opened.push(...standalone, clusterClient);
  });

  // Nothing listens there: the node must reject (at once, with ECONNREFUSED),
  // never claim a lock.
  const unreachableNode = async () => {
    const handle = client.unconnected({ host: '127.0.0.1', port: unreachablePort });
    opened.push(handle);
    const node = client.createNode(handle.client, { commandTimeoutMs: 500 });
    await connectQuietly(handle.client);
    return node;
  };

  describeLockNode({
    name: `${client.name} on 5 standalone servers`,
    createNode: (store) => client.createNode(standalone[store]!.client),
    stores: 5,
    createUnreachableNode: unreachableNode,
  });

  // One cluster cannot provide independent stores, so each store is a key
  // namespace: the node's keyPrefix `store-N:` (no hash tag, so the suite's
  // per-test `{tag}` decides the slot and the tests spread over all masters).
  describeLockNode({
    name: `${client.name} on a 3-master Redis Cluster`,
    createNode: (store) =>
      client.createNode(clusterClient!.client, { keyPrefix: `store-${store}:` }),
    stores: 5,
    createUnreachableNode: unreachableNode,
  });
}

/** Starts connecting a client that waits to be connected, ignoring the failure. */
async function connectQuietly(client: unknown): Promise<void> {
  const candidate = client as {
    on?: (event: string, listener: () => void) => void;
    connect?: () => Promise<unknown>;
  };
  candidate.on?.('error', () => undefined);
  candidate.connect?.().catch(() => undefined);
}
