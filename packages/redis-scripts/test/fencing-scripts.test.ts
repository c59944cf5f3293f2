import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireFencedKeys,
  acquireFencedScript,
  decodeAcquireFencedReply,
  decodeRaiseFenceReply,
  fenceKeyOf,
  parseServerRun,
  raiseFenceScript,
} from '../src/fencing-scripts.js';
import { keyHashSlot as hashSlot } from '../src/hash-slot.js';
import type { RedisScript } from '../src/index.js';

const { servers } = useRedisServers(1);
const server = () => servers[0]!;

afterEach(async () => {
  await server().command('FLUSHALL');
});

async function run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
  await server().call('SCRIPT', 'LOAD', script.source);
  return server().call('EVALSHA', script.sha1, keys.length, ...keys, ...args);
}

const acquireFenced = async (keys: string[], value: string, ttlMs: number) =>
  decodeAcquireFencedReply(
    await run(acquireFencedScript, acquireFencedKeys(keys), [value, String(ttlMs)]),
  );
const raiseFence = async (keys: string[], fence: bigint) =>
  decodeRaiseFenceReply(await run(raiseFenceScript, keys.map(fenceKeyOf), [String(fence)]));

describe('the fencing scripts on a real server', () => {
  it('grant like acquire and raise each counter to at least TIME in µs', async () => {
    const before = BigInt(Date.now() - 60_000) * 1000n;
    const first = await acquireFenced(['a', 'b'], 'me', 10_000);
    expect(first.acquired).toBe(true);
    if (!first.acquired) return;
    expect(first.fence).toBeGreaterThan(before);
    expect(await server().command('GET', 'a')).toBe('me');
    expect(await server().command('PTTL', fenceKeyOf('a'))).toBe('-1');
    const refused = await acquireFenced(['b'], 'other', 10_000);
    expect(refused.acquired).toBe(false);
    expect(await raiseFence(['b'], 0n)).toBeLessThanOrEqual(first.fence);
  });

  it('never lower a counter and keep it exact below 2^53', async () => {
    const far = 2n ** 52n;
    expect(await raiseFence(['k'], far)).toBe(far);
    expect(await raiseFence(['k'], far - 5n)).toBe(far);
    const next = await acquireFenced(['k'], 'me', 1_000);
    expect(next).toEqual({ acquired: true, fence: far + 1n });
  });

  it('keep each counter in its lock key slot', () => {
    for (const key of ['orders:42', '{tenant}:orders:42', 'a{b']) {
      expect(hashSlot(fenceKeyOf(key)), key).toBe(hashSlot(key));
    }
  });

  it('read the run id and uptime of INFO server', async () => {
    const run = parseServerRun(String(await server().command('INFO', 'server')));
    expect(run.runId).toMatch(/^[0-9a-f]{40}$/);
    expect(run.uptimeMs).toBeGreaterThanOrEqual(0);
  });
});
