import type { AcquireReply, FencedAcquireReply, LockNode } from '@redlock/core';
import { MemoryLockNode, MemoryStore } from '@redlock/memory';

/**
 * Deliberately broken LockNodes, each with one bug an adapter could really
 * have. The suite must fail every one of them; test/broken-nodes.test.ts
 * checks that it does, and on which tests.
 */

/** Deletes every given key on release, whoever holds it (a plain DEL). */
export class ReleaseIgnoresValueNode extends MemoryLockNode {
  override async release(keys: readonly string[], _value: string, signal?: AbortSignal) {
    signal?.throwIfAborted();
    let released = 0;
    for (const [index, state] of this.store.inspect(keys).entries()) {
      if (state.value !== null) released += this.store.release([keys[index]!], state.value);
    }
    return released;
  }
}

/** Sets keys one by one (SET NX per key) and stops at the first held key, leaving earlier ones set. */
export class NonAtomicAcquireNode extends MemoryLockNode {
  override async acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply> {
    signal?.throwIfAborted();
    for (const key of keys) {
      const reply = this.store.acquire([key], value, ttlMs);
      if (!reply.acquired) return reply;
    }
    return { acquired: true };
  }
}

/** Extends with a plain SET PX: revives lapsed locks and creates missing keys. */
export class ExtendCreatesKeysNode extends MemoryLockNode {
  override async extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    signal?.throwIfAborted();
    const states = this.store.inspect(keys);
    if (states.some((state) => state.value !== null && state.value !== value)) return false;
    this.store.acquire(keys, value, ttlMs);
    return true;
  }
}

/** Its backend is down, yet it answers "acquired" (an error swallowed into a default reply). */
export class ClaimsHeldWhenDownNode extends MemoryLockNode {
  constructor() {
    super();
    this.setAvailable(false);
  }
  override async acquire(): Promise<AcquireReply> {
    return { acquired: true };
  }
  override async extend(): Promise<boolean> {
    return true;
  }
  override async release(keys: readonly string[]): Promise<number> {
    return keys.length;
  }
}

/** Never looks at its signal: an aborted call still runs and resolves. */
export class IgnoresAbortNode extends MemoryLockNode {
  override acquire(keys: readonly string[], value: string, ttlMs: number) {
    return super.acquire(keys, value, ttlMs);
  }
  override extend(keys: readonly string[], value: string, ttlMs: number) {
    return super.extend(keys, value, ttlMs);
  }
  override release(keys: readonly string[], value: string) {
    return super.release(keys, value);
  }
}

/**
 * Applies an acquire one event-loop turn late and everything else at once,
 * as a connection pool that sends one caller's requests on different
 * connections would: a release sent right after an acquire runs first.
 */
export class AppliesOutOfOrderNode extends MemoryLockNode {
  override async acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply> {
    await new Promise((resolve) => setImmediate(resolve));
    return super.acquire(keys, value, ttlMs, signal);
  }
}

/** Listens for aborts on every call's signal and never stops listening. */
export class KeepsAbortListenerNode extends MemoryLockNode {
  override acquire(keys: readonly string[], value: string, ttlMs: number, signal?: AbortSignal) {
    signal?.addEventListener('abort', () => {});
    return super.acquire(keys, value, ttlMs, signal);
  }
}

/**
 * Keeps its fencing counters in the adapter (one map per node object)
 * instead of in the store with the lock: another client of the same server
 * starts from scratch, and so does this one after a restart of the process.
 */
export class FenceNotPersistedNode extends MemoryLockNode {
  readonly #counters = new Map<string, bigint>();

  override async acquireFenced(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<FencedAcquireReply> {
    const reply = await this.acquire(keys, value, ttlMs, signal);
    if (!reply.acquired) return reply;
    const floor = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
    let fence = 0n;
    for (const key of keys) {
      const next = (this.#counters.get(key) ?? 0n) + 1n;
      const counter = next > floor ? next : floor;
      this.#counters.set(key, counter);
      if (counter > fence) fence = counter;
    }
    return { acquired: true, fence };
  }

  override async raiseFence(keys: readonly string[], fence: bigint): Promise<bigint> {
    let smallest: bigint | undefined;
    for (const key of keys) {
      const current = this.#counters.get(key) ?? 0n;
      const counter = current > fence ? current : fence;
      this.#counters.set(key, counter);
      if (smallest === undefined || counter < smallest) smallest = counter;
    }
    return smallest ?? fence;
  }
}

/** Its write-back sets the counter to the given fence (a plain SET), lowering a larger one. */
export class FenceLoweringNode extends MemoryLockNode {
  override async raiseFence(keys: readonly string[], fence: bigint, signal?: AbortSignal) {
    signal?.throwIfAborted();
    for (const key of keys) this.store.setFence(key, fence);
    return fence;
  }
}

/**
 * Reports the run it saw first, forever (a node that checks `INFO` once, not
 * on every reconnection): a restart goes unnoticed.
 */
export class StaleServerRunNode extends MemoryLockNode {
  #first: { runId: string; uptimeMs: number } | undefined;
  readonly #createdAt = performance.now();

  override serverRun() {
    this.#first ??= this.store.serverRun();
    return {
      runId: this.#first.runId,
      uptimeMs: this.#first.uptimeMs + (performance.now() - this.#createdAt),
    };
  }
}

/**
 * `createNode` for a suite: nodes of class `Node` on `count` independent
 * memory stores, the same index sharing one store.
 */
export function nodesOn<T extends LockNode>(
  Node: new (options: { store: MemoryStore }) => T,
  count = 5,
): (store: number) => T {
  const stores = Array.from({ length: count }, () => new MemoryStore());
  return (store) => new Node({ store: stores[store]! });
}

/** A healthy node whose backend is down. */
export function unreachableMemoryNode(): MemoryLockNode {
  const node = new MemoryLockNode();
  node.setAvailable(false);
  return node;
}
