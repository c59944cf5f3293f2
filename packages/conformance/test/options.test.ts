import { InvalidArgumentError } from '@redlock/core';
import { MemoryLockNode } from '@redlock/memory';
import { describe, expect, it } from 'vitest';
import { type DescribeLockNodeOptions, resolveOptions } from '../src/options.js';

const createNode = () => new MemoryLockNode();

describe('describeLockNode options', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions({ name: 'memory', createNode });
    expect(resolved).toMatchObject({
      stores: 5,
      ttlGranularityMs: 1,
      keyPrefix: 'redlock-conformance:',
      testTimeoutMs: 10_000,
      skip: {},
      redlockOptions: {},
      createUnreachableNode: undefined,
    });
  });

  it.each<[string, Partial<DescribeLockNodeOptions>, string]>([
    ['no name', { name: '' }, '`name`'],
    ['no createNode', { createNode: undefined }, '`createNode`'],
    ['zero stores', { stores: 0 }, '`stores`'],
    ['a fractional granularity', { ttlGranularityMs: 0.5 }, '`ttlGranularityMs`'],
    ['a misspelt group', { skip: { watches: true } as never }, 'unknown group "watches"'],
  ])('rejects %s with a message naming the option', (_, override, message) => {
    const call = () => resolveOptions({ name: 'memory', createNode, ...override });
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(message);
  });
});
