import { ExitCode } from './exit-codes.js';

const COMMON = `  --redis URL,URL,...    Redis masters, comma-separated (default: $REDLOCK_URLS,
                         else redis://127.0.0.1:6379/0)
  --key-prefix PREFIX    the keyPrefix your application's Redlock uses (default none)
  --connect-timeout DUR  give up reaching a majority of them after DUR (default 5s)
  -q, --quiet            no status line, no notices (errors are still printed)
  --json                 machine-readable output (redlock run: JSON lines on stderr)
  -h, --help             this help
  --version              the version of redlock`;

const RUN = `Usage: redlock run [options] <resource>... -- <command> [args...]

Acquires a Redlock on <resource> across the Redis servers, runs <command>
while the lock is extended, and releases it when the command exits.

  --ttl DUR              lock TTL, renewed while the command runs (default 30s)
  --wait DUR             give up acquiring after DUR (default: wait as long as it takes)
  --no-wait              one attempt only, like flock -n
  --grace DUR            after the lock is lost: SIGTERM, then SIGKILL after DUR (default 5s)
${COMMON}

Durations: 500ms, 30s, 1.5s, 2m, 1h.

Exit codes: the command's own (a command killed by a signal kills redlock with
the same signal); ${ExitCode.USAGE} usage error; ${ExitCode.UNREACHABLE} a majority of servers unreachable;
${ExitCode.NOT_ACQUIRED} lock not acquired (--wait passed, or held with --no-wait); ${ExitCode.LOCK_LOST} lock lost
while the command ran; ${ExitCode.CANNOT_EXECUTE} command not executable; ${ExitCode.NOT_FOUND} command not found.
SIGINT, SIGTERM and SIGHUP are forwarded to the command.`;

const INSPECT = `Usage: redlock inspect [options] <resource>...

Shows who holds each resource on each Redis server, and the TTL left.

${COMMON}

Exit codes: 0; ${ExitCode.USAGE} usage error; ${ExitCode.UNREACHABLE} fewer than a majority of servers answered.`;

const GENERAL = `Usage: redlock <command> [options]

  redlock run [options] <resource>... -- <command> [args...]
      run a command under a distributed lock (a distributed flock)
  redlock inspect [options] <resource>...
      show who holds a lock on each server, and for how long

Run redlock run --help or redlock inspect --help for the options.`;

/** The `--help` text of a subcommand, or the general one. */
export function helpText(subcommand: 'run' | 'inspect' | undefined): string {
  if (subcommand === 'run') return RUN;
  if (subcommand === 'inspect') return INSPECT;
  return GENERAL;
}
