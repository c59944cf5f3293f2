import { type Lock, Redlock, type RedlockRuntime } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import { MemoryLockNode, MemoryStore } from '../src/index.js';

/** Virtual time for one test: timers fire in due order as the test runs them. */
class VirtualTime implements RedlockRuntime {
  #now = 0;
  #nextId = 0;
  #seed: number;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  now(): number {
    return this.#now;
  }
  epochNow(): number {
    return 1_800_000_000_000 + this.#now;
  }
  setTimer(callback: () => void, delayMs: number): unknown {
    const id = ++this.#nextId;
    this.#timers.set(id, { at: this.#now + delayMs, callback });
    return id;
  }
  clearTimer(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  random(): number {
    // mulberry32
    this.#seed = (this.#seed + 0x6d2b79f5) >>> 0;
    let t = this.#seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  randomValue(): string {
    let out = '';
    for (let index = 0; index < 4; index++) {
      out += Math.floor(this.random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    }
    return out;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }

  /** Fires timers in due order until `promise` settles. */
  async runUntil<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    for (let fired = 0; fired < 1_000_000; fired++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) return watched;
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers)
        if (due === undefined || entry[1].at < due[1].at) due = entry;
      if (due === undefined) throw new Error('pending with no timer left');
      this.#timers.delete(due[0]);
      this.#now = Math.max(this.#now, due[1].at);
      due[1].callback();
    }
    throw new Error('too many timers');
  }
}

const WORKERS = 8;
const HOLD_MS = 1;
const THINK_MS = 1;

describe('waitingLine with busy workers of one Redlock (memory nodes, virtual time)', () => {
  it.each([1, 2, 3])(
    'keeps every wait within one turn of each other worker (seed %i)',
    async (seed) => {
      const time = new VirtualTime(seed);
      const nodes = Array.from(
        { length: 5 },
        () => new MemoryLockNode({ store: new MemoryStore({ clock: time }), latencyMs: 0 }),
      );
      // retryDelay 10: a waiter behind others refreshes its place every entryTtl / 4 =
      // 2 x (10 + 2 x 100) / 4 = 105 ms. A release that is not counted by a waiter
      // which is not first in this process's line makes it sleep that long; in
      // turn order a wait is at most one hold of each other worker.
      const redlock = new Redlock(nodes, {
        waitingLine: true,
        retryDelay: 10,
        retryJitter: 0,
        retryCount: -1,
        restartGuardMs: 0,
        runtime: time,
      });
      const waits: number[] = [];
      const worker = async (): Promise<void> => {
        while (time.now() < 300) {
          const startedAt = time.now();
          const lock: Lock = await redlock.acquire('r', 10_000);
          waits.push(time.now() - startedAt);
          await time.sleep(HOLD_MS);
          await lock.release();
          await time.sleep(THINK_MS);
        }
      };
      await time.runUntil(Promise.all(Array.from({ length: WORKERS }, worker)));
      await redlock.close();

      expect(waits.length, 'the workers took turns').toBeGreaterThan(WORKERS * 10);
      expect(
        Math.max(...waits),
        'no wait beyond one hold of each other worker',
      ).toBeLessThanOrEqual((WORKERS - 1) * (HOLD_MS + THINK_MS));
    },
  );
});
