import { type ChildProcess, spawn } from 'node:child_process';

/** How the command ended. */
export type ChildOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'signaled'; readonly signal: NodeJS.Signals }
  /** It never ran: `code` is the spawn error's, e.g. `ENOENT` or `EACCES`. */
  | { readonly kind: 'not-started'; readonly code: string; readonly message: string };

/**
 * The command `redlock run` runs: same stdin, stdout and stderr, same
 * process group (so it can use the terminal), no shell in between.
 */
export class RunningChild {
  /** Settles once the command has ended (or failed to start); never rejects. */
  readonly ended: Promise<ChildOutcome>;
  readonly #child: ChildProcess;
  #killTimer: ReturnType<typeof setTimeout> | undefined;
  #terminating = false;

  constructor(command: string, args: readonly string[]) {
    this.#child = spawn(command, args, { stdio: 'inherit' });
    this.ended = new Promise((resolve) => {
      this.#child.once('exit', (exitCode, signal) => {
        clearTimeout(this.#killTimer);
        resolve(
          signal === null
            ? { kind: 'exited', exitCode: exitCode ?? 0 }
            : { kind: 'signaled', signal },
        );
      });
      // 'error' also reports a failed kill(); only a failed spawn (no pid) ends the child.
      this.#child.on('error', (error: NodeJS.ErrnoException) => {
        if (this.#child.pid !== undefined) return;
        resolve({ kind: 'not-started', code: error.code ?? 'UNKNOWN', message: error.message });
      });
    });
  }

  /** Pass on a signal `redlock` received. */
  forward(signal: NodeJS.Signals): void {
    this.#signal(signal);
  }

  /**
   * SIGTERM now, SIGKILL after `graceMs` if the command is still running:
   * the lock is gone, so the command must stop even if it ignores SIGTERM.
   */
  terminate(graceMs: number): void {
    if (this.#terminating) return;
    this.#terminating = true;
    this.#signal('SIGTERM');
    this.#killTimer = setTimeout(() => this.#signal('SIGKILL'), graceMs);
  }

  #signal(signal: NodeJS.Signals): void {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    try {
      this.#child.kill(signal);
    } catch {
      // Gone between the check and the kill: nothing left to signal.
    }
  }
}
