import { describe, expect, it } from 'vitest';
import { type Lock, Redlock } from '../src/index.js';
import { TestMemoryNode } from './support/memory-node.js';
import { latency, ScriptedNode } from './support/scripted-node.js';
import { VirtualRuntime } from './support/virtual-runtime.js';

interface Tenure {
  readonly owner: number;
  readonly from: number;
  /** When the owner stopped relying on the lock: its release, or the end of its validity. */
  readonly until: number;
}

/**
 * Several Redlock instances (processes) contend for one resource over five
 * nodes with random latencies and a flaky node, on virtual time. Whatever
 * the interleaving, no two owners may rely on the lock at the same time.
 */
async function contend(seed: number): Promise<{ tenures: Tenure[]; failures: number }> {
  const runtime = new VirtualRuntime({ seed });
  const stores = Array.from(
    { length: 5 },
    (_, index) => new TestMemoryNode({ clock: runtime, name: `node-${index + 1}` }),
  );
  const nodes = stores.map((store) =>
    new ScriptedNode(store).script(
      'all',
      latency(runtime, () => Math.floor(runtime.random() * 30)),
    ),
  );
  const sleep = (ms: number) => new Promise<void>((resolve) => runtime.setTimer(resolve, ms));
  const tenures: Tenure[] = [];
  let failures = 0;

  const worker = async (owner: number): Promise<void> => {
    const redlock = new Redlock(nodes, {
      runtime,
      nodeTimeoutMs: 40,
      retryDelay: 30,
      retryJitter: 30,
    });
    for (let round = 0; round < 6; round++) {
      let lock: Lock;
      try {
        lock = await redlock.acquire('shared', 200, { waitTimeoutMs: 5000 });
      } catch {
        failures++;
        continue;
      }
      const from = runtime.now();
      // Sometimes hold past the validity (a stalled process), sometimes extend.
      await sleep(Math.floor(runtime.random() * 250));
      if (runtime.random() < 0.3) await lock.extend(200).catch(() => undefined);
      const until = Math.min(runtime.now(), lock.validUntil);
      tenures.push({ owner, from, until });
      await lock.release();
      await sleep(Math.floor(runtime.random() * 20));
    }
  };

  // A node that goes away and comes back now and then.
  const flaky = (async () => {
    for (let flip = 0; flip < 20; flip++) {
      await sleep(150);
      stores[4]!.setAvailable(!stores[4]!.available);
    }
  })();

  await runtime.runUntilSettled(Promise.all([...[1, 2, 3, 4].map(worker), flaky]), {
    maxMs: 600_000,
  });
  return { tenures, failures };
}

describe('mutual exclusion', () => {
  it.each([1, 2, 3, 4, 5])(
    'never lets two owners rely on the lock at once (seed %i)',
    async (seed) => {
      const { tenures } = await contend(seed);
      expect(tenures.length).toBeGreaterThanOrEqual(10);
      const sorted = [...tenures].sort((a, b) => a.from - b.from);
      for (let index = 1; index < sorted.length; index++) {
        const previous = sorted[index - 1]!;
        const current = sorted[index]!;
        // Strictly: the next owner starts no earlier than the previous one stopped.
        expect(current.from, JSON.stringify({ previous, current })).toBeGreaterThanOrEqual(
          previous.until,
        );
      }
    },
  );
});
