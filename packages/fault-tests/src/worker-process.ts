/**
 * Spawns worker processes and follows what they print, so a test can wait
 * for events ("10 sections done", "w0 is holding", "w0 exited") instead of
 * sleeping.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SectionRecord, WorkerConfig, WorkerEvent } from './worker-protocol.js';

const sourceDir = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.dirname(sourceDir);
const workerScript = path.join(sourceDir, 'worker.ts');

/** How a worker process ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Lines of a worker's stderr kept for failure messages. */
const STDERR_TAIL_CHARS = 4_000;

/** One running worker process. */
export class WorkerProcess {
  /** Every event printed so far, in order. */
  readonly events: WorkerEvent[] = [];
  /** Resolves (never rejects) when the process has exited and its output is read. */
  readonly exited: Promise<WorkerExit>;
  #exit: WorkerExit | undefined;
  #stderr = '';
  readonly #child: ChildProcess;
  readonly #onEvent: (event: WorkerEvent) => void;

  constructor(
    readonly config: WorkerConfig,
    onEvent: (event: WorkerEvent) => void,
  ) {
    this.#onEvent = onEvent;
    // tsx as an import hook (works with tsx 4 on Node 20); run from this
    // package so `tsx` and the workspace packages resolve from here.
    this.#child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@redlock/source', workerScript, JSON.stringify(config)],
      { cwd: packageDir, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    // A worker that exited early closes its stdin; writing to it must not throw here.
    this.#child.stdin!.on('error', () => undefined);
    const lines = createInterface({ input: this.#child.stdout! });
    lines.on('line', (line) => this.#onLine(line));
    const stdoutDone = new Promise<void>((resolve) => lines.once('close', resolve));
    this.#child.stderr!.setEncoding('utf8');
    this.#child.stderr!.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_TAIL_CHARS);
    });
    const processDone = new Promise<WorkerExit>((resolve) => {
      this.#child.once('error', (error) => {
        this.#stderr += `\nspawn failed: ${error.message}`;
        resolve({ code: null, signal: null });
      });
      this.#child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    this.exited = Promise.all([processDone, stdoutDone]).then(([exit]) => {
      this.#exit = exit;
      return exit;
    });
  }

  get id(): string {
    return this.config.workerId;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The exit, once it happened. */
  get exit(): WorkerExit | undefined {
    return this.#exit;
  }

  get sections(): SectionRecord[] {
    return this.events.filter((event): event is SectionRecord => event.type === 'section');
  }

  /** The end of stderr and the last events, for failure messages. */
  describe(): string {
    const last = this.events
      .slice(-3)
      .map((event) => JSON.stringify(event))
      .join('\n  ');
    return `${this.id} (pid ${this.pid}, exit ${JSON.stringify(this.#exit)})\n  last events:\n  ${last}\n  stderr: ${this.#stderr.trim() || '(empty)'}`;
  }

  /** Lets a worker waiting at a barrier go on. */
  proceed(): void {
    if (this.#exit === undefined) this.#child.stdin!.write('go\n');
  }

  /** How many barriers this worker has reached. */
  get barriersReached(): number {
    return this.events.filter((event) => event.type === 'barrier').length;
  }

  kill(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  #onLine(line: string): void {
    let event: WorkerEvent;
    try {
      event = JSON.parse(line) as WorkerEvent;
    } catch {
      // Not an event (e.g. a library printing to stdout): keep it for diagnostics.
      this.#stderr = (this.#stderr + `\n[stdout] ${line}`).slice(-STDERR_TAIL_CHARS);
      return;
    }
    this.events.push(event);
    this.#onEvent(event);
  }
}
