/**
 * The exit codes of `redlock` itself. `redlock run` otherwise exits with the
 * command's own code (and a command killed by a signal makes `redlock` die of
 * the same signal), so these are chosen from the BSD `sysexits.h` range that
 * ordinary programs rarely use.
 */
export const ExitCode = {
  /** The command ran and exited 0 (otherwise its own code is passed through). */
  OK: 0,
  /** Bad command line: an unknown flag, a bad duration, no command (EX_USAGE). */
  USAGE: 64,
  /** Fewer than a majority of the Redis servers could be reached (EX_UNAVAILABLE). */
  UNREACHABLE: 69,
  /** A bug in redlock: an error it did not expect (EX_SOFTWARE). */
  INTERNAL: 70,
  /** The lock was not acquired within `--wait`, or at once with `--no-wait`; the command never ran (EX_TEMPFAIL). */
  NOT_ACQUIRED: 75,
  /** The lock was lost while the command ran; the command was sent SIGTERM, then SIGKILL. */
  LOCK_LOST: 76,
  /** The command could not be executed (permission denied, not a program), as in a shell. */
  CANNOT_EXECUTE: 126,
  /** The command was not found, as in a shell. */
  NOT_FOUND: 127,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
