import { type AttemptReport, LockAcquireError, LockLostError } from '@redlock/core';
import type { Invocation } from './arguments.js';
import { type ChildOutcome, RunningChild } from './child.js';
import { connect } from './connect.js';
import { formatDuration } from './duration.js';
import { ExitCode } from './exit-codes.js';
import { type CliOutcome, diedOf } from './outcome.js';
import type { Reporter } from './reporter.js';
import { showWaitStatus } from './wait-status.js';

/** The signals `redlock run` passes on to the command. */
export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

type RunInvocation = Extract<Invocation, { kind: 'run' }>;

/** Interrupted by a signal before the command started. */
class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * `redlock run`: acquire, run the command while `using` extends the lock,
 * release when it exits. Before the command starts, SIGINT/SIGTERM/SIGHUP
 * stop the wait; while it runs they are forwarded to it. If the lock is
 * lost, the command gets SIGTERM, then SIGKILL after `--grace`.
 */
export async function runUnderLock(run: RunInvocation, reporter: Reporter): Promise<CliOutcome> {
  const interrupt = new AbortController();
  let child: RunningChild | undefined;
  let quorum = 1;
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (child) child.forward(signal);
      else if (!interrupt.signal.aborted) interrupt.abort(new Interrupted(signal));
    };
    process.on(signal, listener);
    return () => process.off(signal, listener);
  });
  try {
    const { redlock, notReady } = await connect(run, interrupt.signal, {
      retryCount: run.noWait ? 0 : -1,
    });
    quorum = redlock.quorum;
    reporter.event('connected', { nodes: redlock.nodes.map((node) => node.name), notReady });
    if (notReady.length > 0) {
      reporter.notice(
        `${notReady.length} of ${redlock.nodes.length} Redis servers not reachable, going on with a majority (${notReady.join(', ')})`,
        { notReady },
      );
    }
    const stopStatus = reporter.canShowStatus
      ? showWaitStatus(redlock.nodes, run.resources, reporter)
      : () => undefined;
    try {
      const result = await redlock.using(
        run.resources,
        run.ttlMs,
        { waitTimeoutMs: run.noWait ? undefined : run.waitMs, signal: interrupt.signal },
        async (lockSignal, lock) => {
          stopStatus();
          // Acquired just as a signal came in: the caller asked to stop, so don't start.
          if (interrupt.signal.aborted) return undefined;
          reporter.event('acquired', { resources: lock.resources, expiration: lock.expiration });
          const running = new RunningChild(run.command, run.args);
          child = running;
          let lost: LockLostError | undefined;
          const onLost = (): void => {
            const reason = lockSignal.reason;
            lost = reason instanceof LockLostError ? reason : undefined;
            if (!lost) return;
            reporter.error(
              'lock-lost',
              `${lost.message}; stopping the command (SIGTERM, SIGKILL after ${formatDuration(run.graceMs)})`,
              ExitCode.LOCK_LOST,
            );
            running.terminate(run.graceMs);
          };
          lockSignal.addEventListener('abort', onLost, { once: true });
          const ended = await running.ended;
          lockSignal.removeEventListener('abort', onLost);
          return { ended, lost };
        },
      );
      if (result === undefined) throw interrupt.signal.reason;
      reporter.event('released', { resources: run.resources });
      return commandOutcome(run, result.ended, result.lost, reporter);
    } finally {
      stopStatus();
      await redlock.close();
    }
  } catch (error) {
    const reason = interrupt.signal.aborted ? interrupt.signal.reason : undefined;
    if (reason instanceof Interrupted) {
      reporter.notice(`${reason.message} while waiting for the lock; the command did not run`);
      return diedOf(reason.signal);
    }
    if (error instanceof LockAcquireError && error.code === 'ACQUIRE_FAILED') {
      const contended = wasContention(error.attempts.at(-1), quorum);
      const exitCode = contended ? ExitCode.NOT_ACQUIRED : ExitCode.UNREACHABLE;
      reporter.error(contended ? 'not-acquired' : 'unreachable', error.message, exitCode);
      return { exitCode };
    }
    throw error;
  } finally {
    for (const remove of listeners) remove();
  }
}

function commandOutcome(
  run: RunInvocation,
  ended: ChildOutcome,
  lost: LockLostError | undefined,
  reporter: Reporter,
): CliOutcome {
  if (lost) return { exitCode: ExitCode.LOCK_LOST };
  if (ended.kind === 'exited') return { exitCode: ended.exitCode };
  if (ended.kind === 'signaled') return diedOf(ended.signal);
  const notFound = ended.code === 'ENOENT';
  const exitCode = notFound ? ExitCode.NOT_FOUND : ExitCode.CANNOT_EXECUTE;
  reporter.error(
    notFound ? 'command-not-found' : 'cannot-execute',
    notFound ? `command not found: ${run.command}` : `cannot run ${run.command}: ${ended.message}`,
    exitCode,
  );
  return { exitCode };
}

/**
 * "Another owner has it" rather than "the servers are failing": the holds
 * alone put a majority out of reach, or every server that said no said held.
 * The same rule as `Redlock.tryAcquire`, which resolves `null` for these.
 */
function wasContention(attempt: AttemptReport | undefined, quorum: number): boolean {
  if (attempt === undefined) return false;
  const total = attempt.outcomes.length;
  let held = 0;
  let failed = 0;
  for (const outcome of attempt.outcomes) {
    if (outcome.status === 'held') held++;
    // `pending`: not answered when the round was decided, which is no failure.
    else if (outcome.status !== 'acquired' && outcome.status !== 'pending') failed++;
  }
  return held > 0 && (held > total - quorum || failed === 0);
}
