/**
 * The benchmark itself: every Redlock implementation side by side on the
 * same five redis-server masters, in one process and one run. Started by
 * cli.ts (`pnpm bench`); see docs/benchmarks.md.
 */
import { defaultReportPath, writeReport } from './bench-report.js';
import { parseCliOptions, USAGE, UsageError } from './cli-options.js';
import { runWorker } from './multi-process/worker.js';
import { WORKER_ROLE, WORKER_ROLE_ENV } from './multi-process/worker-protocol.js';
import { formatScenario } from './report/scenario-table.js';
import { formatTargets } from './report/target-table.js';
import { runBench } from './run-bench.js';

async function main(): Promise<number> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const report = await runBench(options, {
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
    onScenario: (scenario) => process.stdout.write(`\n${formatScenario(scenario)}\n`),
  });
  const { environment } = report;
  process.stdout.write(
    `\n${formatTargets(report.targets)}\n\n` +
      `${environment.cpuCount} x ${environment.cpuModel}, Node ${environment.node}, ${environment.redisServer.split(' ').slice(0, 3).join(' ')}; ` +
      `load average ${environment.loadAverageAtStart} at start, ${report.loadAverageAtEnd} at end; ${report.durationSec.toFixed(0)} s\n`,
  );
  const written = writeReport(report, options.out ?? defaultReportPath());
  process.stderr.write(`[bench] wrote ${written}\n`);
  return 0;
}

if (process.env[WORKER_ROLE_ENV] === WORKER_ROLE) {
  // The multi-process scenarios start this same file once per worker process.
  runWorker().catch((error: unknown) => {
    process.stderr.write(`bench worker failed: ${describeFailure(error)}\n`);
    process.exit(1);
  });
} else {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n\n${USAGE}\n`);
        process.exit(2);
      }
      process.stderr.write(`bench failed: ${describeFailure(error)}\n`);
      process.exit(1);
    },
  );
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
