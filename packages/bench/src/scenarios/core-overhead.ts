import { oursMemory } from '../contenders/ours-memory.js';
import type { BenchContext, ScenarioResult } from '../scenario.js';
import { CYCLE_COLUMNS, measureSequentialCycles } from './sequential-cycles.js';

const WARMUP_CYCLES = 5_000;

/** Our algorithm alone: acquire+release on five in-process nodes, no network. */
export async function runCoreOverhead(context: BenchContext): Promise<ScenarioResult> {
  const { plan } = context;
  const rows = await measureSequentialCycles(context, [oursMemory], {
    resources: () => ['bench:core-overhead'],
    warmupCycles: WARMUP_CYCLES,
    msPerRound: plan.coreOverheadMs / plan.rounds,
    rounds: plan.rounds,
  });
  return {
    id: 'core-overhead',
    title: 'Core overhead (ours on 5 MemoryLockNodes)',
    description:
      `Sequential acquire+release on five in-process MemoryLockNodes (no network) for ${plan.coreOverheadMs} ms ` +
      `after ${WARMUP_CYCLES} warm-up cycles: the cost of the algorithm itself.`,
    columns: CYCLE_COLUMNS,
    rows,
  };
}
