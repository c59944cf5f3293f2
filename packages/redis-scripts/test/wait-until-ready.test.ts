import { InvalidArgumentError, type LockNode, RedlockError } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import { NodesNotReadyError, type ReadyNode, waitUntilReady } from '../src/index.js';

const waitUntilNodesReady = (nodes: ReadyNode[], signal?: AbortSignal) =>
  waitUntilReady(nodes as unknown as LockNode[], { signal });

/** A node that becomes ready when the test says so, and gives up when its signal aborts. */
function node(name: string): ReadyNode & { becomeReady(): void } {
  let becomeReady!: () => void;
  const isReady = new Promise<void>((resolve) => {
    becomeReady = resolve;
  });
  return {
    name,
    becomeReady,
    ready: (signal) =>
      new Promise<void>((resolve, reject) => {
        isReady.then(resolve);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
  };
}

describe('waitUntilNodesReady', () => {
  it('resolves once every node is ready; nodes without ready() count as ready', async () => {
    const first = node('redis://a:6379/0');
    const second = node('redis://b:6379/0');
    let resolved = false;
    const waiting = waitUntilNodesReady([first, { name: 'memory://1' }, second]).then(() => {
      resolved = true;
    });

    first.becomeReady();
    await Promise.resolve();
    expect(resolved).toBe(false);
    second.becomeReady();

    await waiting;
    expect(resolved).toBe(true);
  });

  it('names the nodes not ready yet when the signal aborts, in the order given', async () => {
    const nodes = [node('redis://a:6379/0'), node('redis://b:6379/0'), node('redis://c:6379/0')];
    const controller = new AbortController();
    const waiting = waitUntilNodesReady(nodes, controller.signal);
    nodes[1]!.becomeReady();
    // One turn of the event loop: the promise callbacks of the ready node have run.
    await new Promise((resolve) => setImmediate(resolve));

    const reason = new Error('gave up');
    controller.abort(reason);

    const error = await waiting.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NodesNotReadyError);
    expect(error).toBeInstanceOf(RedlockError);
    expect(error).toMatchObject({
      name: 'NodesNotReadyError',
      code: 'ABORTED',
      message: '2 of 3 nodes not ready: redis://a:6379/0, redis://c:6379/0',
      nodeNames: ['redis://a:6379/0', 'redis://c:6379/0'],
      cause: reason,
    });
  });

  it('refuses anything but a Redlock or an array of nodes, and a signal that is not one', () => {
    expect(() => waitUntilReady(undefined as never)).toThrow(InvalidArgumentError);
    expect(() => waitUntilReady({} as never)).toThrow(
      'waitUntilReady needs a Redlock or an array of lock nodes',
    );
    expect(() => waitUntilReady([], { signal: 'soon' as never })).toThrow(
      'signal must be an AbortSignal',
    );
  });
});
