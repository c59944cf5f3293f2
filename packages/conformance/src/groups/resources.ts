import { expect, it } from 'vitest';
import { expectFree, expectHeld } from '../probes.js';
import type { Group } from './group.js';

/**
 * Resource names users really pass. Each breaks a naive adapter somewhere:
 * string-built commands, Lua long brackets, `{}` hash tags in a Redis
 * Cluster, channel names, SQL quoting, line-based protocols.
 */
export const unusualNames: [string, string][] = [
  ['spaces and a tab', ' with  spaces\tand a tab '],
  ['unicode', 'zürich 東京 🔒 ñ'],
  ['hash-tag braces', 'orders{42}:{}:}{'],
  ['newlines', 'line one\nline two\r\n'],
  ['Lua metacharacters', `lua "]]..--[[ ' %s \\ #{x}`],
  ['glob and pattern characters', 'pattern:*?[a-z]^$'],
  ['a long name', 'long:'.repeat(100)],
];

export const resourcesGroup: Group = {
  name: 'resources',
  title: 'unusual resource names',
  define(h) {
    it.each(unusualNames)('locks, extends and releases a key with %s', async (_, name) => {
      const node = await h.node();
      const key = h.key(`:${name}`);
      const mine = h.value(name);
      expect(await node.acquire([key], mine, 10_000)).toEqual({ acquired: true });
      expect((await node.acquire([key], h.value('other'), 10_000)).acquired).toBe(false);
      expect(await node.extend([key], mine, 10_000)).toBe(true);
      if (node.inspect !== undefined) {
        const [state] = await node.inspect([key]);
        expect(state?.value, 'inspect must return the value byte for byte').toBe(mine);
      }
      expect(await node.release([key], mine)).toBe(1);
      await expectFree(node, [key], 'the key was released');
    });

    it('locks every unusual name at once, atomically', async () => {
      const node = await h.node();
      const keys = unusualNames.map(([, name]) => h.key(`:${name}`));
      const mine = h.value();
      expect(await node.acquire(keys, mine, 10_000)).toEqual({ acquired: true });
      await expectHeld(node, keys, 'every key was acquired');
      expect(await node.release(keys, mine)).toBe(keys.length);
    });

    it('keeps names that differ only by a character apart', async () => {
      const node = await h.node();
      const [base] = h.keys(1, ':name');
      const similar = [`${base} `, `${base}\n`, base!.toUpperCase(), `${base}{}`];
      await node.acquire([base!], h.value(), 10_000);
      await expectFree(node, similar, 'a different name is a different key');
    });
  },
};
