import { describe, expect, it } from 'vitest';
import { LockAcquireError, type LockNode, Redlock } from '../src/index.js';
import { holdElsewhere } from './support/cluster.js';
import { TestMemoryNode } from './support/memory-node.js';
import { latency, ScriptedNode } from './support/scripted-node.js';
import { VirtualRuntime } from './support/virtual-runtime.js';

type Role = 'held' | 'down' | 'free';

/**
 * Five nodes with the given roles; node i answers after `delays[i]` ms, so a
 * test can try every order in which the same outcomes arrive.
 */
async function tryAcquireWith(roles: readonly Role[], delays: readonly number[]) {
  const runtime = new VirtualRuntime();
  const stores = roles.map(
    (_, index) => new TestMemoryNode({ clock: runtime, name: `node-${index + 1}` }),
  );
  const nodes: LockNode[] = stores.map((store, index) => {
    if (roles[index] === 'held') holdElsewhere([store], 'r', 60_000);
    if (roles[index] === 'down') store.setAvailable(false);
    return new ScriptedNode(store).script(
      'acquire',
      latency(runtime, () => delays[index]!),
    );
  });
  const redlock = new Redlock(nodes, { runtime, nodeTimeoutMs: 100 });
  return runtime.runUntilSettled(
    redlock.tryAcquire('r', 1000).then(
      (lock) => ({ kind: lock === null ? 'null' : 'lock', message: '' }) as const,
      (error: unknown) => ({ kind: 'threw', message: (error as Error).message }) as const,
    ),
  );
}

describe('results independent of reply order', () => {
  const cases: [string, Role[], 'null' | 'threw'][] = [
    ['four held and one down: contention', ['held', 'held', 'held', 'held', 'down'], 'null'],
    ['three held and two down: contention', ['held', 'held', 'held', 'down', 'down'], 'null'],
    ['two held and three down: failure', ['held', 'held', 'down', 'down', 'down'], 'threw'],
    ['two held, one down, two free: failure', ['held', 'held', 'down', 'free', 'free'], 'threw'],
  ];

  it.each(cases)('tryAcquire with %s, whichever node answers first', async (_, roles, expected) => {
    const results = [];
    const base = [10, 20, 30, 40, 50];
    for (let which = 0; which < roles.length; which++) {
      // Node `which` answers first in one run and last in the other.
      results.push(
        await tryAcquireWith(
          roles,
          base.map((d, i) => (i === which ? 1 : d)),
        ),
      );
      results.push(
        await tryAcquireWith(
          roles,
          base.map((d, i) => (i === which ? 90 : d)),
        ),
      );
    }
    expect(new Set(results.map((result) => result.kind))).toEqual(new Set([expected]));
  });

  it('says how many nodes said held only as far as it knows, in the error of a failed acquire', async () => {
    // Four held, one down: the down node answering first decides nothing about the rest.
    const result = await tryAcquireWith(
      ['held', 'held', 'held', 'held', 'down'],
      [10, 20, 30, 40, 1],
    );
    expect(result.kind).toBe('null');
    const failed = await tryAcquireWith(
      ['held', 'held', 'down', 'down', 'down'],
      [50, 60, 1, 2, 3],
    );
    expect(failed.kind).toBe('threw');
    // Three failures decide it before the holds answer: the message does not guess them.
    expect(failed.message).toContain('3 nodes unreachable');
    expect(failed.message).not.toContain('held by another owner');
    expect(failed.message).toContain('2 nodes had not answered');
  });

  it('an acquire that gives up before every node answered does not claim a count it did not see', async () => {
    const runtime = new VirtualRuntime();
    const stores = [1, 2, 3, 4, 5].map(
      (n) => new TestMemoryNode({ clock: runtime, name: `node-${n}` }),
    );
    holdElsewhere(stores.slice(0, 4), 'r', 60_000);
    stores[4]!.setAvailable(false);
    const delays = [30, 40, 50, 60, 1];
    const nodes = stores.map((store, i) =>
      new ScriptedNode(store).script(
        'acquire',
        latency(runtime, () => delays[i]!),
      ),
    );
    // decided at the third failure: down, held, held; two nodes had not answered
    const redlock = new Redlock(nodes, { runtime, nodeTimeoutMs: 100, retryCount: 0 });
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1000).catch((e) => e));
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.message).not.toMatch(/held by another owner on 2\/5 nodes[;(]/);
    expect(error.message).toContain('at least 2/5 nodes');
    expect(error.message).toContain('2 nodes had not answered');
  });
});
