import { useRedisServers } from '@redlock/test-utils/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireScript,
  decodeAcquireReply,
  decodeExtendReply,
  decodeInspectReply,
  decodeReleaseReply,
  extendScript,
  inspectScript,
  lockScripts,
  RELEASE_CHANNEL_PREFIX,
  type RedisScript,
  releaseChannel,
  releaseScript,
} from '../src/index.js';

const { servers } = useRedisServers(1);
const server = () => servers[0]!;

afterEach(async () => {
  await server().command('FLUSHALL');
});

/** Runs `script` the way the adapters do, by SHA1 once loaded. */
async function run(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
  await server().call('SCRIPT', 'LOAD', script.source);
  return server().call('EVALSHA', script.sha1, keys.length, ...keys, ...args);
}

const acquire = async (keys: string[], value: string, ttlMs: number) =>
  decodeAcquireReply(await run(acquireScript, keys, [value, String(ttlMs)]));
const extend = async (keys: string[], value: string, ttlMs: number) =>
  decodeExtendReply(await run(extendScript, keys, [value, String(ttlMs)]));
const release = async (keys: string[], value: string) =>
  decodeReleaseReply(await run(releaseScript, keys, [value, RELEASE_CHANNEL_PREFIX]), keys.length);
const pttl = async (key: string) => Number(await server().command('PTTL', key));

describe('the lock scripts', () => {
  it.each(lockScripts.map((script) => [script.name, script] as const))(
    'names the %s script by the SHA1 Redis computes',
    async (_name, script) => {
      expect(await server().call('SCRIPT', 'LOAD', script.source)).toBe(script.sha1);
    },
  );

  describe('acquire', () => {
    it('sets every absent key to the value with the TTL', async () => {
      expect(await acquire(['a', 'b'], 'me', 10_000)).toEqual({ acquired: true });
      expect(await server().command('MGET', 'a', 'b')).toBe('me\nme');
      expect(await pttl('a')).toBeGreaterThan(9_000);
      expect(await pttl('b')).toBeLessThanOrEqual(10_000);
    });

    it('treats keys already holding the value as free and resets their TTL', async () => {
      await server().command('SET', 'a', 'me', 'PX', '1000');
      expect(await acquire(['a', 'b'], 'me', 10_000)).toEqual({ acquired: true });
      expect(await pttl('a')).toBeGreaterThan(9_000);
    });

    it('changes nothing and reports the longest TTL among keys held by others', async () => {
      await server().command('SET', 'a', 'other', 'PX', '5000');
      await server().command('SET', 'c', 'another', 'PX', '20000');
      const reply = await acquire(['a', 'b', 'c'], 'me', 10_000);
      expect(reply.acquired).toBe(false);
      expect(reply.acquired === false && reply.pttl).toBeGreaterThan(19_000);
      expect(await server().command('EXISTS', 'b')).toBe('0');
      expect(await server().command('GET', 'a')).toBe('other');
    });

    it('reports -1 for a key held by another value without a TTL', async () => {
      await server().command('SET', 'a', 'other');
      expect(await acquire(['a'], 'me', 10_000)).toEqual({ acquired: false, pttl: -1 });
    });

    it('takes keys and values literally, whatever characters they contain', async () => {
      const key = "k']] .. redis.call('FLUSHALL') .. [['\n{tag}";
      const value = "v\"); redis.call('SET', 'pwned', 1) --\0";
      expect(await acquire([key, 'plain'], value, 10_000)).toEqual({ acquired: true });
      expect(await server().call('GET', key)).toBe(value);
      expect(await server().command('EXISTS', 'pwned')).toBe('0');
    });
  });

  describe('extend', () => {
    it('resets the TTL of every key when all hold the value', async () => {
      await acquire(['a', 'b'], 'me', 1_000);
      expect(await extend(['a', 'b'], 'me', 30_000)).toBe(true);
      expect(await pttl('a')).toBeGreaterThan(29_000);
      expect(await pttl('b')).toBeGreaterThan(29_000);
    });

    it('changes nothing when one key is missing, and never creates it', async () => {
      await acquire(['a'], 'me', 1_000);
      expect(await extend(['a', 'b'], 'me', 30_000)).toBe(false);
      expect(await pttl('a')).toBeLessThanOrEqual(1_000);
      expect(await server().command('EXISTS', 'b')).toBe('0');
    });

    it('changes nothing when a key holds another value', async () => {
      await server().command('SET', 'a', 'other', 'PX', '1000');
      expect(await extend(['a'], 'me', 30_000)).toBe(false);
      expect(await pttl('a')).toBeLessThanOrEqual(1_000);
    });
  });

  describe('release', () => {
    it('deletes only the keys holding the value and counts them', async () => {
      await acquire(['a', 'b'], 'me', 10_000);
      await server().command('SET', 'c', 'other', 'PX', '10000');
      expect(await release(['a', 'b', 'c', 'absent'], 'me')).toBe(2);
      expect(await server().command('EXISTS', 'a', 'b')).toBe('0');
      expect(await server().command('GET', 'c')).toBe('other');
    });

    it('publishes the released value on the key’s release channel', async () => {
      const subscriber = await server().connect();
      try {
        expect(await subscriber.call(['SUBSCRIBE', releaseChannel('a')])).toEqual([
          'subscribe',
          'redlock:released:a',
          1,
        ]);
        await acquire(['a'], 'me', 10_000);
        await release(['a'], 'me');
        // The message was pushed before this PING's reply, and this test
        // connection hands out replies in arrival order.
        expect(await subscriber.call(['PING'])).toEqual(['message', 'redlock:released:a', 'me']);
      } finally {
        subscriber.destroy();
      }
    });
  });

  describe('inspect', () => {
    it('reports the holder and TTL of each key, and null / -2 for absent ones', async () => {
      await acquire(['a'], 'me', 10_000);
      await server().command('SET', 'forever', 'x');
      const states = decodeInspectReply(
        await run(inspectScript, ['a', 'absent', 'forever'], []),
        3,
      );
      expect(states).toEqual([
        { value: 'me', pttl: expect.any(Number) },
        { value: null, pttl: -2 },
        { value: 'x', pttl: -1 },
      ]);
      expect(states[0]!.pttl).toBeGreaterThan(9_000);
    });
  });
});
