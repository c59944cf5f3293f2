import { Lock, LockAcquireError, type Redlock } from '@redlock/core';
import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterNames, createAdapterRedlock } from '../src/adapters.js';
import { checkServersAreOwn } from '../src/lock-deployment.js';

const SERVER_COUNT = 3;
const QUORUM = 2;
const TTL_MS = 10_000;
/** The largest TTL Redlock accepts (the largest timer delay), about 24.8 days. */
const MAX_TTL_MS = 2 ** 31 - 1;
/** Time that may pass between acquiring and reading the PTTL back: generous, it only has to be far below the TTL. */
const PTTL_MARGIN_MS = 60_000;
/** How long after a tiny TTL its keys may still be listed: 2 ms plus a generous margin for the poll. */
const TINY_TTL_EXPIRY_DEADLINE_MS = 1_000;

/** Resource names that break naive escaping in Lua, RESP, logs or key handling. */
const hostileNames: readonly (readonly [label: string, name: string])[] = [
  ['Lua long brackets and comment', '"]]..--[['],
  ['Lua pattern / printf directive', '%s%d%%'],
  ['backslashes', '\\\\x\\'],
  ['newlines and CRLF (RESP framing)', 'line1\nline2\r\n*3\r\n$4'],
  ['NUL bytes', 'before\0after\0'],
  ['unicode (BMP, astral, combining, RTL)', 'ключ 🔒 e\u0301 漢字 \u202Eabc'],
  ['1 MB of text', 'x'.repeat(1024 * 1024)],
];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(adapterNames)('%s: hostile values on real Redis', (adapter) => {
  const { servers } = useRedisServers(SERVER_COUNT);
  let redlock: Redlock;
  let rival: Redlock;

  beforeAll(async () => {
    await checkServersAreOwn(servers);
    const urls = servers.map((server) => server.url);
    // These tests are about values, not faults: a per-node timeout far above
    // any scheduling hiccup of a loaded CI box, so every node takes part.
    const options = { retryCount: 20, retryDelay: 20, retryJitter: 10, nodeTimeoutMs: 2_000 };
    redlock = await createAdapterRedlock(adapter, urls, options);
    rival = await createAdapterRedlock(adapter, urls, options);
  });

  afterAll(async () => {
    await redlock?.close();
    await rival?.close();
  });

  /** The value of `key` on each server (null where absent). */
  const valuesOf = (key: string) => Promise.all(servers.map((server) => server.call('GET', key)));
  /**
   * Acquire resolves once a quorum agreed; the last node's script may still
   * be in flight. So: the exact key holds our value on a quorum, and no
   * server holds anything else under it.
   */
  const expectHeld = async (key: string, value: string) => {
    const values = await valuesOf(key);
    expect(values.filter((held) => held === value).length).toBeGreaterThanOrEqual(QUORUM);
    expect(values.filter((held) => held !== value && held !== null)).toEqual([]);
  };
  const allKeys = () => Promise.all(servers.map((server) => server.call('KEYS', '*')));

  it.each(hostileNames)('locks, extends and releases a resource named with %s', async (_, name) => {
    const lock = await redlock.acquire(name, TTL_MS);
    await expectHeld(name, lock.value);
    // The exact key is held: another owner is refused, not given a look-alike key.
    expect(await rival.tryAcquire(name, TTL_MS)).toBeNull();
    await lock.extend(TTL_MS);
    const report = await lock.release();
    expect(report.releasedNodes).toBeGreaterThanOrEqual(QUORUM);
    expect(await valuesOf(name)).toEqual(Array(SERVER_COUNT).fill(null));
    expect(await allKeys()).toEqual(Array(SERVER_COUNT).fill([]));
  });

  it('locks every hostile name at once, atomically, and releases them all', async () => {
    const names = hostileNames.map(([, name]) => name);
    const lock = await redlock.acquire(names, TTL_MS);
    for (const name of names) await expectHeld(name, lock.value);
    // One of the names is held, so the whole set is refused.
    expect(await rival.tryAcquire(['free', names[3]!], TTL_MS)).toBeNull();
    expect(await valuesOf('free')).toEqual(Array(SERVER_COUNT).fill(null));
    expect((await lock.release()).releasedNodes).toBeGreaterThanOrEqual(QUORUM);
    expect(await allKeys()).toEqual(Array(SERVER_COUNT).fill([]));
  });

  it('holds a lock with the largest TTL (2^31-1 ms) and releases it', async () => {
    const before = Date.now();
    const lock = await redlock.acquire('huge-ttl', MAX_TTL_MS);
    const pttls = await Promise.all(servers.map((server) => server.call('PTTL', 'huge-ttl')));
    // Set with the full TTL on a quorum (-2: a straggler node without the key).
    const full = pttls.filter((pttl) => Number(pttl) > MAX_TTL_MS - PTTL_MARGIN_MS);
    expect(full.length).toBeGreaterThanOrEqual(QUORUM);
    expect(pttls.filter((pttl) => !full.includes(pttl) && pttl !== -2)).toEqual([]);
    expect(Math.max(...pttls.map(Number))).toBeLessThanOrEqual(MAX_TTL_MS);
    // Validity is the TTL minus the drift allowance (1% + 2 ms) and the round's time.
    expect(lock.expiration).toBeGreaterThan(before + MAX_TTL_MS * 0.99 - PTTL_MARGIN_MS);
    expect(lock.expiration).toBeLessThanOrEqual(Date.now() + MAX_TTL_MS);
    await lock.extend(MAX_TTL_MS);
    expect((await lock.release()).releasedNodes).toBeGreaterThanOrEqual(QUORUM);
    expect(await allKeys()).toEqual(Array(SERVER_COUNT).fill([]));
  });

  it.each([1, 2])(
    'with a TTL of %i ms fails cleanly or succeeds, and leaves nothing behind once it expired',
    async (ttlMs) => {
      const name = `tiny-ttl-${ttlMs}`;
      const outcome = await redlock
        .acquire(name, ttlMs, { retryCount: 5, retryDelay: 1, retryJitter: 1 })
        .catch((error: unknown) => error);
      if (outcome instanceof Lock) {
        await outcome.release();
      } else {
        // Validity (ttl - elapsed - drift) cannot be positive at this TTL: a
        // clear refusal after the given retries, never a crash or a hang.
        expect(outcome).toBeInstanceOf(LockAcquireError);
        expect((outcome as LockAcquireError).code).toBe('ACQUIRE_FAILED');
        expect((outcome as LockAcquireError).attempts).toHaveLength(6);
      }
      const single = await redlock.tryAcquire(name, ttlMs).catch((error: unknown) => error);
      if (single instanceof Lock) await single.release();
      else if (single !== null) expect((single as LockAcquireError).code).toBe('ACQUIRE_FAILED');

      // Whatever landed expires: poll (the only way to watch a TTL) with a deadline.
      const deadline = performance.now() + TINY_TTL_EXPIRY_DEADLINE_MS;
      let keys = await allKeys();
      while (keys.flat().length > 0 && performance.now() < deadline) {
        await sleep(5);
        keys = await allKeys();
      }
      expect(keys).toEqual(Array(SERVER_COUNT).fill([]));
      // And the resource is free again for a normal lock.
      const next = await redlock.acquire(name, TTL_MS);
      expect((await next.release()).releasedNodes).toBeGreaterThanOrEqual(QUORUM);
    },
  );
});
