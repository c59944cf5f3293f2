import { expect, it } from 'vitest';
import { recordListener } from '../wait.js';
import { nodeWith } from './capability.js';
import type { Group } from './group.js';

/** How long a release notification may take to arrive (pub/sub round trip). */
const DELIVERY_MS = 2_000;

/**
 * Tests never sleep to prove that something did *not* happen: each releases
 * a key watched by a control listener afterwards and, once the control has
 * heard it, checks what the listener under test heard. Notifications from
 * one node arrive in release order, so anything wrongly sent earlier has
 * arrived by then.
 */
export const watchGroup: Group = {
  name: 'watch',
  title: 'watch (optional)',
  define(h) {
    /** A watching node plus a second client of the same store that takes and releases keys. */
    const clients = async (context: Parameters<typeof nodeWith>[1]) => {
      const watcher = await nodeWith(h, context, 'watch');
      const other = await h.node(0);
      const releaseAs = async (key: string, value: string) => {
        expect(await other.acquire([key], value, 10_000)).toEqual({ acquired: true });
        expect(await other.release([key], value)).toBe(1);
      };
      return { watcher, other, releaseAs };
    };

    it('calls onRelease when another client releases a watched key', async (context) => {
      const { watcher, releaseAs } = await clients(context);
      const [a, b] = h.keys(2) as [string, string];
      const heard = recordListener();
      await watcher.watch([a, b], heard.listener);
      const value = h.value();
      await releaseAs(b, value);
      await heard.called(1, DELIVERY_MS);
      expect([undefined, value], 'onRelease gets the released value, if any').toContain(
        heard.calls[0],
      );
    });

    it('does not call onRelease for keys it does not watch', async (context) => {
      const { watcher, releaseAs } = await clients(context);
      const [watched, unwatched] = h.keys(2) as [string, string];
      const heard = recordListener();
      const control = recordListener();
      await watcher.watch([watched], heard.listener);
      await watcher.watch([unwatched], control.listener);
      await releaseAs(unwatched, h.value('unwatched'));
      await control.called(1, DELIVERY_MS);
      expect(heard.calls, 'a release of an unwatched key must not be heard').toEqual([]);

      const value = h.value('watched');
      await releaseAs(watched, value);
      await heard.called(1, DELIVERY_MS);
      expect([undefined, value]).toContain(heard.calls[0]);
    });

    it('does not call onRelease when a release is refused for a wrong value', async (context) => {
      const { watcher, other, releaseAs } = await clients(context);
      const [held, control] = h.keys(2) as [string, string];
      const heard = recordListener();
      const controlHeard = recordListener();
      await watcher.watch([held], heard.listener);
      await watcher.watch([control], controlHeard.listener);
      const mine = h.value();
      await other.acquire([held], mine, 10_000);
      expect(await other.release([held], h.value('wrong'))).toBe(0);
      await releaseAs(control, h.value('control'));
      await controlHeard.called(1, DELIVERY_MS);
      expect(heard.calls, 'nothing was released').toEqual([]);
    });

    it('stops calling onRelease once unsubscribed', async (context) => {
      const { watcher, releaseAs } = await clients(context);
      const key = h.key();
      const stopped = recordListener();
      const control = recordListener();
      const unsubscribe = await watcher.watch([key], stopped.listener);
      await watcher.watch([key], control.listener);
      await unsubscribe();
      await releaseAs(key, h.value());
      await control.called(1, DELIVERY_MS);
      expect(stopped.calls, 'an unsubscribed listener must not be called').toEqual([]);
    });

    it('notifies watchers on every client of the store', async (context) => {
      const { watcher, releaseAs } = await clients(context);
      const second = await nodeWith(h, context, 'watch');
      const key = h.key();
      const first = recordListener();
      const other = recordListener();
      await watcher.watch([key], first.listener);
      await second.watch([key], other.listener);
      await releaseAs(key, h.value());
      await first.called(1, DELIVERY_MS);
      await other.called(1, DELIVERY_MS);
    });
  },
};
