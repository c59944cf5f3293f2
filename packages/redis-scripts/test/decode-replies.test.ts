import { describe, expect, it } from 'vitest';
import {
  decodeAcquireReply,
  decodeExtendReply,
  decodeInspectReply,
  decodeReleaseReply,
  RedisReplyError,
} from '../src/index.js';

describe('decodeAcquireReply', () => {
  it('reads [1] as acquired', () => {
    expect(decodeAcquireReply([1])).toEqual({ acquired: true });
  });

  it('reads [0, pttl] as held with the longest remaining TTL', () => {
    expect(decodeAcquireReply([0, 4200])).toEqual({ acquired: false, pttl: 4200 });
  });

  it('reads [0, -1] as held without a known TTL', () => {
    expect(decodeAcquireReply([0, -1])).toEqual({ acquired: false, pttl: -1 });
  });

  it('accepts bigint integers from RESP3 type mappings', () => {
    expect(decodeAcquireReply([0n, 17n])).toEqual({ acquired: false, pttl: 17 });
  });

  it.each([
    ['a bare integer', 1],
    ['a status reply', 'OK'],
    ['null', null],
    ['an empty array', []],
    ['[1] with an extra element', [1, 5]],
    ['[0] without a pttl', [0]],
    ['a string flag', ['1']],
    ['a pttl below -1', [0, -2]],
    ['a fractional pttl', [0, 1.5]],
  ])('rejects %s', (_label, reply) => {
    expect(() => decodeAcquireReply(reply)).toThrow(RedisReplyError);
    expect(() => decodeAcquireReply(reply)).toThrow(/unexpected reply to the acquire script/);
  });
});

describe('decodeExtendReply', () => {
  it('reads 1 as extended and 0 as not', () => {
    expect(decodeExtendReply(1)).toBe(true);
    expect(decodeExtendReply(0)).toBe(false);
  });

  it.each([[2], ['1'], [null], [[1]], [true]])('rejects %j', (reply) => {
    expect(() => decodeExtendReply(reply)).toThrow(RedisReplyError);
  });
});

describe('decodeReleaseReply', () => {
  it('reads the number of deleted keys', () => {
    expect(decodeReleaseReply(0, 2)).toBe(0);
    expect(decodeReleaseReply(2, 2)).toBe(2);
  });

  it('rejects more deletions than keys, negatives and non-integers', () => {
    expect(() => decodeReleaseReply(3, 2)).toThrow(/an integer from 0 to 2/);
    expect(() => decodeReleaseReply(-1, 2)).toThrow(RedisReplyError);
    expect(() => decodeReleaseReply('1', 2)).toThrow(RedisReplyError);
  });
});

describe('decodeInspectReply', () => {
  it('pairs values and TTLs per key, with null for absent keys', () => {
    expect(decodeInspectReply(['owner', 900, null, -2], 2)).toEqual([
      { value: 'owner', pttl: 900 },
      { value: null, pttl: -2 },
    ]);
  });

  it('decodes Buffer values as UTF-8', () => {
    expect(decodeInspectReply([Buffer.from('hé'), -1], 1)).toEqual([{ value: 'hé', pttl: -1 }]);
  });

  it('rejects a reply of the wrong length or element types', () => {
    expect(() => decodeInspectReply(['owner', 900], 2)).toThrow(/for each of 2 keys/);
    expect(() => decodeInspectReply([42, 900], 1)).toThrow(RedisReplyError);
    expect(() => decodeInspectReply(['owner', 'soon'], 1)).toThrow(RedisReplyError);
    expect(() => decodeInspectReply('owner', 1)).toThrow(RedisReplyError);
  });
});
