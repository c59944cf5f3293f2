import { constants } from 'node:os';

/**
 * How `redlock` ends: an exit code, or dying of `signal` (the command was
 * killed by it, or `redlock` was interrupted by it while waiting) so the
 * caller sees what a shell would show for the command itself.
 */
export interface CliOutcome {
  readonly exitCode: number;
  readonly signal?: NodeJS.Signals;
}

/** Dying of `signal`; `128 + n` is the exit code a shell reports for it, used if re-raising fails. */
export function diedOf(signal: NodeJS.Signals): CliOutcome {
  return { exitCode: 128 + (constants.signals[signal] ?? 0), signal };
}
