import { expect, it } from 'vitest';
import { expectFree, expectHeld } from '../probes.js';
import type { Group } from './group.js';

/**
 * An `AbortSignal` that counts the abort listeners added to it and not yet
 * removed. (Listeners added with `{ once: true }` stay until the abort.)
 */
function countingSignal(): { signal: AbortSignal; active: () => number } {
  const signal = new AbortController().signal;
  const listeners = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  Object.assign(signal, {
    addEventListener(type: string, listener: unknown, options?: unknown) {
      if (type === 'abort') listeners.add(listener);
      add(type as 'abort', listener as EventListener, options as AddEventListenerOptions);
    },
    removeEventListener(type: string, listener: unknown, options?: unknown) {
      if (type === 'abort') listeners.delete(listener);
      remove(type as 'abort', listener as EventListener, options as EventListenerOptions);
    },
  });
  return { signal, active: () => listeners.size };
}

/**
 * What Redlock relies on across calls: one caller's requests are applied in
 * the order they were sent (a failed attempt's release is sent right after
 * its acquire, and the retry reuses the value), and a call lets go of its
 * signal once it settled (Redlock passes one round's signal to the next).
 */
export const callsGroup: Group = {
  name: 'calls',
  title: 'successive calls of one caller',
  define(h) {
    it('are applied in the order they were sent: acquire, then release at once', async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      const acquiring = node.acquire([key], mine, 10_000);
      const releasing = node.release([key], mine);
      expect(await acquiring).toEqual({ acquired: true });
      expect(await releasing, 'the release must find the key the acquire set').toBe(1);
      await expectFree(node, [key], 'the release was sent after the acquire');
    });

    it('are applied in the order they were sent: release, then acquire at once', async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      const releasing = node.release([key], mine);
      const acquiring = node.acquire([key], mine, 10_000);
      expect(await releasing, 'the release came before the acquire').toBe(0);
      expect(await acquiring).toEqual({ acquired: true });
      await expectHeld(node, [key], 'the acquire was sent after the release');
    });

    it('let go of their signal once settled (Redlock reuses a round signal)', async () => {
      const node = await h.node();
      const key = h.key();
      const mine = h.value();
      const { signal, active } = countingSignal();
      await node.acquire([key], mine, 10_000, signal);
      await node.extend([key], mine, 10_000, signal);
      await node.release([key], mine, signal);
      await node.release([key], mine, signal);
      expect(
        active(),
        'abort listeners left on a signal after the call settled would see a later round abort',
      ).toBe(0);
    });
  },
};
