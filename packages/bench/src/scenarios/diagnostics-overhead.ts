import diagnosticsChannel from 'node:diagnostics_channel';
import { diagnosticsChannels } from '@redlock/core';
import type { Contender } from '../contender.js';
import { oursMemory } from '../contenders/ours-memory.js';
import type { BenchContext, ScenarioResult, ScenarioRow } from '../scenario.js';
import { CYCLE_COLUMNS, measureSequentialCycles } from './sequential-cycles.js';

const WARMUP_CYCLES = 2_000;

/**
 * What core's diagnostics channels cost: the uncontended cycle of ours with
 * nobody subscribed, and with a subscriber on every channel (which reads the
 * message at `asyncEnd`, as an instrumentation does). Without a subscriber
 * the ratio should be 1; the subscribed row shows what tracing costs.
 * Rounds alternate (plain, subscribed, plain, ...) so load drift hits both.
 */
export async function runDiagnosticsOverhead(context: BenchContext): Promise<ScenarioResult> {
  const { plan } = context;
  const ours: Contender[] = [
    oursMemory,
    ...context.contenders.filter((contender) => contender.id === 'ours-ioredis'),
  ];
  const rounds: Map<string, ScenarioRow[]> = new Map();
  const msPerRound = plan.uncontendedMsPerRound;
  for (let round = 0; round < plan.rounds; round++) {
    for (const subscribed of [false, true]) {
      const unsubscribe = subscribed ? subscribeEverywhere() : () => undefined;
      try {
        const rows = await measureSequentialCycles(context, ours, {
          resources: (contender) => [`bench:diagnostics:${contender.id}`],
          warmupCycles: WARMUP_CYCLES,
          msPerRound,
          rounds: 1,
        });
        for (const row of rows) {
          const label = `${row.label}${subscribed ? ' + subscriber' : ''}`;
          rounds.set(label, [...(rounds.get(label) ?? []), { ...row, label }]);
        }
      } finally {
        unsubscribe();
      }
    }
  }
  return {
    id: 'diagnostics-overhead',
    title: 'Diagnostics channels: uncontended cycle with and without a subscriber',
    description:
      `Sequential acquire+release of one key by ours on MemoryLockNodes and on ioredis, ${plan.rounds} ` +
      `alternating round(s) of ${msPerRound} ms without and with a subscriber on redlock:acquire, ` +
      'redlock:extend, redlock:release and redlock:lock-lost.',
    columns: CYCLE_COLUMNS,
    rows: [...rounds.values()].map(pool),
  };
}

/** A subscriber on every Redlock channel that reads what an instrumentation would. */
function subscribeEverywhere(): () => void {
  let seen = 0;
  const handlers = {
    start: () => undefined,
    end: () => undefined,
    asyncStart: () => undefined,
    error: () => undefined,
    asyncEnd: (message: unknown) => {
      seen += (message as { attempts?: number }).attempts ?? 1;
    },
  };
  const tracing = [
    diagnosticsChannels.acquire,
    diagnosticsChannels.extend,
    diagnosticsChannels.release,
  ];
  const onLost = () => {
    seen++;
  };
  for (const name of tracing) diagnosticsChannel.tracingChannel(name).subscribe(handlers);
  diagnosticsChannel.subscribe(diagnosticsChannels.lockLost, onLost);
  return () => {
    for (const name of tracing) diagnosticsChannel.tracingChannel(name).unsubscribe(handlers);
    diagnosticsChannel.unsubscribe(diagnosticsChannels.lockLost, onLost);
    if (seen === 0) throw new Error('the diagnostics subscriber saw no message');
  };
}

/** One row from the rounds of one implementation: totals for rates, medians for latencies. */
function pool(rows: readonly ScenarioRow[]): ScenarioRow {
  const measured = rows.filter((row) => row.status === 'ok' && row.metrics.cycles);
  const first = rows[0]!;
  if (measured.length < rows.length) return rows.find((row) => row.status !== 'ok') ?? first;
  const cycles = measured.reduce((sum, row) => sum + row.metrics.cycles!, 0);
  const seconds = measured.reduce(
    (sum, row) => sum + row.metrics.cycles! / row.metrics.opsPerSec!,
    0,
  );
  const cpu = measured.reduce(
    (sum, row) => sum + row.metrics.cpuUsPerCycle! * row.metrics.cycles!,
    0,
  );
  return {
    ...first,
    metrics: {
      opsPerSec: cycles / seconds,
      p50Ms: median(measured.map((row) => row.metrics.p50Ms!)),
      p99Ms: median(measured.map((row) => row.metrics.p99Ms!)),
      cpuUsPerCycle: cpu / cycles,
      cycles,
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
