import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, LockAcquireError } from '../src/index.js';
import { createCluster, createScriptedCluster, holdElsewhere } from './support/cluster.js';
import { rejectWith, replyWith, throwSync } from './support/scripted-node.js';

const hostileNames: [string, string][] = [
  ['Lua pattern and long-bracket characters', 'a%s[[x]]--%d^$().*+-?'],
  ['quotes and backslashes', `it's "quoted" \\ and \`ticked\``],
  ['newlines and tabs', 'line 1\nline 2\r\n\tend'],
  ['NUL characters', 'before\0after\0'],
  ['emoji', '🔒 orders 👩‍👩‍👧‍👦'],
  ['right-to-left text and overrides', 'שלום \u202Eevil\u202C مرحبا'],
  ['a lone surrogate', 'broken \uD800 pair'],
  ['Redis-looking text', '*3\r\n$3\r\nSET\r\n'],
  ['a JSON array', '["a","b"]'],
];

describe('hostile values', () => {
  it.each(hostileNames)('locks and releases a resource named with %s', async (_, name) => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const lock = await runtime.runUntilSettled(redlock.acquire([name, 'plain'], 1000));
    expect(lock.resources).toEqual([name, 'plain']);
    expect(nodes.map((node) => node.valueOf(name))).toEqual([lock.value, lock.value, lock.value]);

    // Another owner is refused exactly on that name, and the message stays one readable line.
    const error = await runtime
      .runUntilSettled(newRedlock().acquire(name, 1000, { retryCount: 0 }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.message).toContain(JSON.stringify(name).slice(0, 20));
    expect(error.message).not.toContain('\n');

    const report = await runtime.runUntilSettled(lock.release());
    expect(report.releasedNodes).toBe(redlock.quorum);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('treats canonically equivalent unicode names as different resources (exact comparison)', async () => {
    const { runtime, redlock } = createCluster({ nodeCount: 3 });
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    const first = await runtime.runUntilSettled(redlock.acquire(composed, 1000));
    const second = await runtime.runUntilSettled(redlock.tryAcquire(decomposed, 1000));
    expect(second).not.toBeNull();
    expect(second!.value).not.toBe(first.value);
  });

  it('locks and releases a 1 MB resource name, and keeps its error messages short', async () => {
    const { runtime, nodes, redlock, newRedlock } = createCluster({ nodeCount: 3 });
    const huge = 'x'.repeat(1024 * 1024);
    const lock = await runtime.runUntilSettled(redlock.acquire(huge, 1000));
    expect(nodes[0]!.valueOf(huge)).toBe(lock.value);

    const contended = await runtime
      .runUntilSettled(newRedlock().acquire(huge, 1000, { retryCount: 0 }))
      .catch((e) => e);
    expect(contended.message.length).toBeLessThan(500);

    await runtime.runUntilSettled(lock.release());
    expect(nodes.map((node) => node.size)).toEqual([0, 0, 0]);

    const duplicate = await runtime
      .runUntilSettled(redlock.acquire([huge, huge], 1000))
      .catch((e) => e);
    expect(duplicate).toBeInstanceOf(InvalidArgumentError);
    expect(duplicate.message.length).toBeLessThan(500);
  });

  it('works with the largest TTL a timer can take, 2^31 - 1 ms', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const maxTtl = 2 ** 31 - 1;
    const lock = await runtime.runUntilSettled(redlock.acquire('r', maxTtl));
    expect(lock.expiration).toBe(runtime.epochNow() + maxTtl - (maxTtl * 0.01 + 2));
    expect(nodes[0]!.pttlOf('r')).toBe(maxTtl);
    await runtime.runUntilSettled(lock.extend(maxTtl));
    expect(lock.state).toBe('held');

    const result = await runtime.runUntilSettled(redlock.using('s', maxTtl, async () => 'ok'));
    expect(result).toBe('ok');
    expect(runtime.pendingTimers).toBe(0);
  });

  it('refuses a TTL above 2^31 - 1 ms with a clear error', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const error = await runtime.runUntilSettled(redlock.acquire('r', 2 ** 31)).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toContain('at most 2147483647');
    expect(nodes.every((node) => node.calls.acquire === 0)).toBe(true);
  });

  it('fails cleanly with a 1 ms TTL: no validity, and no key left behind', async () => {
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { retryCount: 0 },
    });
    const error = await runtime.runUntilSettled(redlock.acquire('r', 1)).catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.code).toBe('ACQUIRE_FAILED');
    expect(error.message).toContain('leaving no validity');
    expect(error.attempts[0].validityMs).toBeLessThanOrEqual(0);
    // Checked at the same virtual instant: the keys were released, not left to expire.
    expect(runtime.now()).toBe(10_000);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  describe('garbage replies never count as votes and never crash', () => {
    const garbageAcquireReplies: [string, unknown][] = [
      ['undefined', undefined],
      ['null', null],
      ["'OK'", 'OK'],
      ['1', 1],
      ['true', true],
      ["{ acquired: 'yes' }", { acquired: 'yes' }],
      ['{ acquired: 1 }', { acquired: 1 }],
      ['{ acquired: false } without pttl', { acquired: false }],
      ['{ acquired: false, pttl: NaN }', { acquired: false, pttl: Number.NaN }],
      ["{ acquired: false, pttl: '5' }", { acquired: false, pttl: '5' }],
      ['an array', [true]],
      [
        'an object whose getter throws',
        Object.defineProperty({}, 'acquired', {
          get() {
            throw new Error('getter exploded');
          },
        }),
      ],
    ];

    it.each(garbageAcquireReplies)('acquire resolving %s', async (_, reply) => {
      const { runtime, nodes, stores, redlock } = createScriptedCluster({
        nodeCount: 3,
        options: { retryCount: 0 },
      });
      nodes[1]!.script('acquire', replyWith(reply));
      nodes[2]!.script('acquire', replyWith(reply));
      const error = await runtime.runUntilSettled(redlock.acquire('r', 1000)).catch((e) => e);
      expect(error).toBeInstanceOf(LockAcquireError);
      const statuses = error.attempts[0].outcomes.map((o: { status: string }) => o.status);
      expect(statuses.slice(1)).toEqual(['error', 'error']);
      expect(stores.map((store) => store.keys())).toEqual([[], [], []]);

      // And a minority of such nodes does not stop the lock.
      nodes[2]!.script('acquire', replyWith({ acquired: true }));
      nodes[2]!.script('release', replyWith(1));
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      expect(lock.state).toBe('held');
    });

    it.each<[string, unknown]>([
      ['undefined', undefined],
      ["'true'", 'true'],
      ['1', 1],
      ['null', null],
      ['{}', {}],
    ])('extend resolving %s', async (_, reply) => {
      const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      nodes[1]!.script('extend', replyWith(reply));
      nodes[2]!.script('extend', replyWith(reply));
      const error = await runtime.runUntilSettled(lock.extend(1000)).catch((e) => e);
      expect(error.code).toBe('EXTEND_FAILED');
      expect(error.message).toContain('invalid extend reply');
      expect(lock.state).toBe('lost');
    });

    it.each<[string, unknown]>([
      ['-1', -1],
      ['NaN', Number.NaN],
      ["'1'", '1'],
      ['1.5', 1.5],
      ['undefined', undefined],
      ['Infinity', Number.POSITIVE_INFINITY],
    ])('release resolving %s', async (_, reply) => {
      const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      nodes[0]!.script('release', replyWith(reply));
      const report = await runtime.runUntilSettled(lock.release());
      expect(report.releasedNodes).toBe(2);
      expect(report.outcomes[0]!.status).toBe('error');
    });

    it('a node that throws synchronously from every method', async () => {
      const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
      nodes[0]!.script('all', throwSync(new TypeError('this.client is undefined')));
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      await runtime.runUntilSettled(lock.extend(1000));
      const report = await runtime.runUntilSettled(lock.release());
      expect(report.outcomes[0]).toMatchObject({ node: 'node-1', status: 'error' });
      expect(report.releasedNodes).toBe(2);
    });
  });

  describe('a broken watch never breaks an acquisition', () => {
    it.each<[string, unknown]>([
      ['resolves undefined instead of an unsubscribe function', undefined],
      ['resolves a string', 'subscribed'],
      [
        'gives an unsubscribe that throws synchronously',
        () => {
          throw new Error('unsubscribe exploded');
        },
      ],
      ['gives an unsubscribe that returns nothing', () => undefined],
      ['gives an unsubscribe that rejects', () => Promise.reject(new Error('unsubscribe failed'))],
    ])('watch %s', async (_, reply) => {
      const { runtime, nodes, stores, redlock } = createScriptedCluster({
        nodeCount: 3,
        options: { retryDelay: 100, retryJitter: 0 },
      });
      for (const node of nodes) node.script('watch', replyWith(reply));
      holdElsewhere(stores, 'r', 250);
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      expect(lock.attempts.length).toBeGreaterThanOrEqual(1);
      expect(nodes[0]!.calls.watch).toBe(1);
      expect(stores.map((store) => store.valueOf('r'))).toEqual([
        lock.value,
        lock.value,
        lock.value,
      ]);
    });

    it('watch throwing synchronously or rejecting', async () => {
      const { runtime, nodes, stores, redlock } = createScriptedCluster({
        nodeCount: 3,
        options: { retryDelay: 100, retryJitter: 0 },
      });
      nodes[0]!.script('watch', throwSync(new Error('no pub/sub')));
      nodes[1]!.script('watch', rejectWith(new Error('subscribe failed')));
      holdElsewhere(stores, 'r', 250);
      const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
      expect(stores[0]!.valueOf('r')).toBe(lock.value);
    });
  });
});
