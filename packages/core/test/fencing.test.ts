import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type Lock, LockAcquireError, Redlock } from '../src/index.js';
import { allCalls, createCluster, totalCalls } from './support/cluster.js';
import { TestMemoryNode } from './support/memory-node.js';

describe('fencing tokens', () => {
  it('adds no round and no token without fencing', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3, fencing: true });
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    expect(lock.fencingToken).toBeUndefined();
    expect(totalCalls(nodes, 'acquire')).toBe(3);
    expect(nodes.map((node) => node.fenceOf('r'))).toEqual([0n, 0n, 0n]);
  });

  it('gives every lock a token larger than every earlier one, across Redlocks', async () => {
    const { runtime, nodes, newRedlock } = createCluster({ nodeCount: 5, fencing: true });
    const clients = [newRedlock({ fencing: true }), newRedlock({ fencing: true })];
    const tokens: bigint[] = [];
    for (let round = 0; round < 6; round++) {
      const lock = await runtime.runUntilSettled(clients[round % 2]!.acquire('r', 1000));
      expect(typeof lock.fencingToken).toBe('bigint');
      tokens.push(lock.fencingToken!);
      // Written back on a quorum before it was handed out.
      const raised = nodes.filter((node) => node.fenceOf('r') >= lock.fencingToken!);
      expect(raised.length).toBeGreaterThanOrEqual(3);
      await runtime.runUntilSettled(lock.release());
    }
    for (let index = 1; index < tokens.length; index++) {
      expect(tokens[index]!).toBeGreaterThan(tokens[index - 1]!);
    }
  });

  it('keeps the token on extend, and one token covers every resource of a lock', async () => {
    const { runtime, redlock } = createCluster({
      nodeCount: 3,
      fencing: true,
      options: { fencing: true },
    });
    const a = await runtime.runUntilSettled(redlock.acquire('a', 1000));
    const aToken = a.fencingToken!;
    await runtime.runUntilSettled(a.extend(2000));
    expect(a.fencingToken).toBe(aToken);
    await runtime.runUntilSettled(a.release());
    const both = await runtime.runUntilSettled(redlock.acquire(['a', 'b'], 1000));
    expect(both.fencingToken!).toBeGreaterThan(aToken);
    await runtime.runUntilSettled(both.release());
    const b = await runtime.runUntilSettled(redlock.acquire('b', 1000));
    expect(b.fencingToken!).toBeGreaterThan(both.fencingToken!);
  });

  it('grows past a minority that was down, or restarted with its counters lost', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 5,
      fencing: true,
      options: { fencing: true },
    });
    nodes[3]!.setAvailable(false);
    nodes[4]!.setAvailable(false);
    const first = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    await runtime.runUntilSettled(first.release());
    nodes[3]!.setAvailable(true);
    nodes[4]!.setAvailable(true);
    // Of the three that wrote the token back, one restarts empty and two are down: the
    // next majority (nodes 1, 4, 5) has lost or never had the counter. The clock floor saves it.
    nodes[0]!.restart();
    nodes[1]!.setAvailable(false);
    nodes[2]!.setAvailable(false);
    await runtime.advance(1);
    const second = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    expect(second.fencingToken!).toBeGreaterThan(first.fencingToken!);
  });

  it('fails the attempt and leaves no key when the write-back misses a quorum', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      fencing: true,
      options: { fencing: true, retryCount: 0 },
    });
    for (const node of nodes.slice(1)) {
      node.raiseFence = async () => {
        throw new Error('ECONNRESET');
      };
    }
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.attempts[0].outcomes.map((o: { status: string }) => o.status)).toEqual([
      'raised',
      'error',
      'error',
    ]);
    expect(error.message).toContain('2 nodes unreachable');
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('refuses a write-back reply that would lower the counter', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      fencing: true,
      options: { fencing: true, retryCount: 0 },
    });
    for (const node of nodes.slice(1)) node.raiseFence = async () => 1n;
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.message).toContain('invalid raiseFence reply');
  });

  it('refuses fencing: true over nodes without fencing counters, before touching one', () => {
    const clock = { now: () => 0 };
    const nodes = [1, 2, 3].map(
      (n) => new TestMemoryNode({ clock, name: `n${n}`, fencing: n !== 2 }),
    );
    const make = () => new Redlock(nodes, { fencing: true });
    expect(make).toThrow(InvalidArgumentError);
    expect(make).toThrow(/"n2" has no fencing counters/);
    expect(() => new Redlock(nodes, { fencing: 'yes' as never })).toThrow(
      /fencing must be a boolean/,
    );
    expect(allCalls(nodes)).toBe(0);
  });

  it('hands out tokens to tryAcquire and using too', async () => {
    const { runtime, redlock } = createCluster({
      nodeCount: 3,
      fencing: true,
      options: { fencing: true },
    });
    const tried = (await runtime.runUntilSettled(redlock.tryAcquire('r', 1000))) as Lock;
    expect(typeof tried.fencingToken).toBe('bigint');
    await runtime.runUntilSettled(tried.release());
    const seen = await runtime.runUntilSettled(
      redlock.using('r', 1000, async (_signal, lock) => lock.fencingToken),
    );
    expect(seen!).toBeGreaterThan(tried.fencingToken!);
  });
});
