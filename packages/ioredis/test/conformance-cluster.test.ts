import { describeLockNode } from '@redlock/conformance';
import { getFreePort } from '@redlock/test-utils';
import { useRedisCluster } from '@redlock/test-utils/vitest';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { IoredisLockNode } from '../src/index.js';

// One 3-master cluster cannot provide independent stores, so each store is
// a key namespace: the node's keyPrefix `store-N:` keeps the stores' keys
// apart (and gives the nodes distinct names). The prefix has no hash tag,
// so the suite's per-test `{tag}` decides the slot and the tests spread
// over all three masters, while the keys of one test share a slot.
const cluster = useRedisCluster();
let client: Cluster;
const unreachableClients: Cluster[] = [];
let unreachablePort = 0;

beforeAll(async () => {
  client = new Cluster(cluster.startupNodes);
  unreachablePort = await getFreePort('127.0.0.1');
});

afterAll(() => {
  client.disconnect();
  for (const unreachable of unreachableClients) unreachable.disconnect();
});

describeLockNode({
  name: 'IoredisLockNode on a 3-master Redis Cluster',
  createNode: (store) => new IoredisLockNode(client, { keyPrefix: `store-${store}:` }),
  stores: 5,
  createUnreachableNode: () => {
    const unreachable = new Cluster([{ host: '127.0.0.1', port: unreachablePort }]);
    unreachable.on('error', () => undefined);
    unreachableClients.push(unreachable);
    return new IoredisLockNode(unreachable, { commandTimeoutMs: 500 });
  },
});
