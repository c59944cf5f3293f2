import { describeFault } from './faults.js';
import type { Scenario } from './scenario.js';
import type { ShrinkResult } from './shrink.js';
import type { RunResult } from './world.js';

/** How a scenario was generated, as the command line that regenerates it. */
export function replayCommand(scenario: Scenario): string {
  const parts = ['pnpm sim', `--seed ${scenario.seed}`, `--nodes ${scenario.servers.length}`];
  parts.push(`--clients ${scenario.clients.length}`);
  if (scenario.broken !== null) parts.push(`--broken ${scenario.broken}`);
  if (scenario.fencing) parts.push('--fencing');
  if (scenario.waitingLine) parts.push('--waiting-line');
  if ((scenario.restartGuardMs ?? 0) > 0) parts.push('--restart-guard');
  if (scenario.staleWriters) parts.push('--kleppmann');
  return parts.join(' ');
}

/** A scenario in a few lines: clocks, network, faults. */
export function describeScenario(scenario: Scenario): string[] {
  const lines = [
    `seed ${scenario.seed}; ${scenario.servers.length} servers, ${scenario.clients.length} clients; ` +
      `assumption broken: ${scenario.broken ?? 'none'}; faults end at ${scenario.faultsEndMs} ms` +
      `; fencing ${scenario.fencing ? 'on' : 'off'}, restart guard ${scenario.restartGuardMs ?? 0} ms` +
      `${scenario.staleWriters ? ', stale writers' : ''}`,
    `server clock rates: ${scenario.servers.map((s, i) => `n${i} ${s.clockRate.toFixed(4)}`).join(', ')}`,
    `client clock rates: ${scenario.clients.map((c) => `c${c.id} ${c.clockRate.toFixed(4)}`).join(', ')}` +
      ` (max operations: ${scenario.clients.map((c) => `c${c.id} ${c.maxOperations}`).join(', ')})`,
    `network: latency ${scenario.network.minLatencyMs.toFixed(2)}-${scenario.network.maxLatencyMs.toFixed(2)} ms, ` +
      `loss ${scenario.network.lossRate}, spikes ${scenario.network.spikeRate} up to ${scenario.network.spikeMaxMs} ms`,
  ];
  if (scenario.faults.length === 0) lines.push('faults: none');
  else for (const fault of scenario.faults) lines.push(`fault ${describeFault(fault)}`);
  return lines;
}

/** The reproduction of a failure: original seed, minimal scenario, its trace. */
export function describeReproduction(
  original: RunResult,
  shrunk: ShrinkResult | undefined,
  traceLines: number,
): string[] {
  const violation = original.violation!;
  const lines = [
    `VIOLATION (${violation.kind}) at ${violation.atMs.toFixed(3)} ms: ${violation.message}`,
    `replay: ${replayCommand(original.scenario)}`,
  ];
  if (shrunk === undefined) return lines;
  const minimal = shrunk.result;
  lines.push(
    '',
    `minimal reproduction (${shrunk.trials} shrinking runs), still ${minimal.violation!.kind}:`,
    ...describeScenario(shrunk.scenario).map((line) => `  ${line}`),
    `  ${minimal.violation!.message}`,
    '',
    `replay it: pnpm sim --scenario '${JSON.stringify(shrunk.scenario)}'`,
  );
  const trace = minimal.trace;
  if (trace.length > 0) {
    const shown = traceLines > 0 ? trace.slice(-traceLines) : trace;
    lines.push(
      '',
      `trace (${shown.length === trace.length ? 'all' : `last ${shown.length} of`} ${trace.length} lines; --trace for all):`,
      ...shown,
    );
  }
  return lines;
}
