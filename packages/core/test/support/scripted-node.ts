import type { AcquireReply, LockNode } from '../../src/index.js';
import { type CallCounts, emptyCallCounts } from './memory-node.js';

export type ScriptedOperation = 'acquire' | 'extend' | 'release' | 'watch';

/** What a scripted node does with a call. */
export type Behaviour =
  /** Forward to the inner node and return its answer. */
  | { readonly kind: 'pass' }
  /**
   * Forward to the inner node at once (the operation takes effect, as on a
   * real server), but hold the reply until the test calls `answer()`,
   * `resolveWith()` or `rejectWith()` on the entry in `deferred`. The
   * signal is ignored, like a node that is slow to notice an abort.
   */
  | { readonly kind: 'defer' }
  /** Never settle and never touch the inner node; ignores the signal. */
  | { readonly kind: 'hang' }
  /** Return a rejected promise. */
  | { readonly kind: 'reject'; readonly error: unknown }
  /** Throw synchronously from the method itself (a broken adapter). */
  | { readonly kind: 'throw'; readonly error: unknown }
  /** Resolve with this value, whatever it is (a reply of the wrong shape). */
  | { readonly kind: 'reply'; readonly value: unknown }
  /**
   * Request latency: the call reaches the inner node only after `latency()`
   * resolves, with Redlock's signal (so a call given up on meanwhile is
   * refused by the inner node, as by an adapter that honours aborts).
   */
  | { readonly kind: 'latency'; readonly latency: () => Promise<void> };

export const pass = (): Behaviour => ({ kind: 'pass' });
export const defer = (): Behaviour => ({ kind: 'defer' });
export const hang = (): Behaviour => ({ kind: 'hang' });
export const rejectWith = (error: unknown): Behaviour => ({ kind: 'reject', error });
export const throwSync = (error: unknown): Behaviour => ({ kind: 'throw', error });
export const replyWith = (value: unknown): Behaviour => ({ kind: 'reply', value });
/** Delay each call by `delayMs()` ms of the given runtime's (virtual) time. */
export const latency = (
  runtime: { setTimer(callback: () => void, delayMs: number): unknown },
  delayMs: () => number,
): Behaviour => ({
  kind: 'latency',
  latency: () => new Promise<void>((resolve) => runtime.setTimer(resolve, delayMs())),
});

/** A call held back by a `defer` behaviour. */
export interface DeferredCall {
  readonly operation: ScriptedOperation;
  /** The signal Redlock passed; lets a test see that the call was given up on. */
  readonly signal: AbortSignal | undefined;
  /** Deliver the inner node's real answer. */
  answer(): void;
  resolveWith(value: unknown): void;
  rejectWith(error: unknown): void;
}

interface Resolvers<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** `Promise.withResolvers`, which Node 20 lacks. */
export function resolvers<T>(): Resolvers<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Wraps a LockNode and lets a test decide, per operation, how each call
 * behaves: pass through, answer late, hang, reject, throw synchronously or
 * return garbage. `calls` counts what reached this wrapper.
 */
export class ScriptedNode implements LockNode {
  readonly name: string;
  readonly calls: CallCounts = emptyCallCounts();
  /** Calls held by `defer`, oldest first; answered ones stay listed. */
  readonly deferred: DeferredCall[] = [];
  readonly #behaviours: Record<ScriptedOperation, Behaviour> = {
    acquire: pass(),
    extend: pass(),
    release: pass(),
    watch: pass(),
  };
  readonly #once: Record<ScriptedOperation, Behaviour[]> = {
    acquire: [],
    extend: [],
    release: [],
    watch: [],
  };
  declare watch?: LockNode['watch'];

  constructor(
    readonly inner: LockNode,
    name: string = inner.name,
  ) {
    this.name = name;
    const innerWatch = inner.watch;
    if (innerWatch !== undefined) {
      this.watch = (keys, onRelease) =>
        this.#invoke('watch', undefined, () => innerWatch.call(inner, keys, onRelease));
    }
  }

  /** From now on, calls of `operation` (or of every operation) behave like `behaviour`. */
  script(operation: ScriptedOperation | 'all', behaviour: Behaviour): this {
    const operations: ScriptedOperation[] =
      operation === 'all' ? ['acquire', 'extend', 'release', 'watch'] : [operation];
    for (const each of operations) this.#behaviours[each] = behaviour;
    return this;
  }

  /** The next call of `operation` behaves like `behaviour`, then the script resumes. */
  once(operation: ScriptedOperation, behaviour: Behaviour): this {
    this.#once[operation].push(behaviour);
    return this;
  }

  acquire(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<AcquireReply> {
    return this.#invoke('acquire', signal, () => this.inner.acquire(keys, value, ttlMs, signal));
  }

  extend(
    keys: readonly string[],
    value: string,
    ttlMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    return this.#invoke('extend', signal, () => this.inner.extend(keys, value, ttlMs, signal));
  }

  release(keys: readonly string[], value: string, signal?: AbortSignal): Promise<number> {
    return this.#invoke('release', signal, () => this.inner.release(keys, value, signal));
  }

  #invoke<T>(
    operation: ScriptedOperation,
    signal: AbortSignal | undefined,
    forward: () => Promise<T>,
  ): Promise<T> {
    this.calls[operation]++;
    const behaviour = this.#once[operation].shift() ?? this.#behaviours[operation];
    switch (behaviour.kind) {
      case 'pass':
        return forward();
      case 'throw':
        throw behaviour.error;
      case 'reject':
        return Promise.reject(behaviour.error);
      case 'reply':
        return Promise.resolve(behaviour.value as T);
      case 'hang':
        return new Promise<T>(() => {});
      case 'latency':
        return behaviour.latency().then(forward);
      case 'defer': {
        const applied = forward();
        // The inner answer is observed here so that an unanswered deferral never
        // surfaces as an unhandled rejection.
        const outcome = applied.then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        const reply = resolvers<T>();
        this.deferred.push({
          operation,
          signal,
          answer: () => {
            outcome.then((settled) =>
              settled.ok ? reply.resolve(settled.value) : reply.reject(settled.error),
            );
          },
          resolveWith: (value) => reply.resolve(value as T),
          rejectWith: (error) => reply.reject(error),
        });
        return reply.promise;
      }
    }
  }
}
