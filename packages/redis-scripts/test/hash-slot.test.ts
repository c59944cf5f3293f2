import { describe, expect, it } from 'vitest';
import { describeCrossSlotKeys, keyHashSlot } from '../src/index.js';

describe('keyHashSlot', () => {
  // Reference values from CLUSTER KEYSLOT on Redis 7.
  it.each([
    ['foo', 12182],
    ['bar', 5061],
    ['123456789', 12739],
    ['', 0],
  ])('hashes %j to slot %i like CLUSTER KEYSLOT', (key, slot) => {
    expect(keyHashSlot(key)).toBe(slot);
  });

  it('hashes only the hash tag when the key has one', () => {
    expect(keyHashSlot('{user1000}.following')).toBe(keyHashSlot('user1000'));
    expect(keyHashSlot('{user1000}.followers')).toBe(keyHashSlot('user1000'));
  });

  it('hashes the whole key when the braces are empty or unclosed', () => {
    expect(keyHashSlot('foo{}{bar}')).not.toBe(keyHashSlot('bar'));
    expect(keyHashSlot('foo{bar')).not.toBe(keyHashSlot('bar'));
  });

  it('uses the first closing brace after the first opening one', () => {
    expect(keyHashSlot('foo{{bar}}zap')).toBe(keyHashSlot('{bar'));
  });

  it('hashes UTF-8 bytes', () => {
    expect(keyHashSlot('{é}:1')).toBe(keyHashSlot('é'));
  });
});

describe('describeCrossSlotKeys', () => {
  it('accepts keys that share a hash tag', () => {
    expect(describeCrossSlotKeys(['{orders}:1', '{orders}:2'])).toBeUndefined();
  });

  it('accepts a single key', () => {
    expect(describeCrossSlotKeys(['orders:1'])).toBeUndefined();
  });

  it('names the conflicting keys and explains hash tags', () => {
    const message = describeCrossSlotKeys(['orders:1', 'orders:2']);
    expect(message).toContain('"orders:1"');
    expect(message).toContain('"orders:2"');
    expect(message).toContain('"{orders}:1" and "{orders}:2"');
  });
});
