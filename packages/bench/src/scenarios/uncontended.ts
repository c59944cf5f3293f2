import type { BenchContext, ScenarioResult } from '../scenario.js';
import { CYCLE_COLUMNS, measureSequentialCycles } from './sequential-cycles.js';

/** Sequential acquire+release of one key: the cost of a lock when nobody else wants it. */
export async function runUncontended(context: BenchContext): Promise<ScenarioResult> {
  const { plan } = context;
  const rows = await measureSequentialCycles(context, context.contenders, {
    resources: (contender) => [`bench:uncontended:${contender.id}`],
    warmupCycles: plan.uncontendedWarmupCycles,
    msPerRound: plan.uncontendedMsPerRound,
    rounds: plan.rounds,
  });
  return {
    id: 'uncontended',
    title: 'Uncontended acquire+release (one key, sequential)',
    description:
      `Cycles of acquire then release on one key, one after the other, after ${plan.uncontendedWarmupCycles} ` +
      `warm-up cycles; ${plan.rounds} interleaved round(s) of ${plan.uncontendedMsPerRound} ms per implementation. ` +
      'Latency is one whole cycle.',
    columns: CYCLE_COLUMNS,
    rows,
  };
}
