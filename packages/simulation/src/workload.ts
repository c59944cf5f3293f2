import {
  type AcquireOptions,
  type Lock,
  LockAcquireError,
  LockLostError,
  type RedlockOptions,
} from '@redlock/core';
import type { FencedStore } from './fenced-store.js';
import type { Holding, HoldingStyle } from './holding.js';
import type { Prng } from './prng.js';
import type { SimulatedClient } from './simulated-client.js';

/** The resource sets clients fight over: two single resources and both at once. */
export const RESOURCE_SETS: readonly (readonly string[])[] = [['a'], ['b'], ['a', 'b']];

export const MIN_TTL_MS = 150;

/** What a client's workload can ask of the world. */
export interface WorkloadContext {
  readonly client: SimulatedClient;
  readonly maxTtlMs: number;
  /** Whether faults still happen; the workload starts operations only while they do. */
  faultsActive(): boolean;
  /** The client starts relying on `lock`, acquired by a call that started at `startedAtMs`. */
  hold(lock: Lock, style: HoldingStyle, startedAtMs: number, signal?: AbortSignal): Holding;
  /** Virtual time now. */
  now(): number;
  /** The protected store of `resource` (Kleppmann's scenario). */
  store(resource: string): FencedStore;
  /** Whether holders do read-modify-write on the stores, some of them late. */
  readonly staleWriters: boolean;
  /** The client stops relying on the lock, for `reason` (no-op if it already did). */
  letGo(holding: Holding, reason: string): void;
  /** Stop the whole process (a GC pause) for `durationMs` virtual ms, starting now. */
  pause(durationMs: number): void;
  /** A Redlock call completed (successfully or not). */
  countOperation(): void;
  /** Add a line to the trace. */
  note(text: string): void;
  /** The library threw something it should not have. */
  unexpected(error: unknown, during: string): void;
}

/** Per-client Redlock settings, drawn from the client's random stream. */
export function clientOptions(random: Prng): Omit<RedlockOptions, 'runtime'> {
  return {
    retryCount: 10,
    retryDelay: random.int(20, 200),
    retryJitter: random.int(0, 100),
    automaticExtensionThreshold: random.int(50, 500),
  };
}

/**
 * One client's life: while faults last, think, then acquire-and-work,
 * try once, or run a `using` routine; sometimes pause right after getting
 * the lock, sometimes work past validity, sometimes extend. Every choice
 * comes from the client's own random stream.
 */
export async function runWorkload(context: WorkloadContext): Promise<void> {
  const { client } = context;
  const { random } = client;
  for (let count = 0; count < client.spec.maxOperations; count++) {
    client.activity = 'thinking';
    await client.sleep(random.int(0, 200));
    if (!context.faultsActive()) break;
    client.operationsStarted++;
    const resources = random.pick(RESOURCE_SETS);
    const ttlMs = random.int(MIN_TTL_MS, context.maxTtlMs);
    const roll = random.next();
    const kind = roll < 0.4 ? 'acquire' : roll < 0.55 ? 'tryAcquire' : 'using';
    // Sometimes the caller gives up waiting (or, for `using`, stops the routine) after a while.
    const caller = random.chance(0.15) ? new AbortController() : undefined;
    const giveUp =
      caller &&
      client.runtime.setTimer(
        () => caller.abort(new Error('the caller gave up')),
        random.int(0, 1500),
      );
    try {
      const signal = caller?.signal;
      if (kind === 'acquire') await acquireAndWork(context, resources, ttlMs, signal);
      else if (kind === 'tryAcquire') await tryAcquireAndWork(context, resources, ttlMs, signal);
      else await usingRoutine(context, resources, ttlMs, signal);
    } catch (error) {
      if (
        error instanceof LockAcquireError &&
        (error.code === 'ACQUIRE_FAILED' || error.code === 'ABORTED')
      ) {
        context.note(`gave up: ${error.message}`);
      } else {
        context.unexpected(error, kind);
      }
    } finally {
      client.runtime.clearTimer(giveUp);
    }
  }
  client.activity = 'done';
}

function retryOptions(random: Prng, signal: AbortSignal | undefined): AcquireOptions {
  const roll = random.next();
  if (roll < 0.2) return { retryCount: 0, signal };
  if (roll < 0.8) return { retryCount: random.int(1, 10), signal };
  return { retryCount: -1, waitTimeoutMs: random.int(100, 2000), signal };
}

async function acquireAndWork(
  context: WorkloadContext,
  resources: readonly string[],
  ttlMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { client } = context;
  client.activity = `acquiring ${resources.join('+')}`;
  let lock: Lock;
  const startedAtMs = context.now();
  try {
    lock = await client.redlock.acquire(resources, ttlMs, retryOptions(client.random, signal));
  } finally {
    context.countOperation();
  }
  await workWith(context, context.hold(lock, 'acquire', startedAtMs), client.random.int(0, 4));
}

