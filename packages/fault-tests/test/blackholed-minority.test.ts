import type { RedisServer } from '@redlock/test-utils';
import { describe, expect, it } from 'vitest';
import { adapterNames } from '../src/adapters.js';
import { runPhases, runScenario, scenarioDefaults } from '../src/scenario.js';

const WORKERS = 4;
const SECTIONS_PER_PHASE = 8;
const PHASES = 5;

/** Lock scripts a server has run so far (EVALSHA and EVAL), from INFO commandstats. */
async function scriptCalls(server: RedisServer): Promise<number> {
  const info = await server.command('INFO', 'commandstats');
  let calls = 0;
  for (const match of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+)/gm)) {
    calls += Number(match[1]);
  }
  return calls;
}

async function scriptCallsOf(servers: readonly RedisServer[]): Promise<number[]> {
  return Promise.all(servers.map(scriptCalls));
}

describe.each(adapterNames)('%s: a black-holed minority', (adapter) => {
  it('keeps one holder at a time while 2 of 5 servers are cut off by a black hole, twice', async () => {
    const result = await runScenario({
      name: 'minority black-holed, then healed',
      adapter,
      proxied: true,
      workerCount: WORKERS,
      increments: SECTIONS_PER_PHASE * PHASES,
      barrierEvery: SECTIONS_PER_PHASE,
      // A lock script that reached a server just before it was cut off ran,
      // but its reply, and the release after it, were lost: that key can
      // only expire. Margin on top of the TTL for the poll: 1 s.
      leftoverKeysDeadlineMs: scenarioDefaults.ttlMs + 1_000,
      async faults({ deployment, fleet }) {
        const { proxies, lockServers } = deployment;
        let callsAtCutOff: number[] = [];
        const cutOff = async (indexes: number[]) => {
          for (const index of indexes) proxies[index]!.blackhole(true);
          callsAtCutOff = await scriptCallsOf(lockServers);
        };
        // Proof that the fault was real: while cut off, a server ran no lock
        // script, while the others kept serving the workers.
        const checkCutOff = async (indexes: number[]) => {
          const calls = await scriptCallsOf(lockServers);
          calls.forEach((count, index) => {
            if (indexes.includes(index)) expect(count).toBe(callsAtCutOff[index]);
            else expect(count).toBeGreaterThan(callsAtCutOff[index]!);
          });
        };
        // A partition heals the way TCP does: the hung connections die and
        // clients reconnect. (The proxy drops bytes mid-stream, which no real
        // network does; resuming such a connection would only desynchronise
        // replies from commands, so the healing resets it.)
        const heal = (indexes: number[]) => {
          for (const index of indexes) {
            proxies[index]!.blackhole(false);
            proxies[index]!.resetConnections();
          }
        };
        await runPhases(fleet, [
          {},
          { during: () => cutOff([0, 1]) },
          { before: () => checkCutOff([0, 1]), during: () => heal([0, 1]) },
          { during: () => cutOff([3, 4]) },
          { before: () => checkCutOff([3, 4]), during: () => heal([3, 4]) },
        ]);
        return undefined;
      },
    });

    const { verdict, fleet } = result;
    for (const worker of fleet.workers) {
      expect(worker.exit, worker.describe()).toEqual({ code: 0, signal: null });
    }
    expect(verdict.sectionsChecked).toBe(WORKERS * SECTIONS_PER_PHASE * PHASES);
    expect(verdict.overlaps).toEqual([]);
    expect(verdict.validityOverruns).toEqual([]);
    expect(verdict.repeatedReads).toEqual([]);
    expect(verdict.lostIncrements).toBe(0);
    expect(result.finalCounter).toBe(verdict.sectionsChecked);
    // The server never cut off had every release delivered.
    expect(result.keysAtExit[2]).toEqual([]);
    expect(result.leftoverKeys, result.leftoverDetails).toEqual([[], [], [], [], []]);
  });
});
