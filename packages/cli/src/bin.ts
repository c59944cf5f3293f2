#!/usr/bin/env node
import { main } from './main.js';
import type { CliOutcome } from './outcome.js';

// A closed terminal or a closed pipe (`redlock inspect x | head -1`) must not
// crash redlock while it holds a lock: there is simply nobody left to read.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

main(process.argv.slice(2), process.env, process).then(exit, (error: unknown) => {
  // main() never rejects; this is the last line of defence, still one line.
  process.stderr.write(`redlock: unexpected error: ${String(error)}\n`);
  exit({ exitCode: 70 });
});

/**
 * Exit with the code, or die of the command's signal so the caller (a shell,
 * cron, systemd) sees the same as if it had run the command itself.
 */
function exit(outcome: CliOutcome): void {
  process.exitCode = outcome.exitCode;
  if (outcome.signal === undefined) return;
  process.removeAllListeners(outcome.signal);
  try {
    process.kill(process.pid, outcome.signal);
  } catch {
    // Could not raise it: the exit code (128 + n) says the same.
  }
}
