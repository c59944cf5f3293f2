import type { ReleaseListener } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import { MemoryLockNode, MemoryStore } from '../src/index.js';

/** A listener that records calls and lets the test await the next one. */
function recorder() {
  const calls: (string | undefined)[] = [];
  let waiting: (() => void) | undefined;
  const listener: ReleaseListener = (value) => {
    calls.push(value);
    waiting?.();
  };
  const next = (count: number) =>
    new Promise<void>((resolve) => {
      if (calls.length >= count) return resolve();
      waiting = () => {
        if (calls.length >= count) resolve();
      };
    });
  return { calls, listener, next };
}

describe('MemoryLockNode.watch', () => {
  it('calls the listener with the released value', async () => {
    const node = new MemoryLockNode();
    const seen = recorder();
    await node.watch(['a', 'b'], seen.listener);
    await node.acquire(['b'], 'owner-1', 1_000);
    expect(await node.release(['b'], 'owner-1')).toBe(1);
    await seen.next(1);
    expect(seen.calls).toEqual(['owner-1']);
  });

  it('notifies once per released key, and never for keys not released', async () => {
    const node = new MemoryLockNode();
    const seen = recorder();
    await node.watch(['a', 'b', 'c'], seen.listener);
    await node.acquire(['a', 'b'], 'mine', 1_000);
    await node.acquire(['c'], 'other', 1_000);
    await node.acquire(['d'], 'mine', 1_000);
    await node.release(['a', 'b', 'c', 'd'], 'mine');
    await seen.next(2);
    await Promise.resolve();
    expect(seen.calls).toEqual(['mine', 'mine']);
  });

  it('does not notify on expiry, clear() or a failed release', async () => {
    let now = 0;
    const node = new MemoryLockNode({ clock: { now: () => now } });
    const seen = recorder();
    await node.watch(['a', 'b', 'c', 'z'], seen.listener);
    await node.acquire(['a'], 'x', 10);
    now = 10;
    await node.acquire(['b'], 'x', 10);
    node.clear();
    await node.acquire(['c'], 'x', 1_000);
    await node.release(['c'], 'y');
    await node.acquire(['z'], 'last', 1_000);
    await node.release(['z'], 'last');
    await seen.next(1);
    expect(seen.calls).toEqual(['last']);
  });

  it('stops after unsubscribe, even for a release already under way', async () => {
    const node = new MemoryLockNode();
    const stopped = recorder();
    const control = recorder();
    const unsubscribe = await node.watch(['k'], stopped.listener);
    await node.watch(['k'], control.listener);
    await node.acquire(['k'], 'a', 1_000);
    const release = node.release(['k'], 'a');
    await unsubscribe();
    await release;
    await control.next(1);
    expect(stopped.calls).toEqual([]);
    await unsubscribe(); // idempotent
  });

  it('delivers a release through one node to a watcher on another node of the same store', async () => {
    const store = new MemoryStore();
    const watcher = new MemoryLockNode({ store });
    const releaser = new MemoryLockNode({ store });
    const seen = recorder();
    await watcher.watch(['k'], seen.listener);
    await releaser.acquire(['k'], 'a', 1_000);
    await releaser.release(['k'], 'a');
    await seen.next(1);
    expect(seen.calls).toEqual(['a']);
  });

  it('drops notifications while the watching node is unavailable', async () => {
    const store = new MemoryStore();
    const watcher = new MemoryLockNode({ store });
    const releaser = new MemoryLockNode({ store });
    const seen = recorder();
    await watcher.watch(['k'], seen.listener);
    watcher.setAvailable(false);
    await releaser.acquire(['k'], 'lost', 1_000);
    await releaser.release(['k'], 'lost');
    await Promise.resolve();
    watcher.setAvailable(true);
    await releaser.acquire(['k'], 'seen', 1_000);
    await releaser.release(['k'], 'seen');
    await seen.next(1);
    expect(seen.calls).toEqual(['seen']);
  });

  it('stops every watch made through the node on close()', async () => {
    const store = new MemoryStore();
    const watcher = new MemoryLockNode({ store });
    const other = new MemoryLockNode({ store });
    const closed = recorder();
    const control = recorder();
    await watcher.watch(['k'], closed.listener);
    await other.watch(['k'], control.listener);
    await watcher.close();
    await other.acquire(['k'], 'a', 1_000);
    await other.release(['k'], 'a');
    await control.next(1);
    expect(closed.calls).toEqual([]);
  });

  it('treats the same listener watched twice as two subscriptions', async () => {
    const node = new MemoryLockNode();
    const seen = recorder();
    const first = await node.watch(['k'], seen.listener);
    await node.watch(['k'], seen.listener);
    await first();
    await node.acquire(['k'], 'a', 1_000);
    await node.release(['k'], 'a');
    await seen.next(1);
    await Promise.resolve();
    expect(seen.calls).toEqual(['a']);
  });
});
