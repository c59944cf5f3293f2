import { type ChildProcess, fork } from 'node:child_process';
import type { ServerAddress } from '../contender.js';
import {
  type GoMessage,
  type OpenMessage,
  WORKER_ROLE,
  WORKER_ROLE_ENV,
  type WorkerMessage,
  type WorkerResult,
} from './worker-protocol.js';

/** How long P fresh processes may take to start and connect on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 30_000;
/** Extra time, past the workers' own cut-off, before a silent worker counts as hung. */
const RESULT_SLACK_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;
/** Between "go" and the start: every worker has the message well before. */
export const START_DELAY_MS = 200;

export interface FleetSpec {
  readonly contenderId: string;
  readonly processes: number;
  readonly servers: readonly ServerAddress[];
  readonly keys: readonly string[];
  readonly cumulativeWeights: readonly number[];
  readonly seed: number;
  readonly holdMs: number;
  readonly thinkMs: number;
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly graceMs: number;
}

export type FleetOutcome =
  | { readonly status: 'ok'; readonly results: readonly WorkerResult[] }
  | { readonly status: 'error' | 'timed out'; readonly note: string };

/**
 * Starts `processes` fresh worker processes (this benchmark's own entry file
 * in worker mode), has each open the contender with its own clients, starts
 * them at one instant on the shared monotonic clock, and collects what they
 * measured. Fresh processes per run: a library cut off mid-acquisition may
 * keep retrying, and that must not eat into the next run's CPU.
 */
export async function runFleet(spec: FleetSpec): Promise<FleetOutcome> {
  const entry = process.argv[1]!;
  const children: ChildProcess[] = [];
  const inbox = new Map<ChildProcess, WorkerMessage[]>();
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const waiter of waiters) waiter();
  };
  try {
    for (let index = 0; index < spec.processes; index++) {
      const child = fork(entry, [], {
        env: { ...process.env, [WORKER_ROLE_ENV]: WORKER_ROLE },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(child);
      inbox.set(child, []);
      child.on('message', (message: WorkerMessage) => {
        inbox.get(child)!.push(message);
        notify();
      });
      child.on('exit', notify);
      const open: OpenMessage = {
        type: 'open',
        contenderId: spec.contenderId,
        servers: spec.servers.map(({ host, port, url }) => ({ host, port, url })),
        workerIndex: index,
        keys: spec.keys,
        cumulativeWeights: spec.cumulativeWeights,
        seed: spec.seed * 1000 + index,
        holdMs: spec.holdMs,
        thinkMs: spec.thinkMs,
      };
      child.send(open);
    }
    const ready = await collect(children, inbox, waiters, 'ready', READY_TIMEOUT_MS);
    if (ready.status !== 'ok') return ready;

    const baseNs = process.hrtime.bigint();
    const go: GoMessage = {
      type: 'go',
      baseNs: baseNs.toString(),
      startMs: START_DELAY_MS,
      warmupMs: spec.warmupMs,
      windowMs: spec.windowMs,
      graceMs: spec.graceMs,
    };
    for (const child of children) child.send(go);
    const runMs = START_DELAY_MS + spec.warmupMs + spec.windowMs + spec.graceMs;
    const done = await collect(children, inbox, waiters, 'result', runMs + RESULT_SLACK_MS);
    if (done.status !== 'ok') return done;
    return {
      status: 'ok',
      results: children.map((child) => {
        const message = inbox.get(child)!.find((candidate) => candidate.type === 'result');
        return (message as Extract<WorkerMessage, { type: 'result' }>).result;
      }),
    };
  } finally {
    await stopAll(children);
  }
}

/** Waits until every child sent a message of `type`; a failure or an early exit ends the wait. */
async function collect(
  children: readonly ChildProcess[],
  inbox: Map<ChildProcess, WorkerMessage[]>,
  waiters: Set<() => void>,
  type: 'ready' | 'result',
  timeoutMs: number,
): Promise<{ status: 'ok' } | { status: 'error' | 'timed out'; note: string }> {
  return new Promise((resolve) => {
    const check = (): void => {
      let arrived = 0;
      for (const child of children) {
        const messages = inbox.get(child)!;
        const failed = messages.find((message) => message.type === 'failed');
        if (failed !== undefined) {
          finish({ status: 'error', note: failed.error });
          return;
        }
        if (messages.some((message) => message.type === type)) arrived++;
        else if (child.exitCode !== null || child.signalCode !== null) {
          finish({
            status: 'error',
            note: `a worker exited (${child.exitCode ?? child.signalCode}) before "${type}"`,
          });
          return;
        }
      }
      if (arrived === children.length) finish({ status: 'ok' });
    };
    const timer = setTimeout(
      () =>
        finish({
          status: 'timed out',
          note: `not every worker sent "${type}" within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
    const finish = (
      outcome: { status: 'ok' } | { status: 'error' | 'timed out'; note: string },
    ): void => {
      clearTimeout(timer);
      waiters.delete(check);
      resolve(outcome);
    };
    waiters.add(check);
    check();
  });
}

/** Every worker exits by itself after its result; one that does not is killed (by its own pid). */
async function stopAll(children: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
          }, EXIT_TIMEOUT_MS);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          // A worker still waiting for "go" (the run was abandoned) is told to leave.
          if (child.connected) child.disconnect();
        }),
    ),
  );
}
