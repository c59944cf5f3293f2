import { type Lock, Redlock, type RedlockOptions } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import type { Harness } from '../harness.js';
import { expectFree, pttlSeenByOthers } from '../probes.js';
import { sleep } from '../wait.js';
import type { Group } from './group.js';

/**
 * Settings for the suite's Redlocks: short retry delays keep contention
 * tests fast, a per-node timeout generous enough for a remote backend, and
 * no restart guard.
 * `redlockOptions` from the suite's options override them.
 */
const suiteRedlockOptions: RedlockOptions = {
  retryDelay: 10,
  retryJitter: 20,
  nodeTimeoutMs: 500,
  // Test servers have just started: the restart guard has its own group.
  restartGuardMs: 0,
};

function describeRedlockOf(h: Harness, nodeCount: number) {
  const enough = h.options.stores >= nodeCount;
  const title = enough
    ? `a Redlock of ${nodeCount} nodes`
    : `a Redlock of ${nodeCount} nodes (needs ${nodeCount} stores, ${h.options.stores} configured)`;
  const quorum = Math.floor(nodeCount / 2) + 1;

  /** A Redlock on fresh nodes of stores `0..nodeCount-1`: one more process contending. */
  const client = async (options: RedlockOptions = {}) =>
    new Redlock(await h.nodes(nodeCount), {
      ...suiteRedlockOptions,
      ...h.options.redlockOptions,
      ...options,
    });

  (enough ? describe : describe.skip)(title, () => {
    it('keeps 10 concurrent acquirers mutually exclusive', {
      timeout: 3 * h.options.testTimeoutMs,
    }, async () => {
      const resource = h.key();
      const clients = await Promise.all(Array.from({ length: 10 }, () => client()));
      let inside = 0;
      let mostInside = 0;
      let counter = 0;
      const roundsEach = 3;
      await Promise.all(
        clients.map(async (redlock) => {
          for (let round = 0; round < roundsEach; round += 1) {
            const lock = await redlock.acquire(resource, 5_000, {
              retryCount: -1,
              waitTimeoutMs: 2 * h.options.testTimeoutMs,
            });
            inside += 1;
            mostInside = Math.max(mostInside, inside);
            const read = counter; // a read-modify-write that only a lock keeps exact
            await sleep(1);
            counter = read + 1;
            inside -= 1;
            await lock.release();
          }
        }),
      );
      expect(mostInside, 'two owners held the lock at once').toBe(1);
      expect(counter, 'increments were lost: the critical sections overlapped').toBe(
        clients.length * roundsEach,
      );
    });

    it('locks only when a quorum of nodes is free, for every pattern of taken nodes', async () => {
      const redlock = await client();
      const nodes = redlock.nodes;
      for (let pattern = 0; pattern < 2 ** nodeCount; pattern += 1) {
        const taken = nodes.map((_, index) => (pattern & (1 << index)) !== 0);
        const picture = taken.map((isTaken) => (isTaken ? 'x' : '.')).join('');
        const resource = h.key(`:${picture}`);
        const occupier = h.value('occupier');
        for (const [index, node] of nodes.entries()) {
          if (taken[index]) await node.acquire([resource], occupier, 30_000);
        }
        const freeNodes = taken.filter((isTaken) => !isTaken).length;
        const lock = await redlock.tryAcquire(resource, 10_000);
        expect(lock !== null, `nodes taken: ${picture} (quorum ${quorum})`).toBe(
          freeNodes >= quorum,
        );
        await lock?.release();
        for (const [index, node] of nodes.entries()) {
          if (taken[index]) {
            const stillHeld = await node.extend([resource], occupier, 30_000);
            expect(stillHeld, `${picture}: the occupier's key on node ${index} was deleted`).toBe(
              true,
            );
            await node.release([resource], occupier);
          } else {
            await expectFree(node, [resource], `${picture}: node ${index} kept a key of ours`);
          }
        }
      }
    });

    it('keeps a lock on several resources exclusive on each of them', async () => {
      const owner = await client();
      const other = await client();
      const [a, b, c, d] = h.keys(4) as [string, string, string, string];
      const lock = await owner.acquire([a, b], 10_000);
      expect(await other.tryAcquire([b, c], 10_000), 'b is part of the held lock').toBeNull();
      const disjoint = await other.tryAcquire([c, d], 10_000);
      expect(disjoint, 'c and d are not locked').not.toBeNull();
      await disjoint?.release();
      await lock.release();
      const after = await other.tryAcquire([b, c], 10_000);
      expect(after, 'b was released').not.toBeNull();
      await after?.release();
    });

    it('moves expiration forward on extend, and lets another owner in on release', async () => {
      const owner = await client();
      const other = await client();
      const resource = h.key();
      const lock = await owner.acquire(resource, 2_000);
      const firstExpiration = lock.expiration;
      expect(firstExpiration).toBeGreaterThan(Date.now());
      expect(firstExpiration).toBeLessThanOrEqual(Date.now() + 2_000);

      expect(await lock.extend(60_000)).toBe(lock);
      expect(lock.expiration).toBeGreaterThan(firstExpiration + 30_000);
      expect(lock.expiration).toBeLessThanOrEqual(Date.now() + 60_000);
      let extendedNodes = 0;
      for (const node of owner.nodes) {
        if ((await pttlSeenByOthers(node, resource)) > h.maxPttl(2_000)) extendedNodes += 1;
      }
      expect(extendedNodes, 'the keys must be extended on a quorum').toBeGreaterThanOrEqual(quorum);

      const report = await lock.release();
      // release() resolves once a quorum confirmed; the others were sent it too.
      expect(report.releasedNodes).toBeGreaterThanOrEqual(quorum);
      const next = await other.tryAcquire(resource, 2_000);
      expect(next).not.toBeNull();
      await next?.release();
    });

    it('tryAcquire resolves null while another owner holds the lock', async () => {
      const owner = await client();
      const other = await client();
      const resource = h.key();
      const lock = await owner.acquire(resource, 10_000);
      expect(await other.tryAcquire(resource, 10_000)).toBeNull();
      await lock.release();
    });

    it('a waiting acquirer gets the lock once the holder releases it', async () => {
      const owner = await client();
      const waiter = await client();
      const resource = h.key();
      const lock = await owner.acquire(resource, 30_000);
      const waiting: Promise<Lock> = waiter.acquire(resource, 10_000, {
        retryCount: -1,
        waitTimeoutMs: h.options.testTimeoutMs,
      });
      await sleep(30);
      await lock.release();
      const next = await waiting;
      expect(next.value).not.toBe(lock.value);
      await next.release();
    });

    it('using runs the routine while holding the lock, then releases it', async () => {
      const owner = await client();
      const other = await client();
      const resource = h.key();
      const result = await owner.using(resource, 5_000, async (signal, lock) => {
        expect(signal.aborted).toBe(false);
        expect(lock.resources).toEqual([resource]);
        expect(await other.tryAcquire(resource, 5_000), 'held during the routine').toBeNull();
        return 'done';
      });
      expect(result).toBe('done');
      await expect(
        owner.using(resource, 5_000, async () => {
          throw new Error('routine failed');
        }),
      ).rejects.toThrow('routine failed');
      const after = await other.tryAcquire(resource, 5_000);
      expect(after, 'released after the routine, even after it threw').not.toBeNull();
      await after?.release();
    });
  });
}

export const redlockGroup: Group = {
  name: 'redlock',
  title: 'Redlock',
  define(h) {
    describeRedlockOf(h, 3);
    describeRedlockOf(h, 5);
  },
};
