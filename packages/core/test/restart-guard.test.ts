import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, LockAcquireError, LockLostError, Redlock } from '../src/index.js';
import { createCluster, holdElsewhere } from './support/cluster.js';
import { TestMemoryNode } from './support/memory-node.js';
import { VirtualRuntime } from './support/virtual-runtime.js';

/** A lock held on 3 of 5 nodes (two were down while it was taken), then one of those 3 restarts empty. */
async function heldThenOneRestarts(restartGuardMs: number) {
  const cluster = createCluster({ nodeCount: 5, restartDetection: true });
  const { runtime, nodes } = cluster;
  nodes[3]!.setAvailable(false);
  nodes[4]!.setAvailable(false);
  const first = await runtime.runUntilSettled(cluster.newRedlock().acquire('r', 10_000));
  nodes[3]!.setAvailable(true);
  nodes[4]!.setAvailable(true);
  await runtime.advance(100);
  nodes[2]!.restart();
  await runtime.advance(4_100);
  const second = cluster.newRedlock({ restartGuardMs, retryCount: 0 });
  return { ...cluster, first, second };
}

describe('restart guard', () => {
  it('keeps a node that restarted within the guard out of the quorum, saying when it counts again', async () => {
    const { runtime, nodes, second } = await heldThenOneRestarts(30_000);
    const error = await runtime.runUntilSettled(second.acquire('r', 1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.message).toContain('node-3: restarted 4.1 s ago, counted again in 25.9 s');
    expect(error.attempts[0].outcomes[2]).toEqual({
      node: 'node-3',
      status: 'restarting',
      restartedMsAgo: 4_100,
      countedAgainInMs: 25_900,
    });
    // The restarting node was not even asked.
    expect(nodes[2]!.keys()).toEqual([]);
  });

  it('shows the hazard without it: a second owner takes a majority that includes the restarted node', async () => {
    const { runtime, first, second } = await heldThenOneRestarts(0);
    const lock = await runtime.runUntilSettled(second.acquire('r', 1000));
    expect(lock.value).not.toBe(first.value);
    expect(first.state).toBe('held');
  });

  it('counts the node again once the guard has passed', async () => {
    const { runtime, nodes, second } = await heldThenOneRestarts(30_000);
    await runtime.advance(26_000);
    // Nodes 1 and 2 stay held: the lock needs node 3's vote.
    holdElsewhere(nodes.slice(0, 2), 'r', 120_000);
    const lock = await runtime.runUntilSettled(second.acquire('r', 1000));
    expect(lock.state).toBe('held');
    expect(nodes[2]!.valueOf('r')).toBe(lock.value);
  });

  it('does not let a restarted node count toward an extension', async () => {
    const { runtime, nodes, newRedlock } = createCluster({ nodeCount: 5, restartDetection: true });
    const redlock = newRedlock({ restartGuardMs: 30_000 });
    holdElsewhere(nodes.slice(3), 'r', 60_000);
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 10_000));
    nodes[0]!.restart();
    nodes[0]!.hold('r', lock.value, 10_000); // even with our key back on it, it must not count
    const error = await runtime.runUntilSettled(lock.extend(10_000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockLostError);
    expect(error.message).toContain('node-1: restarted 0 ms ago, counted again in 30.0 s');
  });

  it('waits for a node to check its connection before its vote is sent', async () => {
    const runtime = new VirtualRuntime();
    const nodes = [1, 2, 3].map(
      (n) => new TestMemoryNode({ clock: runtime, name: `n${n}`, restartDetection: true }),
    );
    const order: string[] = [];
    for (const node of nodes) {
      const inner = node.serverRun!.bind(node);
      node.serverRun = () =>
        new Promise((resolve) =>
          runtime.setTimer(() => {
            order.push(`${node.name} run checked`);
            resolve(inner());
          }, 5),
        );
      const acquire = node.acquire.bind(node);
      node.acquire = (...args) => {
        order.push(`${node.name} acquire`);
        return acquire(...args);
      };
    }
    const redlock = new Redlock(nodes, { runtime, restartGuardMs: 1000 });
    await runtime.runUntilSettled(redlock.acquire('r', 1000));
    expect(order.indexOf('n1 run checked')).toBeLessThan(order.indexOf('n1 acquire'));
  });

  it('is off by default, and an explicit guard needs every node to report restarts', () => {
    const clock = { now: () => 0 };
    const reporting = [1, 2, 3].map(
      (n) => new TestMemoryNode({ clock, name: `r${n}`, restartDetection: true }),
    );
    const silent = [1, 2, 3].map((n) => new TestMemoryNode({ clock, name: `s${n}` }));
    expect(new Redlock(reporting).restartGuardMs).toBe(0);
    expect(new Redlock(reporting, { restartGuardMs: 30_000 }).restartGuardMs).toBe(30_000);
    expect(new Redlock(silent).restartGuardMs).toBe(0);
    expect(new Redlock(reporting, { restartGuardMs: 0 }).restartGuardMs).toBe(0);
    expect(() => new Redlock(silent, { restartGuardMs: 1000 })).toThrow(InvalidArgumentError);
    expect(() => new Redlock(silent, { restartGuardMs: 1000 })).toThrow(/"s1", "s2", "s3" cannot/);
    expect(() => new Redlock(reporting, { restartGuardMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => new Redlock(reporting, { restartGuardMs: 2 ** 31 })).toThrow(InvalidArgumentError);
  });
});
