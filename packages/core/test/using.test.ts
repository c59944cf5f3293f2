import { describe, expect, it } from 'vitest';
import { type Lock, LockAcquireError, LockLostError } from '../src/index.js';
import {
  createCluster,
  createScriptedCluster,
  holdElsewhere,
  totalCalls,
} from './support/cluster.js';
import { hang } from './support/scripted-node.js';
import type { VirtualRuntime } from './support/virtual-runtime.js';

/** Resolves after `ms` of virtual time. */
function sleep(runtime: VirtualRuntime, ms: number): Promise<void> {
  return new Promise((resolve) => runtime.setTimer(resolve, ms));
}

/** Resolves with the virtual time at which `signal` aborts. */
function abortedAt(runtime: VirtualRuntime, signal: AbortSignal): Promise<number> {
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(runtime.now()), { once: true }),
  );
}

describe('using', () => {
  it('runs the routine under the lock, passes its result through and releases', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    let seen: (string | undefined)[] = [];
    const result = await runtime.runUntilSettled(
      redlock.using('r', 1000, async (signal, lock) => {
        expect(signal.aborted).toBe(false);
        seen = nodes.map((node) => node.valueOf('r'));
        expect(seen).toEqual([lock.value, lock.value, lock.value]);
        return 42;
      }),
    );
    expect(result).toBe(42);
    expect(seen).toHaveLength(3);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('accepts a routine that returns synchronously', async () => {
    const { runtime, redlock } = createCluster({ nodeCount: 3 });
    expect(await runtime.runUntilSettled(redlock.using('r', 1000, () => 'sync'))).toBe('sync');
  });

  it("passes the routine's error through and still releases", async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const failure = new Error('work failed');
    const error = await runtime
      .runUntilSettled(
        redlock.using('r', 1000, async () => {
          throw failure;
        }),
      )
      .catch((e) => e);
    expect(error).toBe(failure);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('passes a synchronous throw of the routine through and still releases', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const failure = new Error('thrown synchronously');
    const error = await runtime
      .runUntilSettled(
        redlock.using('r', 1000, () => {
          throw failure;
        }),
      )
      .catch((e) => e);
    expect(error).toBe(failure);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('still resolves with the result when the release fails on the nodes', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const result = await runtime.runUntilSettled(
      redlock.using('r', 1000, async () => {
        for (const node of nodes) node.setAvailable(false);
        return 'done';
      }),
    );
    expect(result).toBe('done');
  });

  it('keeps extending the lock while the routine runs, well past the TTL', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    let lockSeen: Lock | undefined;
    let abortedDuringWork = true;
    await runtime.runUntilSettled(
      redlock.using('r', 1000, async (signal, lock) => {
        lockSeen = lock;
        await sleep(runtime, 10_000);
        abortedDuringWork = signal.aborted;
        expect(nodes.map((node) => node.valueOf('r'))).toEqual([
          lock.value,
          lock.value,
          lock.value,
        ]);
        expect(lock.expiration).toBeGreaterThan(runtime.epochNow());
      }),
    );
    expect(abortedDuringWork).toBe(false);
    expect(lockSeen?.state).toBe('released');
    // ~ one extension every 500 ms (default threshold, capped at ttl / 2) over 10 s
    expect(nodes[0]!.calls.extend).toBeGreaterThanOrEqual(18);
    expect(nodes[0]!.calls.extend).toBeLessThanOrEqual(22);
    // Nothing is left running after the routine: no timer, no key.
    expect(runtime.pendingTimers).toBe(0);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('extends at a sane pace when the drift allowance eats most of the TTL', async () => {
    // driftFactor 0.5: validity ~ ttl / 2, no more than the default extension lead.
    const { runtime, nodes, redlock } = createCluster({
      nodeCount: 3,
      options: { driftFactor: 0.5 },
    });
    let abortedDuringWork = true;
    await runtime.runUntilSettled(
      redlock.using('r', 1000, async (signal) => {
        await sleep(runtime, 2000);
        abortedDuringWork = signal.aborted;
      }),
      { maxTimers: 1000 },
    );
    expect(abortedDuringWork).toBe(false);
    // One extension per few hundred ms, not a busy loop of back-to-back rounds.
    expect(nodes[0]!.calls.extend).toBeGreaterThanOrEqual(4);
    expect(nodes[0]!.calls.extend).toBeLessThanOrEqual(20);
  });

  it('extends when the remaining validity falls to automaticExtensionThreshold', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    let lock: Lock | undefined;
    let finish = () => {};
    const done = redlock.using('r', 1000, { automaticExtensionThreshold: 100 }, (_signal, held) => {
      lock = held;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    });
    await runtime.advance(0);
    const firstValidUntil = lock!.validUntil;
    await runtime.advanceTo(firstValidUntil - 101);
    expect(totalCalls(nodes, 'extend')).toBe(0);
    await runtime.advance(1);
    expect(totalCalls(nodes, 'extend')).toBe(3);
    expect(lock!.validUntil).toBeGreaterThan(firstValidUntil);
    finish();
    await runtime.runUntilSettled(done);
  });

  it.each([
    ['its keys are lost on a majority of nodes', 'clear'],
    ['a majority of nodes become unavailable', 'unavailable'],
  ])('aborts the signal with LOCK_LOST before the validity ends when %s', async (_, fault) => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    let validUntilBeforeLoss = 0;
    let lostAt = 0;
    let reason: unknown;
    const result = await runtime.runUntilSettled(
      redlock.using('r', 1000, async (signal, lock) => {
        const lost = abortedAt(runtime, signal);
        await sleep(runtime, 2000); // survives a few extensions first
        expect(signal.aborted).toBe(false);
        for (const node of nodes.slice(0, 2)) {
          if (fault === 'clear') node.clear();
          else node.setAvailable(false);
        }
        validUntilBeforeLoss = lock.validUntil;
        lostAt = await lost;
        reason = signal.reason;
        return 'stopped';
      }),
    );
    expect(result).toBe('stopped');
    expect(reason).toBeInstanceOf(LockLostError);
    expect((reason as LockLostError).code).toBe('LOCK_LOST');
    expect((reason as LockLostError).resources).toEqual(['r']);
    expect((reason as LockLostError).message).toMatch(/^lost the lock on "r": /);
    expect(lostAt).toBeLessThan(validUntilBeforeLoss);
  });

  it('aborts before the validity ends when a majority of nodes stop answering', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { nodeTimeoutMs: 100 },
    });
    let validUntil = 0;
    let lostAt = 0;
    let reason: unknown;
    await runtime.runUntilSettled(
      redlock.using('r', 2000, async (signal, lock) => {
        const lost = abortedAt(runtime, signal);
        nodes[1]!.script('all', hang());
        nodes[2]!.script('all', hang());
        validUntil = lock.validUntil;
        lostAt = await lost;
        reason = signal.reason;
      }),
    );
    expect((reason as LockLostError).code).toBe('LOCK_LOST');
    expect(lostAt).toBeLessThan(validUntil);
  });

  it('aborts before the validity ends on a short lock, though releasing the lost keys hangs too', async () => {
    // ttl 300: extension 150 ms before the end; the failed round takes 100 ms.
    const { runtime, nodes, redlock } = createScriptedCluster({
      nodeCount: 3,
      options: { nodeTimeoutMs: 100 },
    });
    let validUntil = 0;
    let lostAt = 0;
    await runtime.runUntilSettled(
      redlock.using('r', 300, async (signal, lock) => {
        const lost = abortedAt(runtime, signal);
        nodes[1]!.script('all', hang());
        nodes[2]!.script('all', hang());
        validUntil = lock.validUntil;
        lostAt = await lost;
        expect((signal.reason as LockLostError).code).toBe('LOCK_LOST');
        expect((signal.reason as LockLostError).message).toContain('did not answer within 100 ms');
      }),
    );
    expect(lostAt).toBeLessThan(validUntil);
  });

  it('aborts the signal with the parent signal reason, and still releases', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const parent = new AbortController();
    const reason = new Error('request cancelled');
    let seenReason: unknown;
    const result = await runtime.runUntilSettled(
      redlock.using('r', 1000, { signal: parent.signal }, async (signal) => {
        const aborted = abortedAt(runtime, signal);
        runtime.setTimer(() => parent.abort(reason), 300);
        await aborted;
        seenReason = signal.reason;
        return 'cancelled';
      }),
    );
    expect(result).toBe('cancelled');
    expect(seenReason).toBe(reason);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
    expect(runtime.pendingTimers).toBe(0);
  });

  it('keeps extending after a parent abort until the routine returns', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    const parent = new AbortController();
    let validityAfterWindDown = 0;
    await runtime.runUntilSettled(
      redlock.using('r', 1000, { signal: parent.signal }, async (signal, lock) => {
        const aborted = abortedAt(runtime, signal);
        runtime.setTimer(() => parent.abort(new Error('shutting down')), 100);
        await aborted;
        // A slow wind-down, three TTLs long: the lock must still be ours at its end.
        await new Promise<void>((resolve) => runtime.setTimer(resolve, 3000));
        validityAfterWindDown = lock.validUntil - runtime.now();
        expect(nodes.map((node) => node.valueOf('r'))).toEqual([
          lock.value,
          lock.value,
          lock.value,
        ]);
      }),
    );
    expect(validityAfterWindDown).toBeGreaterThan(0);
    expect(nodes.map((node) => node.keys())).toEqual([[], [], []]);
  });

  it('takes retry options in the four-argument form', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 60_000);
    let ran = false;
    const error = await runtime
      .runUntilSettled(
        redlock.using('r', 1000, { retryCount: 0 }, async () => {
          ran = true;
        }),
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(LockAcquireError);
    expect(error.attempts).toHaveLength(1);
    expect(ran).toBe(false);
  });

  it('waits for the lock in the three-argument form, with the instance settings', async () => {
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes.slice(0, 2), 'r', 700);
    const startedAt = runtime.now();
    const result = await runtime.runUntilSettled(
      redlock.using(['r'], 1000, async (_signal, lock) => lock.attempts.length),
    );
    expect(result).toBeGreaterThanOrEqual(1);
    expect(runtime.now() - startedAt).toBeGreaterThanOrEqual(700);
  });
});
