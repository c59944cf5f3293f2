import { Redlock, type RedlockOptions } from '../../src/index.js';
import type { CallCounts } from './memory-node.js';
import { TestMemoryNode } from './memory-node.js';
import { ScriptedNode } from './scripted-node.js';
import { VirtualRuntime } from './virtual-runtime.js';

export interface ClusterOptions {
  /** How many independent memory nodes. Default 3. */
  nodeCount?: number;
  /** Options of the Redlock; `runtime` is always the cluster's virtual runtime. */
  options?: Omit<RedlockOptions, 'runtime'>;
  /** Whether the nodes offer `watch`. Default true. */
  watchable?: boolean;
  /** Whether the nodes offer fencing counters. Default false. */
  fencing?: boolean;
  /** Whether the nodes offer `serverRun`. Default false. */
  restartDetection?: boolean;
  seed?: number;
}

/** N memory nodes on one virtual clock, and a Redlock over them. */
export interface Cluster {
  readonly runtime: VirtualRuntime;
  readonly nodes: TestMemoryNode[];
  readonly redlock: Redlock;
  /** Another Redlock over the same nodes, as another process would have. */
  newRedlock(options?: Omit<RedlockOptions, 'runtime'>): Redlock;
}

export function createCluster({
  nodeCount = 3,
  options = {},
  watchable = true,
  fencing = false,
  restartDetection = false,
  seed,
}: ClusterOptions = {}): Cluster {
  const runtime = new VirtualRuntime({ seed });
  const nodes = Array.from(
    { length: nodeCount },
    (_, index) =>
      new TestMemoryNode({
        clock: runtime,
        name: `node-${index + 1}`,
        watchable,
        fencing,
        restartDetection,
      }),
  );
  const newRedlock = (extra: Omit<RedlockOptions, 'runtime'> = options) =>
    new Redlock(nodes, { ...extra, runtime });
  return { runtime, nodes, redlock: newRedlock(), newRedlock };
}

export interface ScriptedCluster {
  readonly runtime: VirtualRuntime;
  /** The stores behind the scripted nodes, for key assertions. */
  readonly stores: TestMemoryNode[];
  readonly nodes: ScriptedNode[];
  readonly redlock: Redlock;
}

/** Like {@link createCluster}, with every node wrapped in a {@link ScriptedNode}. */
export function createScriptedCluster({
  nodeCount = 3,
  options = {},
  watchable = true,
  seed,
}: ClusterOptions = {}): ScriptedCluster {
  const runtime = new VirtualRuntime({ seed });
  const stores = Array.from(
    { length: nodeCount },
    (_, index) => new TestMemoryNode({ clock: runtime, name: `node-${index + 1}`, watchable }),
  );
  const nodes = stores.map((store) => new ScriptedNode(store));
  return { runtime, stores, nodes, redlock: new Redlock(nodes, { ...options, runtime }) };
}

/** Make another owner hold `key` on each of `nodes`. */
export function holdElsewhere(
  nodes: readonly TestMemoryNode[],
  key: string,
  ttlMs: number,
  value = 'another-owner',
): void {
  for (const node of nodes) node.hold(key, value, ttlMs);
}

/** Sum of one operation's call counts over several nodes. */
export function totalCalls(
  nodes: readonly { calls: CallCounts }[],
  operation: keyof CallCounts,
): number {
  return nodes.reduce((sum, node) => sum + node.calls[operation], 0);
}

/** Every call of every operation, over several nodes. */
export function allCalls(nodes: readonly { calls: CallCounts }[]): number {
  return nodes.reduce((sum, node) => sum + Object.values(node.calls).reduce((a, b) => a + b, 0), 0);
}

/** Every live key holding `value`, per node. */
export function keysHeldBy(nodes: readonly TestMemoryNode[], value: string): string[][] {
  return nodes.map((node) => node.keys().filter((key) => node.valueOf(key) === value));
}
