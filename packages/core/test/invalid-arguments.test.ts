import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type LockNode, Redlock, RedlockError } from '../src/index.js';
import { allCalls } from './support/cluster.js';
import { TestMemoryNode } from './support/memory-node.js';
import { VirtualRuntime } from './support/virtual-runtime.js';

function setup() {
  const runtime = new VirtualRuntime();
  const nodes = [1, 2, 3].map((n) => new TestMemoryNode({ clock: runtime, name: `node-${n}` }));
  return { runtime, nodes, redlock: new Redlock(nodes, { runtime }) };
}

function expectInvalidArgument(error: unknown): void {
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(error).toBeInstanceOf(RedlockError);
  expect((error as InvalidArgumentError).code).toBe('INVALID_ARGUMENT');
  expect((error as InvalidArgumentError).name).toBe('InvalidArgumentError');
  expect((error as InvalidArgumentError).message.length).toBeGreaterThan(10);
}

/** Calls `call`, which must not throw synchronously, and returns what it rejected with. */
async function rejectionOf(call: () => Promise<unknown>): Promise<unknown> {
  const pending = call();
  return pending.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

const anyValue = (value: unknown) => value as never;

describe('bad input is refused with InvalidArgumentError before any node is touched', () => {
  describe('new Redlock(nodes, options)', () => {
    const runtime = new VirtualRuntime();
    const a = new TestMemoryNode({ clock: runtime, name: 'a' });
    const b = new TestMemoryNode({ clock: runtime, name: 'b' });
    const aTwin = new TestMemoryNode({ clock: runtime, name: 'a' });
    const notANode = { name: 'x', acquire: async () => ({ acquired: true }) };

    it.each<[string, unknown]>([
      ['no nodes', []],
      ['undefined', undefined],
      ['null', null],
      ['a single node not in an array', a],
      ['a string', 'redis://localhost'],
      ['an empty object among nodes', [a, {}]],
      ['null among nodes', [a, null]],
      ['an object missing extend and release', [a, notANode]],
      ['a node without a name', [{ ...notANode, name: undefined, extend() {}, release() {} }]],
      ['the same node object twice', [a, b, a]],
      ['two nodes with the same name', [a, aTwin]],
    ])('nodes: %s', (_, nodes) => {
      let thrown: unknown;
      try {
        new Redlock(anyValue(nodes), { runtime });
      } catch (error) {
        thrown = error;
      }
      expectInvalidArgument(thrown);
      expect(allCalls([a, b, aTwin])).toBe(0);
    });

    it.each<[string, unknown]>([
      ['null options', null],
      ['string options', 'fast'],
      ['quorum above N', { quorum: 3 }],
      ['quorum below a majority', { quorum: 1 }],
      ['quorum not an integer', { quorum: 1.5 }],
      ['negative retryDelay', { retryDelay: -1 }],
      ['infinite retryDelay', { retryDelay: Number.POSITIVE_INFINITY }],
      ['retryDelay as a string', { retryDelay: '200' }],
      ['negative retryJitter', { retryJitter: -1 }],
      ['NaN retryJitter', { retryJitter: Number.NaN }],
      ['retryCount below -1', { retryCount: -2 }],
      ['fractional retryCount', { retryCount: 1.5 }],
      ['NaN retryCount', { retryCount: Number.NaN }],
      ['negative driftFactor', { driftFactor: -0.01 }],
      ['driftFactor above 0.5', { driftFactor: 0.6 }],
      ['NaN driftFactor', { driftFactor: Number.NaN }],
      ['nodeTimeoutMs 0', { nodeTimeoutMs: 0 }],
      ['infinite nodeTimeoutMs', { nodeTimeoutMs: Number.POSITIVE_INFINITY }],
      ['negative automaticExtensionThreshold', { automaticExtensionThreshold: -1 }],
      ['negative waitTimeoutMs', { waitTimeoutMs: -1 }],
      ['NaN waitTimeoutMs', { waitTimeoutMs: Number.NaN }],
    ])('options: %s', (_, options) => {
      let thrown: unknown;
      try {
        const withRuntime =
          options !== null && typeof options === 'object' ? { ...options, runtime } : options;
        new Redlock([a, b], anyValue(withRuntime));
      } catch (error) {
        thrown = error;
      }
      expectInvalidArgument(thrown);
      expect(allCalls([a, b])).toBe(0);
    });

    it('accepts the documented edge values', () => {
      const redlock = new Redlock([a, b, aTwin as LockNode].slice(0, 2), {
        runtime,
        retryCount: -1,
        retryDelay: 0,
        retryJitter: 0,
        driftFactor: 0,
        automaticExtensionThreshold: 0,
        waitTimeoutMs: 0,
        quorum: 2,
      });
      expect(redlock.quorum).toBe(2);
    });
  });

  const badResources: [string, unknown][] = [
    ['an empty string', ''],
    ['an empty array', []],
    ['an empty string in a list', ['a', '']],
    ['a number', 42],
    ['a number in a list', ['a', 1]],
    ['null', null],
    ['undefined', undefined],
    ['an object', { key: 'a' }],
    ['a nested array', [['a']]],
    ['a duplicate', ['a', 'b', 'a']],
  ];
  const badTtls: unknown[] = [
    0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    '100',
    undefined,
    null,
    2 ** 31,
  ];
  const badAcquireOptions: [string, unknown][] = [
    ['null options', null],
    ['string options', 'x'],
    ['negative retryDelay', { retryDelay: -1 }],
    ['retryCount below -1', { retryCount: -5 }],
    ['NaN waitTimeoutMs', { waitTimeoutMs: Number.NaN }],
    ['a signal that is not an AbortSignal', { signal: { aborted: false } }],
  ];
  type Entry = (
    redlock: Redlock,
    resources: unknown,
    ttlMs: unknown,
    options?: unknown,
  ) => Promise<unknown>;
  const entries: [string, Entry][] = [
    ['acquire', (redlock, r, t, o) => redlock.acquire(anyValue(r), anyValue(t), anyValue(o))],
    ['tryAcquire', (redlock, r, t, o) => redlock.tryAcquire(anyValue(r), anyValue(t), anyValue(o))],
    [
      'using',
      (redlock, r, t, o) =>
        o === undefined
          ? redlock.using(anyValue(r), anyValue(t), async () => 'ran')
          : redlock.using(anyValue(r), anyValue(t), anyValue(o), async () => 'ran'),
    ],
  ];

  describe.each(entries)('%s', (_, call) => {
    it.each(badResources)('resources: %s', async (_, resources) => {
      const { nodes, redlock } = setup();
      expectInvalidArgument(await rejectionOf(() => call(redlock, resources, 1000)));
      expect(allCalls(nodes)).toBe(0);
    });

    it.each(badTtls)('ttlMs: %s', async (ttlMs) => {
      const { nodes, redlock } = setup();
      expectInvalidArgument(await rejectionOf(() => call(redlock, 'r', ttlMs)));
      expect(allCalls(nodes)).toBe(0);
    });
  });

  describe.each(entries.filter(([name]) => name !== 'tryAcquire'))('%s options', (_, call) => {
    it.each(badAcquireOptions)('%s', async (_, options) => {
      const { nodes, redlock } = setup();
      expectInvalidArgument(await rejectionOf(() => call(redlock, 'r', 1000, options)));
      expect(allCalls(nodes)).toBe(0);
    });
  });

  it('tryAcquire: a signal that is not an AbortSignal', async () => {
    const { nodes, redlock } = setup();
    expectInvalidArgument(
      await rejectionOf(() => redlock.tryAcquire('r', 1000, anyValue({ signal: 'stop' }))),
    );
    expect(allCalls(nodes)).toBe(0);
  });

  it.each<[string, (redlock: Redlock) => Promise<unknown>]>([
    ['no routine', (redlock) => redlock.using('r', 1000, anyValue(undefined))],
    ['options but no routine', (redlock) => redlock.using('r', 1000, {}, anyValue(undefined))],
    ['a routine that is not a function', (redlock) => redlock.using('r', 1000, {}, anyValue('go'))],
    [
      'a negative automaticExtensionThreshold',
      (redlock) => redlock.using('r', 1000, { automaticExtensionThreshold: -1 }, async () => {}),
    ],
  ])('using: %s', async (_, call) => {
    const { nodes, redlock } = setup();
    expectInvalidArgument(await rejectionOf(() => call(redlock)));
    expect(allCalls(nodes)).toBe(0);
  });
});
