import { describeLockNode } from '@redlock/conformance';
import { getFreePort } from '@redlock/test-utils';
import { useRedisCluster } from '@redlock/test-utils/vitest';
import { createCluster, type RedisClusterType } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import { NodeRedisLockNode } from '../src/index.js';

// One 3-master cluster cannot provide independent stores, so each store is
// a key namespace: the node's keyPrefix `store-N:` keeps the stores' keys
// apart (and gives the nodes distinct names). The prefix has no hash tag,
// so the suite's per-test `{tag}` decides the slot and the tests spread
// over all three masters, while the keys of one test share a slot.
const cluster = useRedisCluster();
let client: RedisClusterType;
let unreachablePort = 0;

beforeAll(async () => {
  client = createCluster({
    rootNodes: cluster.startupNodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
  }) as RedisClusterType;
  client.on('error', () => undefined);
  await client.connect();
  unreachablePort = await getFreePort('127.0.0.1');
});

afterAll(() => {
  client.destroy();
});

describeLockNode({
  name: 'NodeRedisLockNode on a 3-master Redis Cluster',
  createNode: (store) => new NodeRedisLockNode(client, { keyPrefix: `store-${store}:` }),
  stores: 5,
  createUnreachableNode: () =>
    // Never connected: node-redis cannot reach a cluster it could not discover.
    new NodeRedisLockNode(
      createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${unreachablePort}` }] }),
      { commandTimeoutMs: 500 },
    ),
});
