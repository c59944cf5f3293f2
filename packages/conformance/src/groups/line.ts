import type { InLineReply, LinePlace, LockNode } from '@redlock/core';
import { expect, it, type TestContext } from 'vitest';
import type { Harness } from '../harness.js';
import { sleep } from '../wait.js';
import type { Group } from './group.js';

type LineNode = LockNode & Required<Pick<LockNode, 'acquireInLine'>>;

const TTL_MS = 10_000;
/** Long against a test, so only the test that is about lapsing sees a place lapse. */
const ENTRY_TTL_MS = 10_000;

async function lineNode(h: Harness, context: TestContext, store = 0): Promise<LineNode> {
  const node = await h.node(store);
  if (typeof node.acquireInLine !== 'function') {
    await h.closeNodes();
    context.skip('the node has no waiting line (acquireInLine)');
  }
  return node as LineNode;
}

function place(score: number, entryTtlMs = ENTRY_TTL_MS): LinePlace {
  return { score, entryTtlMs };
}

function expectRefused(
  reply: InLineReply,
  because: string,
): asserts reply is InLineReply & {
  acquired: false;
} {
  expect(reply.acquired, because).toBe(false);
}

/**
 * The waiting line: a node grants only to the first live place of every
 * key's line (by score, then value as bytes), keeps places for their entry
 * TTL, and drops them when they lapse or their waiter leaves.
 */
export const lineGroup: Group = {
  name: 'line',
  title: 'waiting lines (optional)',
  define(h) {
    it('grant to the first place in line only, even while the key is free', async (context) => {
      const node = await lineNode(h, context);
      const key = h.key();
      const [holder, first, second] = [h.value('holder'), h.value('first'), h.value('second')];
      expect((await node.acquireInLine([key], holder, TTL_MS, place(1))).acquired).toBe(true);
      const firstWaits = await node.acquireInLine([key], first, TTL_MS, place(10));
      expectRefused(firstWaits, 'the key is held');
      expect(firstWaits.ahead).toBe(0);
      expect(firstWaits.pttl).toBeGreaterThan(0);
      const secondWaits = await node.acquireInLine([key], second, TTL_MS, place(20));
      expectRefused(secondWaits, 'the key is held');
      expect(secondWaits.ahead, 'one place ranks before the second waiter').toBe(1);

      await node.release([key], holder);
      const jumped = await node.acquireInLine([key], second, TTL_MS, place(20));
      expectRefused(jumped, 'the second waiter must not jump the first once the key is free');
      expect(jumped.ahead).toBe(1);
      expect(jumped.pttl, 'a free key refused for the line reports pttl -1').toBe(-1);
      const newcomer = await node.acquire([key], h.value('plain'), TTL_MS);
      expect(newcomer.acquired, 'a plain acquire is not held back by the line').toBe(true);
    });

    it('hand the key over in the order of the places, not of the calls', async (context) => {
      const node = await lineNode(h, context);
      const key = h.key();
      const [holder, early, late] = [h.value('holder'), h.value('early'), h.value('late')];
      await node.acquireInLine([key], holder, TTL_MS, place(1));
      await node.acquireInLine([key], late, TTL_MS, place(300));
      await node.acquireInLine([key], early, TTL_MS, place(200));
      await node.release([key], holder);
      expect((await node.acquireInLine([key], late, TTL_MS, place(300))).acquired).toBe(false);
      expect((await node.acquireInLine([key], early, TTL_MS, place(200))).acquired).toBe(true);
      await node.release([key], early);
      const next = await node.acquireInLine([key], late, TTL_MS, place(300));
      expect(next.acquired, 'the winner left the line, so the next place is first').toBe(true);
    });

    it('break ties of equal scores by value, compared as bytes', async (context) => {
      const node = await lineNode(h, context);
      const key = h.key();
      const holder = h.value('holder');
      await node.acquireInLine([key], holder, TTL_MS, place(1));
      const [small, large] = ['a-waiter', 'b-waiter'];
      await node.acquireInLine([key], large, TTL_MS, place(5));
      await node.acquireInLine([key], small, TTL_MS, place(5));
      await node.release([key], holder);
      expect((await node.acquireInLine([key], large, TTL_MS, place(5))).acquired).toBe(false);
      expect((await node.acquireInLine([key], small, TTL_MS, place(5))).acquired).toBe(true);
    });

    it('drop a place once its entry TTL passed', async (context) => {
      const node = await lineNode(h, context);
      const key = h.key();
      const holder = h.value('holder');
      await node.acquireInLine([key], holder, TTL_MS, place(1));
      // A waiter that refreshes no more (it died): 100 ms, then a margin of 150 ms.
      await node.acquireInLine([key], h.value('dead'), TTL_MS, place(2, 100));
      await node.release([key], holder);
      const before = await node.acquireInLine([key], h.value('alive'), TTL_MS, place(3, 0));
      expect(before.acquired, 'the place is still live').toBe(false);
      await sleep(250);
      const after = await node.acquireInLine([key], h.value('alive'), TTL_MS, place(3));
      expect(after.acquired, 'a lapsed place must not hold the line').toBe(true);
    });

    it('take no place with entryTtlMs 0, and drop one already taken', async (context) => {
      const node = await lineNode(h, context);
      const key = h.key();
      const [holder, once, waiter] = [h.value('holder'), h.value('once'), h.value('waiter')];
      await node.acquireInLine([key], holder, TTL_MS, place(1));
      await node.acquireInLine([key], once, TTL_MS, place(2, 0));
      await node.acquireInLine([key], waiter, TTL_MS, place(3));
      const seen = await node.acquireInLine([key], waiter, TTL_MS, place(3));
      expectRefused(seen, 'the key is held');
      expect(seen.ahead, 'a single attempt (entryTtlMs 0) takes no place').toBe(0);
      // The waiter leaves: the line is empty again.
      await node.acquireInLine([key], waiter, TTL_MS, place(3, 0));
      await node.release([key], holder);
      expect((await node.acquireInLine([key], once, TTL_MS, place(9, 0))).acquired).toBe(true);
    });

    it('wait in every line of a multi-key lock and report the most places ahead', async (context) => {
      const node = await lineNode(h, context);
      const [a, b] = h.keys(2);
      const holder = h.value('holder');
      await node.acquireInLine([a!, b!], holder, TTL_MS, place(1));
      await node.acquireInLine([b!], h.value('b1'), TTL_MS, place(2));
      await node.acquireInLine([b!], h.value('b2'), TTL_MS, place(3));
      const both = await node.acquireInLine([a!, b!], h.value('both'), TTL_MS, place(4));
      expectRefused(both, 'the keys are held');
      expect(both.ahead, 'two places before ours in the line of b, none in a').toBe(2);
    });
  },
};
