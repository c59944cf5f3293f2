import type { LockNode } from '@redlock/core';
import { expect, it } from 'vitest';
import { expectFree, expectHeld, pttlSeenByOthers } from '../probes.js';
import { settleWithin } from '../wait.js';
import type { Group } from './group.js';

/** An already-aborted call must not wait for the backend; a second is generous. */
const PROMPT_MS = 1_000;

/** Asserts `call` rejects promptly with the signal's reason (or an `AbortError`). */
export async function expectAbortRejection(call: Promise<unknown>, reason: unknown) {
  const settled = await settleWithin(call, PROMPT_MS);
  expect(settled.status, `must reject within ${PROMPT_MS} ms when the signal is aborted`).toBe(
    'rejected',
  );
  if (settled.status !== 'rejected') return;
  const error = settled.reason as { name?: unknown } | null;
  if (error !== reason) {
    expect(error?.name, 'must reject with signal.reason or an AbortError').toBe('AbortError');
  }
}

function abortedSignal() {
  const reason = new Error('aborted by the conformance suite');
  return { reason, signal: AbortSignal.abort(reason) };
}

export const abortGroup: Group = {
  name: 'abort',
  title: 'an already-aborted signal',
  define(h) {
    const holdKey = async (node: LockNode) => {
      const key = h.key();
      const mine = h.value();
      await node.acquire([key], mine, 10_000);
      return { key, mine };
    };

    it('makes acquire reject without taking the key', async () => {
      const node = await h.node();
      const key = h.key();
      const { reason, signal } = abortedSignal();
      await expectAbortRejection(node.acquire([key], h.value(), 10_000, signal), reason);
      await expectFree(node, [key], 'an aborted acquire must not reach the store');
    });

    it('makes extend reject without extending the key', async () => {
      const node = await h.node();
      const { key, mine } = await holdKey(node);
      const { reason, signal } = abortedSignal();
      await expectAbortRejection(node.extend([key], mine, 60_000, signal), reason);
      const pttl = await pttlSeenByOthers(node, key);
      expect(pttl, 'an aborted extend must not reach the store').toBeLessThanOrEqual(
        h.maxPttl(10_000),
      );
    });

    it('makes release reject without deleting the key', async () => {
      const node = await h.node();
      const { key, mine } = await holdKey(node);
      const { reason, signal } = abortedSignal();
      await expectAbortRejection(node.release([key], mine, signal), reason);
      await expectHeld(node, [key], 'an aborted release must not reach the store');
    });

    it('accepts the reason of AbortSignal.abort() without one given', async () => {
      const node = await h.node();
      const signal = AbortSignal.abort();
      await expectAbortRejection(node.acquire([h.key()], h.value(), 10_000, signal), signal.reason);
    });
  },
};
