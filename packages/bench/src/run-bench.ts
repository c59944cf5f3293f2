import os from 'node:os';
import type { BenchReport } from './bench-report.js';
import { startBenchServers } from './bench-servers.js';
import { type CliOptions, UsageError } from './cli-options.js';
import type { Contender } from './contender.js';
import { contenders } from './contenders/index.js';
import { describeEnvironment } from './environment.js';
import { evaluateTargets } from './report/targets.js';
import type { BenchContext, ScenarioId, ScenarioResult } from './scenario.js';
import { runContended } from './scenarios/contended.js';
import { runCoreOverhead } from './scenarios/core-overhead.js';
import { runDegraded } from './scenarios/degraded.js';
import { runDiagnosticsOverhead } from './scenarios/diagnostics-overhead.js';
import { runManyKeys } from './scenarios/many-keys.js';
import { runMemory } from './scenarios/memory.js';
import { runMultiProcess } from './scenarios/multi-process.js';
import { runMultiResource } from './scenarios/multi-resource.js';
import { runUncontended } from './scenarios/uncontended.js';
import { FULL_PLAN, LOCK_SETTINGS, QUICK_PLAN, type RunPlan } from './settings.js';

const RUNNERS: Record<ScenarioId, (context: BenchContext) => Promise<ScenarioResult>> = {
  'core-overhead': runCoreOverhead,
  'diagnostics-overhead': runDiagnosticsOverhead,
  uncontended: runUncontended,
  'multi-resource': runMultiResource,
  contended: runContended,
  degraded: runDegraded,
  memory: runMemory,
  'many-keys': runManyKeys,
  'multi-process-2': (context) =>
    runMultiProcess(context, { id: 'multi-process-2', processes: 2, keys: 1, skew: 0 }),
  'multi-process-6': (context) =>
    runMultiProcess(context, { id: 'multi-process-6', processes: 6, keys: 1, skew: 0 }),
  'multi-process-12': (context) =>
    runMultiProcess(context, { id: 'multi-process-12', processes: 12, keys: 1, skew: 0 }),
  'multi-process-mixed': (context) =>
    runMultiProcess(context, { id: 'multi-process-mixed', processes: 6, keys: 16, skew: 1 }),
};

/** The order scenarios run in: cheap ones first, the memory run (which forces GCs) last. */
const RUN_ORDER: readonly ScenarioId[] = [
  'core-overhead',
  'diagnostics-overhead',
  'uncontended',
  'multi-resource',
  'many-keys',
  'contended',
  'multi-process-2',
  'multi-process-6',
  'multi-process-12',
  'multi-process-mixed',
  'degraded',
  'memory',
];

export interface BenchHooks {
  readonly log: (message: string) => void;
  /** Called with each scenario as soon as it finished. */
  readonly onScenario: (result: ScenarioResult) => void;
}

/** Starts the servers, runs the selected scenarios on every implementation, stops the servers. */
export async function runBench(options: CliOptions, hooks: BenchHooks): Promise<BenchReport> {
  const startedAt = new Date();
  const plan: RunPlan = {
    ...(options.quick ? QUICK_PLAN : FULL_PLAN),
    ...(options.cycles === undefined ? {} : { memoryCycles: options.cycles }),
    ...(options.redisCycles === undefined ? {} : { memoryRedisCycles: options.redisCycles }),
  };
  const selected = selectContenders(options.implementations);
  const environment = describeEnvironment();
  hooks.log(`starting ${LOCK_SETTINGS.nodeCount} redis-server masters`);
  const { servers, stop } = await startBenchServers(LOCK_SETTINGS.nodeCount);
  const scenarios: ScenarioResult[] = [];
  try {
    const context: BenchContext = { servers, contenders: selected, plan, log: hooks.log };
    for (const id of RUN_ORDER.filter((scenario) => options.only.includes(scenario))) {
      hooks.log(`scenario ${id}`);
      const result = await RUNNERS[id](context);
      scenarios.push(result);
      hooks.onScenario(result);
    }
  } finally {
    await stop();
  }
  return {
    startedAt: startedAt.toISOString(),
    durationSec: (Date.now() - startedAt.getTime()) / 1000,
    loadAverageAtEnd: Math.round(os.loadavg()[0]! * 100) / 100,
    command: ['pnpm bench', ...process.argv.slice(2)].join(' '),
    quick: options.quick,
    scenariosRun: scenarios.map((scenario) => scenario.id),
    environment,
    lockSettings: LOCK_SETTINGS,
    plan,
    contenders: selected.map((contender) => ({
      id: contender.id,
      label: contender.label,
      kind: contender.kind,
      settings: contender.settingsNote,
    })),
    scenarios,
    targets: evaluateTargets(scenarios),
  };
}

function selectContenders(ids: readonly string[] | undefined): readonly Contender[] {
  if (ids === undefined) return contenders;
  const unknown = ids.filter((id) => !contenders.some((contender) => contender.id === id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown implementation ${unknown.join(', ')}; choose from ${contenders.map((contender) => contender.id).join(', ')}`,
    );
  }
  return contenders.filter((contender) => ids.includes(contender.id));
}
