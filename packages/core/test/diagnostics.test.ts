import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AcquireMessage,
  diagnosticsChannels,
  type ExtendMessage,
  type LateOutcomeMessage,
  type LockLostMessage,
  type ReleaseMessage,
} from '../src/index.js';
import { createCluster, createScriptedCluster, holdElsewhere } from './support/cluster.js';
import { defer } from './support/scripted-node.js';
import { flushMicrotasks, type VirtualRuntime } from './support/virtual-runtime.js';

const unsubscribers: (() => void)[] = [];
afterEach(() => {
  for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
});

/** Collects each message of a tracing channel at `start` and at `asyncEnd`. */
function record<T extends object>(name: string) {
  const started: T[] = [];
  const ended: T[] = [];
  const handlers = {
    start: (message: unknown) => started.push(message as T),
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: (message: unknown) => ended.push({ ...(message as T) }),
    error: () => undefined,
  };
  const channel = diagnosticsChannel.tracingChannel(name);
  channel.subscribe(handlers);
  unsubscribers.push(() => channel.unsubscribe(handlers));
  return { started, ended };
}

function sleep(runtime: VirtualRuntime, ms: number): Promise<void> {
  return new Promise((resolve) => runtime.setTimer(resolve, ms));
}

describe('diagnostics channels', () => {
  it('traces an acquisition with its resources, ttl, attempts and outcome', async () => {
    const acquires = record<AcquireMessage>(diagnosticsChannels.acquire);
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes, 'r', 300);
    const lock = await runtime.runUntilSettled(redlock.acquire(['r'], 1000, { retryDelay: 100 }));
    expect(acquires.started).toHaveLength(1);
    expect(acquires.ended).toHaveLength(1);
    const message = acquires.ended[0]!;
    expect(message).toMatchObject({
      operation: 'acquire',
      resources: ['r'],
      ttlMs: 1000,
      outcome: 'acquired',
      contended: true,
      lock,
    });
    // Held for 300 ms, retried every ~100-200 ms: several attempts, the last one won.
    expect(message.attempts).toBe(lock.attempts.length + 1);
    expect(message.attempts).toBeGreaterThan(1);
    expect(message.rounds).toHaveLength(message.attempts);
    const won = message.rounds.at(-1)!.outcomes.filter((o) => o.status === 'acquired');
    expect(won.length).toBeGreaterThanOrEqual(2);
    // Virtual time: the holder's 300 ms were spent waiting, not asking.
    expect(message.waitedMs).toBeGreaterThanOrEqual(250);
    expect(message.waitedMs).toBeLessThan(600);
    await runtime.runUntilSettled(lock.release());
  });

  it('reports contention from tryAcquire, and failure once retries run out', async () => {
    const acquires = record<AcquireMessage>(diagnosticsChannels.acquire);
    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    holdElsewhere(nodes, 'r', 10_000);
    expect(await runtime.runUntilSettled(redlock.tryAcquire('r', 1000))).toBeNull();
    await expect(
      runtime.runUntilSettled(redlock.acquire('r', 1000, { retryCount: 2 })),
    ).rejects.toThrow(/could not lock/);
    expect(acquires.ended.map((m) => [m.operation, m.outcome, m.attempts])).toEqual([
      ['tryAcquire', 'contention', 1],
      ['acquire', 'failed', 3],
    ]);
    expect(acquires.ended[1]!.error).toBeInstanceOf(Error);
  });

  it('traces extensions and releases, and publishes a lost using lock', async () => {
    const extends_ = record<ExtendMessage>(diagnosticsChannels.extend);
    const releases = record<ReleaseMessage>(diagnosticsChannels.release);
    const acquires = record<AcquireMessage>(diagnosticsChannels.acquire);
    const lost: LockLostMessage[] = [];
    const onLost = (message: unknown) => lost.push(message as LockLostMessage);
    diagnosticsChannel.subscribe(diagnosticsChannels.lockLost, onLost);
    unsubscribers.push(() => diagnosticsChannel.unsubscribe(diagnosticsChannels.lockLost, onLost));

    const { runtime, nodes, redlock } = createCluster({ nodeCount: 3 });
    await runtime.runUntilSettled(
      redlock.using('r', 1000, async (signal) => {
        await sleep(runtime, 1500); // extended at least once
        for (const node of nodes.slice(0, 2)) node.clear();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      }),
    );
    expect(acquires.ended[0]).toMatchObject({ operation: 'using', outcome: 'acquired' });
    const outcomes = extends_.ended.map((m) => m.outcome);
    expect(outcomes.slice(0, -1).every((outcome) => outcome === 'extended')).toBe(true);
    expect(outcomes.at(-1)).toBe('lost');
    expect(extends_.ended[0]).toMatchObject({ resources: ['r'], ttlMs: 1000 });
    expect(extends_.ended[0]!.round?.outcomes).toHaveLength(3);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.resources).toEqual(['r']);
    expect(lost[0]!.error.code).toBe('LOCK_LOST');
    // The lost lock's keys are released, and using releases at the end: both traced.
    expect(releases.ended.length).toBeGreaterThanOrEqual(1);
    expect(releases.ended.at(-1)!.report?.outcomes).toHaveLength(3);
  });

  it('builds no message when nobody subscribes', async () => {
    const { runtime, redlock } = createCluster({ nodeCount: 3 });
    const channel = diagnosticsChannel.tracingChannel(diagnosticsChannels.acquire);
    expect(channel.start.hasSubscribers).toBe(false);
    // A subscriber that joins after an untraced acquisition started sees none of it.
    const pending = redlock.acquire('r', 1000);
    const late = record<AcquireMessage>(diagnosticsChannels.acquire);
    const lock = await runtime.runUntilSettled(pending);
    expect(late.started).toEqual([]);
    expect(late.ended).toEqual([]);
    await runtime.runUntilSettled(lock.release());
  });

  it('publishes on redlock:late-outcome what a node did after its round was decided', async () => {
    const { runtime, nodes, redlock } = createScriptedCluster({ nodeCount: 3 });
    const late: LateOutcomeMessage[] = [];
    const listener = (message: unknown) => late.push(message as LateOutcomeMessage);
    diagnosticsChannel.subscribe(diagnosticsChannels.lateOutcome, listener);
    unsubscribers.push(() =>
      diagnosticsChannel.unsubscribe(diagnosticsChannels.lateOutcome, listener),
    );
    nodes[2]!.script('all', defer());
    const lock = await runtime.runUntilSettled(redlock.acquire('r', 1000));
    const released = await runtime.runUntilSettled(lock.release());
    expect(released.outcomes[2]!.status).toBe('pending');
    expect(late).toEqual([]);
    nodes[2]!.deferred[0]!.answer();
    await flushMicrotasks();
    expect(late).toHaveLength(1);
    nodes[2]!.deferred[1]!.rejectWith(new Error('ECONNRESET'));
    await flushMicrotasks();
    expect(late.map((message) => [message.operation, message.outcome.status])).toEqual([
      ['acquire', 'acquired'],
      ['release', 'error'],
    ]);
    expect(late[0]!.resources).toEqual(['r']);
    expect(late[1]!.outcome.node).toBe(nodes[2]!.name);
  });
});
