import type { Contender, LockSession } from '../contender.js';
import { oursMemory } from '../contenders/ours-memory.js';
import { obtainGc, settledHeapUsed } from '../gc.js';
import {
  type BenchContext,
  describeError,
  flushServers,
  openSessions,
  rowFor,
  type ScenarioResult,
  type ScenarioRow,
} from '../scenario.js';

const MIB = 1024 * 1024;

/**
 * Leak check: heap in use (after full GCs) before and after many
 * acquire+release cycles of ours, on memory nodes and over Redis.
 */
export async function runMemory(context: BenchContext): Promise<ScenarioResult> {
  const { plan } = context;
  const gc = obtainGc();
  const runs: { contender: Contender; cycles: number }[] = [
    { contender: oursMemory, cycles: plan.memoryCycles },
    ...context.contenders
      // The waitingLine rows run the same code uncontended (a place is only taken on a
      // refusal): a second 100k-cycle run each would only lengthen the benchmark.
      .filter((contender) => contender.kind === 'ours' && !contender.id.endsWith('-line'))
      .map((contender) => ({ contender, cycles: plan.memoryRedisCycles })),
  ];
  const rows: ScenarioRow[] = [];
  for (const { contender, cycles } of runs) {
    context.log(`  ${contender.label}: ${cycles} cycles`);
    const opened = await openSessions([contender], context.servers);
    const session = opened.sessions.get(contender);
    try {
      if (session === undefined) {
        rows.push(rowFor(contender, 'error', {}, opened.failures.get(contender)));
        continue;
      }
      const key = `bench:memory:${contender.id}`;
      await runCycles(session, key, plan.memoryWarmupCycles);
      const heapBefore = await settledHeapUsed(gc);
      const startedAt = performance.now();
      await runCycles(session, key, cycles);
      const elapsedMs = performance.now() - startedAt;
      const heapAfter = await settledHeapUsed(gc);
      rows.push(
        rowFor(contender, 'ok', {
          cycles,
          heapBeforeMiB: heapBefore / MIB,
          heapAfterMiB: heapAfter / MIB,
          growthKiB: (heapAfter - heapBefore) / 1024,
          bytesPerCycle: (heapAfter - heapBefore) / cycles,
          opsPerSec: cycles / (elapsedMs / 1000),
        }),
      );
    } catch (error) {
      rows.push(rowFor(contender, 'error', {}, describeError(error)));
    } finally {
      await opened.close();
      await flushServers(context.servers);
    }
  }
  return {
    id: 'memory',
    title: 'Memory (heap after full GC, before vs after)',
    description:
      `${plan.memoryCycles} acquire+release cycles of ours on five MemoryLockNodes and ${plan.memoryRedisCycles} ` +
      `over each Redis adapter, after ${plan.memoryWarmupCycles} warm-up cycles; heapUsed measured after ` +
      'forced full garbage collections.',
    columns: [
      { key: 'cycles', header: 'cycles', digits: 0 },
      { key: 'heapBeforeMiB', header: 'heap before MiB', digits: 2 },
      { key: 'heapAfterMiB', header: 'heap after MiB', digits: 2 },
      { key: 'growthKiB', header: 'growth KiB', digits: 1, better: 'lower' },
      { key: 'bytesPerCycle', header: 'bytes/cycle', digits: 3, better: 'lower' },
      { key: 'opsPerSec', header: 'ops/s', digits: 0, better: 'higher' },
    ],
    rows,
  };
}

async function runCycles(session: LockSession, key: string, cycles: number): Promise<void> {
  const resources = [key];
  for (let cycle = 0; cycle < cycles; cycle++) {
    const release = await session.acquire(resources);
    await release();
  }
}
