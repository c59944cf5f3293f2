import { describe, expect, it } from 'vitest';
import { adapterNames } from '../src/adapters.js';
import { checkServersAreOwn } from '../src/lock-deployment.js';
import { runPhases, runScenario } from '../src/scenario.js';

const WORKERS = 4;
const SECTIONS_PER_PHASE = 8;
const PHASES = 5;
/**
 * Without persistence a crashed server may rejoin only once every lock it
 * could have held has expired: the documented safe practice is to restart
 * it no sooner than a TTL after the crash. Margin on top of the TTL: 500 ms.
 */
const RESTART_MARGIN_MS = 500;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe.each(adapterNames)('%s: a minority of servers crash, freeze and restart', (adapter) => {
  it('keeps one holder at a time while 2 of 5 servers are killed, restarted a TTL later, then paused', async () => {
    const result = await runScenario({
      name: 'minority killed, restarted, paused',
      adapter,
      proxied: false,
      workerCount: WORKERS,
      increments: SECTIONS_PER_PHASE * PHASES,
      barrierEvery: SECTIONS_PER_PHASE,
      async faults({ deployment, fleet, ttlMs }) {
        const [first, second, third, fourth] = deployment.lockServers;
        let killedAt = 0;
        await runPhases(fleet, [
          {},
          {
            // Crash two servers while the lock changes hands: their keys are gone.
            during: async () => {
              await Promise.all([first!.kill(), second!.kill()]);
              killedAt = performance.now();
            },
          },
          {
            // Real time is the subject: wait out the restart delay (a sleep
            // with its margin spelled out), then restart them mid-run.
            before: () => sleep(killedAt + ttlMs + RESTART_MARGIN_MS - performance.now()),
            during: async () => {
              await Promise.all([first!.restart(), second!.restart()]);
              // Their ports were free for a while: make sure no other process took them.
              await checkServersAreOwn([first!, second!]);
            },
          },
          {
            // Freeze two other servers: connections stay open, nothing is
            // answered, and what was sent runs late, once they continue.
            during: () => {
              third!.pause();
              fourth!.pause();
            },
          },
          {
            during: () => {
              third!.resume();
              fourth!.resume();
            },
          },
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
    expect(result.leftoverKeys, result.leftoverDetails).toEqual([[], [], [], [], []]);
  });
});
