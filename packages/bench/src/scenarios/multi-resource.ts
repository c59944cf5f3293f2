import { type BenchContext, rowFor, type ScenarioResult } from '../scenario.js';
import { CYCLE_COLUMNS, measureSequentialCycles } from './sequential-cycles.js';

/** One lock on several keys at once, uncontended: what atomic multi-key locking costs. */
export async function runMultiResource(context: BenchContext): Promise<ScenarioResult> {
  const { plan } = context;
  const capable = context.contenders.filter((contender) => contender.multiResource);
  const measured = await measureSequentialCycles(context, capable, {
    resources: (contender) =>
      Array.from(
        { length: plan.multiResourceKeys },
        (_, index) => `bench:multi:${contender.id}:${index}`,
      ),
    warmupCycles: plan.uncontendedWarmupCycles,
    msPerRound: plan.multiResourceMsPerRound,
    rounds: plan.rounds,
  });
  const rows = context.contenders.map(
    (contender) =>
      measured.find((row) => row.contender === contender.id) ??
      rowFor(contender, 'n/a', {}, 'no atomic multi-key lock across Redlock nodes'),
  );
  return {
    id: 'multi-resource',
    title: `Multi-resource lock (${plan.multiResourceKeys} keys, uncontended)`,
    description:
      `Acquire+release of one lock on ${plan.multiResourceKeys} keys at once, sequential, ` +
      `${plan.rounds} interleaved round(s) of ${plan.multiResourceMsPerRound} ms.`,
    columns: CYCLE_COLUMNS,
    rows,
  };
}