async function tryAcquireAndWork(
  context: WorkloadContext,
  resources: readonly string[],
  ttlMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { client } = context;
  client.activity = `trying ${resources.join('+')}`;
  let lock: Lock | null;
  const startedAtMs = context.now();
  try {
    lock = await client.redlock.tryAcquire(resources, ttlMs, { signal });
  } finally {
    context.countOperation();
  }
  if (lock !== null) {
    await workWith(context, context.hold(lock, 'try-acquire', startedAtMs), 1);
  }
}

/** Work in steps with a lock from `acquire`, checking validity and sometimes extending; then release. */
async function workWith(context: WorkloadContext, holding: Holding, steps: number): Promise<void> {
  const { client } = context;
  const { random } = client;
  const { lock } = holding;
  try {
    if (random.chance(0.1)) pauseBriefly(context, lock);
    for (let step = 0; step < steps; step++) {
      client.activity = `working with ${lock.value}`;
      await client.sleep(random.int(1, Math.round(context.maxTtlMs * 0.6)));
      // A careful client checks validity before acting on the lock.
      if (client.runtime.now() >= lock.validUntil) {
        context.letGo(holding, 'saw its validity end');
        break;
      }
      if (context.staleWriters && random.chance(0.5)) await readModifyWrite(context, lock);
      if (random.chance(0.4)) {
        client.activity = `extending ${lock.value}`;
        try {
          await lock.extend(random.int(MIN_TTL_MS, context.maxTtlMs));
        } catch (error) {
          if (!(error instanceof LockLostError)) throw error;
          context.letGo(holding, 'its extension failed');
          break;
        } finally {
          context.countOperation();
        }
      }
    }
  } finally {
    context.letGo(holding, 'released it');
    client.activity = `releasing ${lock.value}`;
    if (random.chance(0.5)) await lock.release();
    else await lock[Symbol.asyncDispose]();
    context.countOperation();
  }
}

async function usingRoutine(
  context: WorkloadContext,
  resources: readonly string[],
  ttlMs: number,
  callerSignal: AbortSignal | undefined,
): Promise<void> {
  const { client } = context;
  const { random } = client;
  client.activity = `using ${resources.join('+')}`;
  const steps = random.int(1, 6);
  try {
    const options = retryOptions(random, callerSignal);
    const startedAtMs = context.now();
    await client.redlock.using(resources, ttlMs, options, async (signal, lock) => {
      const holding = context.hold(lock, 'using', startedAtMs, signal);
      try {
        for (let step = 0; step < steps && !signal.aborted; step++) {
          if (random.chance(0.05)) pauseBriefly(context, lock);
          client.activity = `routine with ${lock.value}`;
          await client.sleep(random.int(1, 400));
          if (signal.aborted) break;
          if (context.staleWriters && random.chance(0.5)) await readModifyWrite(context, lock);
          // Extending by hand while `using` also extends must be safe too.
          if (random.chance(0.05)) {
            try {
              await lock.extend(ttlMs);
            } catch (error) {
              if (!(error instanceof LockLostError)) throw error;
              context.letGo(holding, 'its extension failed');
              break;
            } finally {
              context.countOperation();
            }
          }
        }
      } finally {
        context.letGo(holding, signal.aborted ? 'its signal aborted' : 'the routine finished');
      }
    });
  } finally {
    context.countOperation();
  }
}

/** A GC pause right after getting the lock, sometimes longer than its validity. */
function pauseBriefly(context: WorkloadContext, lock: Lock): void {
  if (!context.faultsActive()) return;
  const validityMs = lock.validUntil - context.client.runtime.now();
  context.pause(context.client.random.int(1, Math.max(2, Math.round(validityMs * 1.5))));
}

/**
 * Kleppmann's holder: read the protected stores, sometimes stop (a GC
 * pause) past the lock's validity, then write without checking validity
 * again. The token goes with every request; a fenced store refuses it once
 * a newer holder has been seen.
 */
async function readModifyWrite(context: WorkloadContext, lock: Lock): Promise<void> {
  const { client } = context;
  const token = lock.fencingToken;
  const reads = lock.resources.map((resource) => {
    const store = context.store(resource);
    return { store, version: store.read(token) };
  });
  if (client.random.chance(0.3) && context.faultsActive()) {
    const validityMs = lock.validUntil - client.runtime.now();
    context.pause(client.random.int(1, Math.max(2, Math.round(validityMs * 2))));
  }
  client.activity = `writing with ${lock.value}`;
  await client.sleep(1);
  for (const { store, version } of reads) {
    if (version !== undefined) store.write(version, token);
  }
}
