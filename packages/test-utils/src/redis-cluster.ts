/**
 * A Redis Cluster of N masters (no replicas) made of real `redis-server`
 * processes. Formed over our own RESP client (SET-CONFIG-EPOCH, ADDSLOTSRANGE,
 * MEET) so `redis-cli` is not needed.
 */
import { CLUSTER_SLOT_COUNT, keySlot } from './key-slot.js';
import {
  type RedisServer,
  type RedisServerOptions,
  startRedisServers,
  stopRedisServers,
} from './redis-server.js';

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions extends RedisServerOptions {
  /** Number of master nodes; slots are split evenly between them. Default 3. */
  masters?: number;
  /** `--cluster-node-timeout`. Default 2000 ms. */
  nodeTimeoutMs?: number;
  /** How long the cluster may take to reach `cluster_state:ok`. Default 20 000 ms. */
  clusterReadyTimeoutMs?: number;
}

/** A running cluster. `stop()` stops every node. */
export interface RedisClusterHandle {
  /** The master nodes, in slot order: `nodes[0]` owns the lowest slots. */
  readonly nodes: RedisServer[];
  /** Addresses for a cluster client (`new Cluster(startupNodes)` in ioredis). */
  readonly startupNodes: { host: string; port: number }[];
  /** The node that owns `key`'s slot (slots never move: there are no replicas or resharding). */
  nodeForKey(key: string): RedisServer;
  /** Resolves once every running node reports `cluster_state:ok`, e.g. after a restart. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** Stops every node and removes their temp dirs. */
  stop(): Promise<void>;
}

const POLL_INTERVAL_MS = 50;

/** The first slot owned by master `index` of `masters`. */
function firstSlot(index: number, masters: number): number {
  return Math.floor((index * CLUSTER_SLOT_COUNT) / masters);
}

/**
 * Starts a cluster of `masters` nodes on free loopback ports and resolves once
 * `CLUSTER INFO` reports `cluster_state:ok` on every node.
 *
 * @example
 * const cluster = await startRedisCluster();
 * const client = new Cluster(cluster.startupNodes);
 */
export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  if (!Number.isInteger(masters) || masters < 1) {
    throw new RangeError(`masters must be a positive integer, got ${masters}`);
  }
  const nodes = await startRedisServers(masters, {
    ...options,
    args: [
      '--cluster-enabled',
      'yes',
      // Relative to the node's temp dir (its working directory).
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      String(options.nodeTimeoutMs ?? 2_000),
      ...(options.args ?? []),
    ],
  });
  const handle: RedisClusterHandle = {
    nodes,
    startupNodes: nodes.map(({ host, port }) => ({ host, port })),
    nodeForKey(key) {
      const slot = keySlot(key);
      let owner = 0;
      while (owner + 1 < masters && firstSlot(owner + 1, masters) <= slot) owner++;
      return nodes[owner]!;
    },
    waitUntilReady: (timeoutMs) =>
      waitForClusterOk(nodes, timeoutMs ?? options.clusterReadyTimeoutMs ?? 20_000),
    stop: () => stopRedisServers(nodes),
  };
  try {
    await formCluster(nodes);
    await handle.waitUntilReady();
    return handle;
  } catch (error) {
    await handle.stop();
    throw error;
  }
}

async function formCluster(nodes: RedisServer[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node, index) => {
      // Distinct epochs up front, like redis-cli does, so no epoch collision has to be resolved.
      await node.call('CLUSTER', 'SET-CONFIG-EPOCH', index + 1);
      const lastSlot = firstSlot(index + 1, nodes.length) - 1;
      await node.call('CLUSTER', 'ADDSLOTSRANGE', firstSlot(index, nodes.length), lastSlot);
    }),
  );
  const [first, ...others] = nodes;
  for (const other of others) await first!.call('CLUSTER', 'MEET', other.host, other.port);
}

async function waitForClusterOk(nodes: RedisServer[], timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let lastInfo = '';
  for (;;) {
    const running = nodes.filter((node) => node.isRunning && !node.isPaused);
    const infos = await Promise.all(
      running.map((node) => node.command('CLUSTER', 'INFO').catch((error: Error) => error.message)),
    );
    const notReady = infos.findIndex(
      (info) =>
        !info.includes('cluster_state:ok') || !info.includes(`cluster_known_nodes:${nodes.length}`),
    );
    if (notReady === -1) return;
    lastInfo = `${running[notReady]!.url}: ${infos[notReady]!.trim().split(/\r?\n/).slice(0, 7).join(', ')}`;
    if (performance.now() > deadline) {
      throw new Error(`Redis Cluster not ready within ${timeoutMs} ms; ${lastInfo}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
