import { describe, expect, it } from 'vitest';
import {
  describeValue,
  InvalidArgumentError,
  MAX_TIMER_MS,
  validateKeys,
  validateLockArguments,
  validateLockValue,
  validateTimerMs,
  validateTtl,
} from '../src/index.js';

describe('the argument checks core exports for adapters', () => {
  it('accepts timer durations from min up to 2^31 - 1 ms and returns them', () => {
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
    expect(validateTimerMs('closeTimeoutMs', 0)).toBe(0);
    expect(validateTimerMs('closeTimeoutMs', 2.5)).toBe(2.5);
    expect(validateTimerMs('closeTimeoutMs', MAX_TIMER_MS)).toBe(MAX_TIMER_MS);
    expect(validateTimerMs('commandTimeoutMs', 1, { min: 1, integer: true })).toBe(1);
  });

  it.each<[string, unknown, { min?: number; integer?: boolean }, RegExp]>([
    ['negative', -1, {}, /closeTimeoutMs must be a finite number of milliseconds >= 0, got -1/],
    ['below min', 0, { min: 1 }, />= 1, got 0 \(number\)/],
    ['NaN', Number.NaN, {}, /got NaN/],
    ['Infinity', Number.POSITIVE_INFINITY, {}, /got Infinity/],
    ['a string', '100', {}, /got "100" \(string\)/],
    ['fractional where whole ms are needed', 1.5, { integer: true }, /an integer number/],
    ['past the longest timer', 2 ** 31, {}, /at most 2147483647 ms/],
  ])('refuses %s with a typed error', (_, value, rule, message) => {
    expect(() => validateTimerMs('closeTimeoutMs', value, rule)).toThrow(InvalidArgumentError);
    expect(() => validateTimerMs('closeTimeoutMs', value, rule)).toThrow(message);
  });

  it('checks TTLs, keys and values the way core does before calling a node', () => {
    expect(validateTtl(1)).toBe(1);
    expect(() => validateTtl(0)).toThrow(/ttlMs must be a positive integer/);
    expect(() => validateTtl(MAX_TIMER_MS + 1)).toThrow(/at most 2147483647/);
    expect(validateKeys(['a', 'b'])).toEqual(['a', 'b']);
    expect(() => validateKeys([])).toThrow(InvalidArgumentError);
    expect(() => validateKeys(['a', ''])).toThrow(/keys\[1\] must be a non-empty string/);
    expect(validateLockValue('v')).toBe('v');
    expect(() => validateLockValue('')).toThrow(/value must be a non-empty string/);
    expect(() => validateLockArguments(['k'], 'v', 1.5)).toThrow(InvalidArgumentError);
    expect(() => validateLockArguments(['k'], 'v')).not.toThrow();
  });

  it('describes bad values briefly', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(-1)).toBe('-1 (number)');
    expect(describeValue([1, 2])).toBe('an array of length 2');
    expect(describeValue('x'.repeat(50))).toBe(`"${'x'.repeat(40)}..." (string)`);
  });
});
