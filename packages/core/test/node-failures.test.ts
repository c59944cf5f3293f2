import { describe, expect, it } from 'vitest';
import { LockAcquireError } from '../src/index.js';
import { createScriptedCluster } from './support/cluster.js';
import { type Behaviour, hang, rejectWith, replyWith, throwSync } from './support/scripted-node.js';

const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.3:6379'), {
  code: 'ECONNREFUSED',
});

interface FailureKind {
  readonly kind: string;
  /** Script a node to fail this way. */
  readonly apply: (node: { script(op: 'acquire' | 'all', behaviour: Behaviour): unknown }) => void;
  /** The per-node outcome status it produces. */
  readonly status: 'error' | 'timeout';
  /** What the error message says about the two failing nodes. */
  readonly described: string;
}

const failureKinds: FailureKind[] = [
  {
    kind: 'rejects',
    apply: (node) => node.script('acquire', rejectWith(refused)),
    status: 'error',
    described: '2 nodes unreachable (node-2: ECONNREFUSED, node-3: ECONNREFUSED)',
  },
  {
    kind: 'throws synchronously',
    apply: (node) => node.script('acquire', throwSync(new Error('adapter bug: no client'))),
    status: 'error',
    described:
      '2 nodes unreachable (node-2: adapter bug: no client, node-3: adapter bug: no client)',
  },
  {
    kind: 'resolves garbage',
    apply: (node) => node.script('acquire', replyWith('OK')),
    status: 'error',
    described: 'node-2: node-2 returned an invalid acquire reply: "OK"',
  },
  {
    kind: 'never answers',
    apply: (node) => node.script('all', hang()),
    status: 'timeout',
    described: '2 nodes did not answer within 100 ms (node-2, node-3)',
  },
];

describe('failing nodes', () => {
  it.each(failureKinds)('acquires when a minority of nodes $kind', async ({ apply }) => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 5,
      options: { nodeTimeoutMs: 100 },
    });
    apply(nodes[3]!);
    apply(nodes[4]!);
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));

    expect(lock.attempts).toEqual([]);
    expect(stores.slice(0, 3).map((store) => store.valueOf('r'))).toEqual([
      lock.value,
      lock.value,
      lock.value,
    ]);
    expect(lock.expiration).toBeGreaterThan(runtime.epochNow());
  });

  it.each(failureKinds)(
    'gives up within the retry budget when a majority of nodes $kind, saying which and why',
    async ({ apply, status, described }) => {
      const { runtime, nodes, stores, redlock } = createScriptedCluster({
        nodeCount: 3,
        options: { nodeTimeoutMs: 100, retryCount: 2 },
      });
      apply(nodes[1]!);
      apply(nodes[2]!);
      const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);

      expect(error).toBeInstanceOf(LockAcquireError);
      const failure = error as LockAcquireError;
      expect(failure.code).toBe('ACQUIRE_FAILED');
      expect(failure.resources).toEqual(['r']);
      // retryCount 2: the first attempt and two retries
      expect(failure.attempts).toHaveLength(3);
      expect(nodes.map((node) => node.calls.acquire)).toEqual([3, 3, 3]);
      for (const attempt of failure.attempts) {
        expect(attempt.outcomes.map((o) => [o.node, o.status])).toEqual([
          ['node-1', 'acquired'],
          ['node-2', status],
          ['node-3', status],
        ]);
      }
      if (status === 'error') {
        const outcome = failure.attempts[0]!.outcomes[1]!;
        expect(outcome.status === 'error' && outcome.cause).toBeInstanceOf(Error);
      }
      expect(failure.message).toMatch(/^could not lock "r": /);
      expect(failure.message).toContain(described);
      expect(failure.message).toMatch(/; 3 attempts$/);
      expect(stores[0]!.keys()).toEqual([]);
    },
  );

  it('keeps the error cause of each failing node in the attempt report', async () => {
    const { runtime, nodes, stores, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { retryCount: 0 },
    });
    const broken = new TypeError('Cannot read properties of undefined');
    nodes[0]!.script('acquire', rejectWith(refused));
    nodes[1]!.script('acquire', throwSync(broken));
    const error = (await runtime
      .runUntilSettled(redlock.acquire('r', 1000))
      .catch((e) => e)) as LockAcquireError;

    expect(error.attempts[0]!.outcomes).toEqual([
      { node: 'node-1', status: 'error', cause: refused },
      { node: 'node-2', status: 'error', cause: broken },
      // Two failures of three decide the round before node-3's "yes" is read.
      { node: 'node-3', status: 'pending' },
    ]);
    // ...but its key was set, so it was released too.
    expect(nodes[2]!.calls.release).toBe(1);
    expect(stores[2]!.keys()).toEqual([]);
  });
});
