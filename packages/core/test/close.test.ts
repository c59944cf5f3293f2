import { describe, expect, it } from 'vitest';
import { type LockNode, Redlock } from '../src/index.js';
import { TestMemoryNode } from './support/memory-node.js';
import { VirtualRuntime } from './support/virtual-runtime.js';

function closable(runtime: VirtualRuntime, name: string, close: () => Promise<void>) {
  const node: LockNode & { closed: number } = Object.assign(
    new TestMemoryNode({ clock: runtime, name }),
    { closed: 0 },
  );
  node.close = () => {
    node.closed++;
    return close();
  };
  return node;
}

describe('redlock.close', () => {
  it('closes every node, even when one fails to close, and never rejects', async () => {
    const runtime = new VirtualRuntime();
    const nodes = [
      closable(runtime, 'a', () => {
        throw new Error('close exploded');
      }),
      closable(runtime, 'b', () => Promise.reject(new Error('close failed'))),
      closable(runtime, 'c', async () => {}),
    ];
    const redlock = new Redlock(nodes, { runtime });
    await expect(redlock.close()).resolves.toBeUndefined();
    expect(nodes.map((node) => node.closed)).toEqual([1, 1, 1]);
  });

  it('closes the nodes at the end of an `await using` block', async () => {
    const runtime = new VirtualRuntime();
    const nodes = ['a', 'b', 'c'].map((name) => closable(runtime, name, async () => {}));
    {
      await using redlock = new Redlock(nodes, { runtime });
      expect(redlock.quorum).toBe(2);
    }
    expect(nodes.map((node) => node.closed)).toEqual([1, 1, 1]);
  });
});
