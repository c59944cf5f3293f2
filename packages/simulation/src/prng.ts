/**
 * A small seeded pseudo-random generator (mulberry32): 32 bits of state,
 * fast, and identical on every platform, so a seed names one run exactly.
 * Not for secrets; the simulation only needs reproducibility.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniformly distributed number in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A number in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `true` with probability `probability`. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A new generator whose stream depends only on this one's next output. */
  fork(): Prng {
    return new Prng(this.nextUint32());
  }

  /** `hexDigits` random hexadecimal characters. */
  hex(hexDigits: number): string {
    let out = '';
    while (out.length < hexDigits) out += this.nextUint32().toString(16).padStart(8, '0');
    return out.slice(0, hexDigits);
  }
}

/**
 * Mix a run's seed with a stream number (splitmix32 finaliser), so that
 * e.g. client 3's stream stays the same when client 5 is removed while
 * shrinking a failing scenario.
 */
export function deriveSeed(seed: number, stream: number): number {
  let z = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
