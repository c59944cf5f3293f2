import type { Lock } from '@redlock/core';
import { describe, expect, it } from 'vitest';
import { DriftingClock } from '../src/drifting-clock.js';
import { Holding } from '../src/holding.js';
import { checkKeyTtls, checkMutualExclusion, checkUsingSignals } from '../src/invariants.js';
import { Scheduler } from '../src/scheduler.js';
import { SimulatedClient } from '../src/simulated-client.js';
import { SimulatedServer } from '../src/simulated-server.js';

const scheduler = new Scheduler();

function client(id: number, clockRate = 1): SimulatedClient {
  return new SimulatedClient({ id, clockRate, clockOffsetMs: 0, maxOperations: 1 }, scheduler, 1);
}

/** Only what the checks read of a lock. */
function lock(resources: string[], value: string, validUntil: number): Lock {
  return { resources, value, validUntil } as unknown as Lock;
}

describe('checkMutualExclusion', () => {
  it('flags two clients that believe they hold the same resource at once', () => {
    const a = new Holding(client(0), lock(['a'], 'v0', 100), 'acquire', undefined, 0);
    const b = new Holding(client(1), lock(['a', 'b'], 'v1', 100), 'using', undefined, 0);
    expect(checkMutualExclusion([a, b], 0)?.kind).toBe('mutual-exclusion');
  });

  it('accepts holdings of different resources, and holdings no longer believed', () => {
    const a = new Holding(client(0), lock(['a'], 'v0', 100), 'acquire', undefined, 0);
    const b = new Holding(client(1), lock(['b'], 'v1', 100), 'acquire', undefined, 0);
    const expired = new Holding(client(2), lock(['a'], 'v2', -1), 'acquire', undefined, 0);
    const released = new Holding(client(3), lock(['b'], 'v3', 100), 'acquire', undefined, 0);
    released.endReason = 'released it';
    const aborted = new AbortController();
    aborted.abort();
    const lost = new Holding(client(4), lock(['a'], 'v4', 100), 'using', aborted.signal, 0);
    expect(checkMutualExclusion([a, b, expired, released, lost], 0)).toBeUndefined();
  });
});

describe('checkUsingSignals', () => {
  it("flags a running routine whose signal is not aborted after its lock's validity", () => {
    const signal = new AbortController().signal;
    const late = new Holding(client(0), lock(['a'], 'v0', -5), 'using', signal, 0);
    expect(checkUsingSignals([late], 0)?.kind).toBe('signal-late');
  });

  it('excuses a paused client, which cannot be told anything', () => {
    const paused = client(0);
    paused.pausedUntil = 10;
    const signal = new AbortController().signal;
    const late = new Holding(paused, lock(['a'], 'v0', -5), 'using', signal, 0);
    expect(checkUsingSignals([late], 0)).toBeUndefined();
  });
});

describe('checkKeyTtls', () => {
  it('accepts keys within the TTL they were written with', async () => {
    const server = new SimulatedServer(0, new DriftingClock(scheduler, 1, 0));
    await server.node.acquire(['a'], 'v0', 100);
    server.recordWrite(['a'], 'v0', 100);
    expect(checkKeyTtls([server], 0)).toBeUndefined();
  });

  it('flags a key that lives longer than the TTL of its last write', async () => {
    const server = new SimulatedServer(0, new DriftingClock(scheduler, 1, 0));
    await server.node.acquire(['a'], 'v0', 100);
    server.recordWrite(['a'], 'v0', 50);
    expect(checkKeyTtls([server], 0)?.kind).toBe('key-outlived-ttl');
  });

  it('flags a key that no acquire or extend wrote', async () => {
    const server = new SimulatedServer(0, new DriftingClock(scheduler, 1, 0));
    await server.node.acquire(['a'], 'v0', 100);
    expect(checkKeyTtls([server], 0)?.message).toMatch(/which no acquire or extend wrote/);
  });
});
