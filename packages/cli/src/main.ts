import { parseInvocation, UsageError } from './arguments.js';
import { UnreachableError } from './connect.js';
import { ExitCode } from './exit-codes.js';
import { helpText } from './help.js';
import { inspectLocks } from './inspect-command.js';
import type { CliOutcome } from './outcome.js';
import { type CliStreams, Reporter } from './reporter.js';
import { runUnderLock } from './run-command.js';
import { cliVersion } from './version.js';

/**
 * The `redlock` command, minus the process: reads `argv` (without `node` and
 * the script) and `env`, writes to `streams`, and resolves with how to exit.
 * Never rejects: every failure becomes one line on stderr and an exit code.
 *
 * ```ts
 * import { main } from '@redlock/cli';
 * const { exitCode } = await main(['inspect', 'nightly-report'], process.env, process);
 * ```
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  streams: CliStreams,
): Promise<CliOutcome> {
  const head = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  let reporter = new Reporter(streams, { quiet: false, json: head.includes('--json') });
  let subcommand: 'run' | 'inspect' | undefined;
  try {
    const invocation = parseInvocation(argv, env);
    if (invocation.kind === 'help') {
      streams.stdout.write(`${helpText(invocation.subcommand)}\n`);
      return { exitCode: ExitCode.OK };
    }
    if (invocation.kind === 'version') {
      streams.stdout.write(`${cliVersion()}\n`);
      return { exitCode: ExitCode.OK };
    }
    reporter = new Reporter(streams, invocation);
    subcommand = invocation.kind;
    return invocation.kind === 'run'
      ? await runUnderLock(invocation, reporter)
      : await inspectLocks(invocation, reporter);
  } catch (error) {
    if (error instanceof UsageError) {
      const topic = error.subcommand ?? subcommand;
      const help = topic ? `redlock ${topic} --help` : 'redlock --help';
      reporter.error('usage', error.message, ExitCode.USAGE, `Try '${help}'.`);
      return { exitCode: ExitCode.USAGE };
    }
    if (error instanceof UnreachableError) {
      reporter.error('unreachable', error.message, ExitCode.UNREACHABLE);
      return { exitCode: ExitCode.UNREACHABLE };
    }
    const message = error instanceof Error ? error.message : String(error);
    reporter.error('internal', `unexpected error: ${message.split('\n')[0]}`, ExitCode.INTERNAL);
    return { exitCode: ExitCode.INTERNAL };
  }
}
