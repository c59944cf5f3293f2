import diagnosticsChannel from 'node:diagnostics_channel';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import {
  diagnosticsChannels,
  type LateOutcomeMessage,
  type LockNode,
  Redlock,
} from '@redlock/core';
import { MemoryLockNode } from '@redlock/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { RedlockAttributes as A } from '../src/index.js';
import { startTelemetry, type Telemetry } from './support/telemetry.js';

let telemetry: Telemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

function cluster(count = 3) {
  const nodes = Array.from(
    { length: count },
    (_, i) => new MemoryLockNode({ name: `memory://n${i}` }),
  );
  return { nodes, redlock: new Redlock(nodes, { retryDelay: 20, retryJitter: 10 }) };
}

const histogram = (t: Telemetry, name: string) => t.points<Histogram>(name);

describe('spans', () => {
  it('cover acquire, extend and release, with the attempts and outcome', async () => {
    telemetry = startTelemetry();
    const { redlock } = cluster();
    const lock = await redlock.acquire('orders:42', 1000);
    await lock.extend(1000);
    await lock.release();
    const spans = telemetry.spans();
    expect(spans.map((span) => span.name)).toEqual([
      'redlock.acquire',
      'redlock.extend',
      'redlock.release',
    ]);
    const [acquire, extend, release] = spans;
    expect(acquire!.attributes).toMatchObject({
      [A.OPERATION]: 'acquire',
      [A.OUTCOME]: 'acquired',
      [A.ATTEMPTS]: 1,
      [A.TTL_MS]: 1000,
      [A.RESOURCES]: ['orders:42'],
      [A.CONTENDED]: false,
    });
    expect(extend!.attributes).toMatchObject({ [A.OUTCOME]: 'extended', [A.TTL_MS]: 1000 });
    expect(release!.attributes).toMatchObject({ [A.OUTCOME]: 'released' });
    expect(release!.attributes[A.RELEASED_NODES]).toBeGreaterThanOrEqual(2);
    for (const span of spans) expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('count the attempts of a contended acquisition, and mark failures as errors', async () => {
    telemetry = startTelemetry();
    const { nodes, redlock } = cluster();
    const other = new Redlock(nodes);
    const held = await other.acquire('job', 150);
    // Nobody releases: the waiter gets it once the holder's keys expire.
    const lock = await redlock.acquire('job', 1000, { retryCount: -1 });
    expect(await redlock.tryAcquire('job', 1000)).toBeNull();
    await expect(redlock.acquire('job', 1000, { retryCount: 0 })).rejects.toThrow(/could not lock/);
    await lock.release();
    void held;

    const acquires = telemetry.spans().filter((span) => span.name === 'redlock.acquire');
    const waited = acquires[1]!;
    expect(waited.attributes[A.OUTCOME]).toBe('acquired');
    expect(waited.attributes[A.ATTEMPTS]).toBeGreaterThan(1);
    expect(waited.attributes[A.ATTEMPTS]).toBe(lock.attempts.length + 1);
    expect(waited.attributes[A.CONTENDED]).toBe(true);
    expect(waited.attributes[A.WAIT_MS]).toBeGreaterThan(0);
    const [contention, failed] = acquires.slice(2);
    expect(contention!.attributes).toMatchObject({
      [A.OPERATION]: 'tryAcquire',
      [A.OUTCOME]: 'contention',
    });
    expect(contention!.status.code).toBe(SpanStatusCode.UNSET);
    expect(failed!.attributes).toMatchObject({ [A.OUTCOME]: 'failed', [A.ATTEMPTS]: 1 });
    expect(failed!.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed!.status.message).toMatch(/^could not lock "job"/);
    expect(failed!.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('leave resource names out when asked', async () => {
    telemetry = startTelemetry({ resourceNamesInSpans: false });
    const { redlock } = cluster();
    await (await redlock.acquire('secret-customer-7', 1000)).release();
    for (const span of telemetry.spans()) expect(span.attributes).not.toHaveProperty(A.RESOURCES);
  });
});

describe('metrics', () => {
  it('record acquire latency, wait time, attempts and contention', async () => {
    telemetry = startTelemetry();
    const { nodes, redlock } = cluster();
    await (await redlock.acquire('a', 1000)).release();
    const other = new Redlock(nodes);
    await other.acquire('b', 150);
    const waited = await redlock.acquire('b', 1000, { retryCount: -1 });
    await waited.release();
    await telemetry.collect();

    const duration = histogram(telemetry, 'redlock.acquire.duration');
    expect(duration).toHaveLength(1);
    expect(duration[0]!.attributes).toEqual({ [A.OPERATION]: 'acquire', [A.OUTCOME]: 'acquired' });
    // Three acquisitions (one by the other owner); the last waited ~150 ms for
    // the other owner's keys to expire.
    expect(duration[0]!.value.count).toBe(3);
    expect(duration[0]!.value.max).toBeGreaterThan(0.1);

    const wait = histogram(telemetry, 'redlock.acquire.wait_time')[0]!.value;
    expect(wait.count).toBe(3);
    expect(wait.min).toBe(0);
    expect(wait.max).toBeGreaterThan(0.05);
    expect(wait.max).toBeLessThanOrEqual(duration[0]!.value.max!);

    const attempts = histogram(telemetry, 'redlock.acquire.attempts')[0]!.value;
    expect(attempts.min).toBe(1);
    expect(attempts.sum).toBe(1 + 1 + waited.attempts.length + 1);

    const contended = telemetry.points<number>('redlock.acquire.contended');
    expect(contended.map((point) => point.value)).toEqual([1]);
  });

  it('count node failures by node name, and lost locks', async () => {
    telemetry = startTelemetry();
    const { nodes, redlock } = cluster();
    // The failing node is the first one asked, so its error is in every
    // decided round. (A node that fails only after the quorum has decided is
    // counted through redlock:late-outcome: see the next test.)
    nodes[0]!.setAvailable(false);
    const routine = redlock.using('r', 200, async (signal) => {
      // Extended once or twice, then its keys vanish on a majority: lost.
      await new Promise((resolve) => setTimeout(resolve, 250));
      nodes[1]!.clear();
      nodes[2]!.clear();
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      return signal.reason;
    });
    const reason = await routine;
    expect((reason as Error).message).toMatch(/^lost the lock on "r"/);
    await telemetry.collect();

    expect(telemetry.points<number>('redlock.lock.lost').map((point) => point.value)).toEqual([1]);
    const failures = telemetry.points<number>('redlock.node.failures');
    expect(failures.length).toBeGreaterThan(0);
    for (const point of failures) {
      expect(point.attributes[A.NODE]).toBe('memory://n0');
      expect(point.attributes[A.FAILURE]).toBe('error');
    }
    const operations = failures.map((point) => point.attributes[A.OPERATION]);
    expect(operations).toContain('acquire');
    expect(operations).toContain('extend');
    const extendOutcomes = histogram(telemetry, 'redlock.extend.duration').map(
      (point) => point.attributes[A.OUTCOME],
    );
    expect(extendOutcomes.sort()).toEqual(['extended', 'lost']);
    expect(histogram(telemetry, 'redlock.release.duration')[0]!.value.count).toBeGreaterThan(0);
  });

  it('count a node that fails only after its round was decided (redlock:late-outcome)', async () => {
    telemetry = startTelemetry();
    const { nodes } = cluster(2);
    // A third node that takes a moment, then fails: the two others decide every
    // round first, so in the rounds' own reports it is only "pending".
    let failLate!: () => void;
    const gate = new Promise<void>((resolve) => {
      failLate = resolve;
    });
    const late = async (): Promise<never> => {
      await gate;
      throw new Error('connection reset');
    };
    const slow: LockNode = { name: 'slow://n2', acquire: late, extend: late, release: late };
    const redlock = new Redlock([...nodes, slow]);
    const seen: LateOutcomeMessage[] = [];
    const twoSeen = new Promise<void>((resolve) => {
      const listener = (message: unknown) => {
        seen.push(message as LateOutcomeMessage);
        if (seen.length === 2) {
          diagnosticsChannel.unsubscribe(diagnosticsChannels.lateOutcome, listener);
          resolve();
        }
      };
      diagnosticsChannel.subscribe(diagnosticsChannels.lateOutcome, listener);
    });
    const lock = await redlock.acquire('r', 1000);
    const report = await lock.release();
    expect(lock.attempts).toEqual([]);
    expect(report.outcomes[2]!.status).toBe('pending');
    failLate();
    await twoSeen;

    expect(seen.map((message) => [message.operation, message.outcome.status])).toEqual([
      ['acquire', 'error'],
      ['release', 'error'],
    ]);
    expect(seen[0]!.resources).toEqual(['r']);
    await telemetry.collect();
    const failures = telemetry.points<number>('redlock.node.failures');
    expect(
      failures.map((point) => [
        point.attributes[A.NODE],
        point.attributes[A.OPERATION],
        point.value,
      ]),
    ).toEqual([
      ['slow://n2', 'acquire', 1],
      ['slow://n2', 'release', 1],
    ]);
  });

  it('keep resource names out of metric attributes unless opted in', async () => {
    telemetry = startTelemetry();
    const { redlock } = cluster();
    await (await redlock.acquire('orders:42', 1000)).release();
    await telemetry.collect();
    const names = [
      'redlock.acquire.duration',
      'redlock.acquire.wait_time',
      'redlock.acquire.attempts',
      'redlock.release.duration',
    ];
    for (const name of names) {
      const points = telemetry.points(name);
      expect(points.length, name).toBeGreaterThan(0);
      for (const point of points) expect(point.attributes).not.toHaveProperty(A.RESOURCES);
    }
    await telemetry.shutdown();

    telemetry = startTelemetry({ resourceNamesInMetrics: true });
    await (await redlock.acquire('orders:42', 1000)).release();
    await telemetry.collect();
    expect(telemetry.points('redlock.acquire.duration')[0]!.attributes[A.RESOURCES]).toBe(
      'orders:42',
    );
  });

  it('stop after disable()', async () => {
    telemetry = startTelemetry();
    const { redlock } = cluster();
    telemetry.instrumentation.disable();
    await (await redlock.acquire('r', 1000)).release();
    await telemetry.collect();
    expect(telemetry.spans()).toEqual([]);
    expect(telemetry.points('redlock.acquire.duration')).toEqual([]);
  });
});

describe('span context', () => {
  it('makes each span a child of the span active when the call was made', async () => {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(contextManager);
    try {
      telemetry = startTelemetry();
      const { redlock } = cluster();
      const tracer = telemetry.tracerProvider.getTracer('test');
      await tracer.startActiveSpan('checkout', async (parent) => {
        await redlock.using('orders:42', 1000, async () => undefined);
        parent.end();
      });
      const spans = telemetry.spans();
      const parent = spans.find((span) => span.name === 'checkout')!;
      const children = spans.filter((span) => span.name.startsWith('redlock.'));
      expect(children.map((span) => span.name)).toEqual(['redlock.acquire', 'redlock.release']);
      for (const child of children) {
        expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
        expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
      }
    } finally {
      context.disable();
    }
  });
});
