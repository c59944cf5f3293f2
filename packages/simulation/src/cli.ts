import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type CampaignSummary, runCampaign } from './campaign.js';
import { CHILD_FLAG, runCampaignInProcesses, serveCampaignSlice } from './parallel-campaign.js';
import { describeReproduction, describeScenario } from './report.js';
import {
  type BrokenAssumption,
  brokenAssumptions,
  generateScenario,
  type Scenario,
} from './scenario.js';
import { shrinkScenario } from './shrink.js';
import { type RunResult, runScenario } from './world.js';

const usage = `pnpm sim [options]

Deterministic simulation of Redlock: clients with drifting clocks fight over
locks on servers behind a faulty network; every event is checked against
mutual exclusion, timely signals, key TTLs and liveness.

  --runs N           seeds to run (default 1000)
  --first-seed S     first seed of the campaign (default 1)
  --seed S           run only seed S, with a trace
  --scenario JSON    run one scenario (JSON text or a file), as printed by a failure
  --nodes N          servers (default 5)
  --clients N        client processes (default: 3 to 8 per seed)
  --broken NAME      break an assumption: ${brokenAssumptions.join(', ')}
  --fencing          clients take fencing tokens; checks that tokens grow in real-time order
  --waiting-line     clients wait in the nodes' waiting lines (waitingLine); checks that places of
                     dead waiters lapse and that concurrent waiters all get a turn within a bound
  --restart-guard    clients keep servers that restarted less than 2 x the longest TTL ago
                     out of every quorum (restartGuardMs)
  --kleppmann        holders read-modify-write a protected store, some pausing past their
                     validity before they write; counts lost updates (with --fencing: must be 0)
  --trace            print the whole trace of a reproduction (default: its last 80 lines)
  --no-shrink        report a failure without minimising it
  --processes N      split the seeds over N processes (default: one per CPU)
  --help`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string' },
      'first-seed': { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string' },
      nodes: { type: 'string' },
      clients: { type: 'string' },
      broken: { type: 'string' },
      fencing: { type: 'boolean', default: false },
      'restart-guard': { type: 'boolean', default: false },
      kleppmann: { type: 'boolean', default: false },
      'waiting-line': { type: 'boolean', default: false },
      trace: { type: 'boolean', default: false },
      'no-shrink': { type: 'boolean', default: false },
      processes: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const broken = parseBroken(values.broken);
  const scenarioOptions = {
    nodes: parseInteger('--nodes', values.nodes, 1),
    clients: parseInteger('--clients', values.clients, 1),
    broken,
    fencing: values.fencing,
    restartGuard: values['restart-guard'],
    staleWriters: values.kleppmann,
    waitingLine: values['waiting-line'],
  };
  const traceLines = values.trace ? 0 : 80;

  if (values.seed !== undefined || values.scenario !== undefined) {
    const scenario =
      values.scenario !== undefined
        ? readScenario(values.scenario)
        : generateScenario(parseInteger('--seed', values.seed, 0)!, scenarioOptions);
    const result = await runScenario(scenario, { trace: true });
    for (const line of describeScenario(scenario)) console.log(line);
    console.log('');
    const shown = traceLines > 0 ? result.trace.slice(-traceLines) : result.trace;
    for (const line of shown) console.log(line);
    console.log('');
    printSummary(1, result.events, result.operations, result.locksHeld, result.violation ? 1 : 0);
    printFencing(scenario, result);
    if (result.violation) {
      console.log(`VIOLATION (${result.violation.kind}): ${result.violation.message}`);
      return 1;
    }
    return 0;
  }

  const runs = parseInteger('--runs', values.runs, 1) ?? 1000;
  const firstSeed = parseInteger('--first-seed', values['first-seed'], 0) ?? 1;
  const processes = Math.min(
    parseInteger('--processes', values.processes, 1) ?? availableParallelism(),
    Math.ceil(runs / 100),
  );
  const progressEvery = Math.max(100, Math.floor(runs / 20));
  let reported = 0;
  const progress = (runsDone: number): void => {
    if (runsDone - reported >= progressEvery && runsDone < runs) {
      reported = runsDone;
      process.stderr.write(`  ${runsDone}/${runs} runs\n`);
    }
  };
  const campaign = { ...scenarioOptions, runs, firstSeed };
  const summary: CampaignSummary =
    processes > 1
      ? await runCampaignInProcesses(campaign, processes, fileURLToPath(import.meta.url), progress)
      : await runCampaign({ ...campaign, onRun: (_, index) => progress(index + 1) });
  printSummary(
    summary.runs,
    summary.events,
    summary.operations,
    summary.locksHeld,
    summary.failures.length,
  );
  printFencing(scenarioOptions, summary);
  console.log(
    `time:          ${(summary.elapsedMs / 1000).toFixed(1)} s (${processes} ${processes === 1 ? 'process' : 'processes'})`,
  );
  const first = summary.failures[0];
  if (first === undefined) return 0;
  console.log(
    `failing seeds: ${summary.failures
      .slice(0, 20)
      .map((r) => r.scenario.seed)
      .join(', ')}${summary.failures.length > 20 ? ', ...' : ''}`,
  );
  console.log('');
  const trace = (scenario: Scenario): Promise<RunResult> => runScenario(scenario, { trace: true });
  const shrunk = values['no-shrink'] ? undefined : await shrinkScenario(first, trace);
  for (const line of describeReproduction(first, shrunk, traceLines)) console.log(line);
  return 1;
}

function printSummary(
  runs: number,
  events: number,
  operations: number,
  locksHeld: number,
  violations: number,
): void {
  console.log(`runs:          ${runs}`);
  console.log(`operations:    ${operations} Redlock calls checked (${locksHeld} locks held)`);
  console.log(`events:        ${events} (invariants checked after each)`);
  console.log(`violations:    ${violations}`);
}

function printFencing(
  options: { fencing?: boolean; staleWriters?: boolean; restartGuard?: boolean },
  counts: { tokenChecks: number; lostUpdates: number; refusedWrites: number },
): void {
  if (options.fencing) console.log(`token order:   ${counts.tokenChecks} pairs checked`);
  if (options.staleWriters) {
    console.log(
      `lost updates:  ${counts.lostUpdates} (stale writes refused by the fenced store: ${counts.refusedWrites})`,
    );
  }
}

function parseInteger(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${flag} must be an integer >= ${min}, got "${text}"`);
  }
  return value;
}

function parseBroken(text: string | undefined): BrokenAssumption | null {
  if (text === undefined) return null;
  if (!(brokenAssumptions as readonly string[]).includes(text)) {
    throw new UsageError(`--broken must be one of ${brokenAssumptions.join(', ')}, got "${text}"`);
  }
  return text as BrokenAssumption;
}

function readScenario(text: string): Scenario {
  const json = text.trimStart().startsWith('{') ? text : readFileSync(text, 'utf8');
  return JSON.parse(json) as Scenario;
}

class UsageError extends Error {}

const childSlice = process.argv[2] === CHILD_FLAG ? process.argv[3] : undefined;

(childSlice === undefined ? main() : serveCampaignSlice(childSlice).then(() => 0)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 3;
    }
  },
);
