import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, Prng } from '../src/prng.js';

describe('Prng', () => {
  it('gives the same stream for the same seed', () => {
    const draw = (seed: number) => {
      const random = new Prng(seed);
      return Array.from({ length: 20 }, () => random.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws integers within the inclusive bounds', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -50, max: 50 }),
        fc.nat(100),
        (seed, min, span) => {
          const value = new Prng(seed).int(min, min + span);
          expect(value).toBeGreaterThanOrEqual(min);
          expect(value).toBeLessThanOrEqual(min + span);
          expect(Number.isInteger(value)).toBe(true);
        },
      ),
    );
  });

  it('derives different streams for different stream numbers of one seed', () => {
    const seeds = new Set(Array.from({ length: 100 }, (_, stream) => deriveSeed(7, stream)));
    expect(seeds.size).toBe(100);
  });
});
