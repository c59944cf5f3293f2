/**
 * A worker process of the fault scenarios. Run as
 * `node --import tsx --conditions=@redlock/source worker.ts '<config JSON>'`
 * (see `WorkerConfig`). It loops: acquire the lock through Redlock over the
 * lock servers, do a deliberately NON-atomic read-modify-write of a counter
 * on a separate data server (GET, pause, SET + 1), print the section's
 * timing as a JSON line, release. If two workers ever held the lock at
 * once, increments would be lost and their recorded intervals would overlap.
 *
 * Node failures never crash it: a failed acquisition is printed and
 * retried. SIGTERM finishes the current section, releases and exits 0.
 * Anything unexpected prints a `fatal` event and exits 1, which the test
 * reports as a failure.
 */

import { createInterface } from 'node:readline';
import type { Lock, Redlock } from '@redlock/core';
import { RedlockError } from '@redlock/core';
import { RespConnection } from '@redlock/test-utils';
import { createAdapterRedlock } from './adapters.js';
import { epochNowMs, monotonicNowMs } from './clock.js';
import { parseWorkerConfig, type WorkerConfig, type WorkerEvent } from './worker-protocol.js';

/** After closing everything, the process must be able to exit on its own within this time. */
const EXIT_GRACE_MS = 5_000;

let workerId = 'worker';

/** Writes one event as one line. Writes to a pipe are synchronous on Linux, and a line is one atomic write. */
function emit(event: WorkerEvent): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function fail(error: unknown): never {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  emit({ type: 'fatal', worker: workerId, message });
  process.exit(1);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const config = parseWorkerConfig(process.argv[2]);
  workerId = config.workerId;

  // SIGTERM: stop waiting for the lock, or stop stalling; never interrupt a section half-way.
  const termination = new AbortController();
  process.on('SIGTERM', () => termination.abort(new Error('SIGTERM')));

  const dataUrl = new URL(config.dataUrl);
  const data = await RespConnection.connect({
    host: dataUrl.hostname,
    port: Number(dataUrl.port),
  });
  const redlock = await createAdapterRedlock(config.adapter, config.lockUrls, {
    nodeTimeoutMs: config.nodeTimeoutMs,
    retryCount: -1,
    retryDelay: config.retryDelayMs,
    retryJitter: config.retryJitterMs,
    waitTimeoutMs: config.waitTimeoutMs,
  });
  emit({ type: 'ready', worker: workerId, pid: process.pid });
  const started = !config.startGate || (await nextControlLine(termination.signal));
  const { sections, acquireFailures } = started
    ? await lockLoop(config, redlock, data, termination.signal)
    : { sections: 0, acquireFailures: 0 };
  controlLines?.close();
  process.stdin.destroy();

  emit({ type: 'done', worker: workerId, sections, acquireFailures });
  await redlock.close();
  await data.close();
  // Every client is closed: the event loop should now be empty. If a handle
  // stays open, say so rather than hang the test until its timeout.
  setTimeout(
    () => fail(new Error(`still running ${EXIT_GRACE_MS} ms after closing: a handle leaked`)),
    EXIT_GRACE_MS,
  ).unref();
}

async function lockLoop(
  config: WorkerConfig,
  redlock: Redlock,
  data: RespConnection,
  termination: AbortSignal,
): Promise<{ sections: number; acquireFailures: number }> {
  let sections = 0;
  let acquireFailures = 0;
  while (sections < config.increments && !termination.aborted) {
    let lock: Lock;
    try {
      lock = await redlock.acquire(config.resource, config.ttlMs, { signal: termination });
    } catch (error) {
      if (!(error instanceof RedlockError)) throw error;
      if (error.code === 'ABORTED') break;
      // Only "gave up waiting" is a node-failure outcome worth retrying; anything else is a bug.
      if (error.code !== 'ACQUIRE_FAILED') throw error;
      acquireFailures++;
      emit({ type: 'acquire-failed', worker: workerId, code: error.code, message: error.message });
      continue;
    }
    const monoStart = monotonicNowMs();
    const start = epochNowMs();
    const validityEnd = lock.expiration;
    // The validity end on the shared monotonic clock, for ordering across processes.
    const monoValidityEnd = monoStart + (validityEnd - start);
    const index = sections + 1;

    if (index === config.stallAtSection) {
      emit({ type: 'holding', worker: workerId, index, monoStart, monoValidityEnd, validityEnd });
      await stallUntil(termination);
      const monoReleasing = monotonicNowMs();
      const report = await lock.release();
      emit({
        type: 'released-on-signal',
        worker: workerId,
        signal: 'SIGTERM',
        monoReleasing,
        releasedNodes: report.releasedNodes,
      });
      break;
    }

    const counterRead = Number((await data.call(['GET', config.counterKey])) ?? 0);
    await sleep(config.workMs);
    await data.call(['SET', config.counterKey, counterRead + 1]);
    const monoEnd = monotonicNowMs();
    const end = epochNowMs();
    sections = index;
    emit({
      type: 'section',
      worker: workerId,
      index,
      start,
      end,
      validityEnd,
      monoStart,
      monoEnd,
      monoValidityEnd,
      counterRead,
      value: lock.value,
    });
    await lock.release();
    if (config.barrierEvery && index % config.barrierEvery === 0 && index < config.increments) {
      emit({ type: 'barrier', worker: workerId, index });
      if (!(await nextControlLine(termination))) break;
    }
  }
  return { sections, acquireFailures };
}

let controlLines: (AsyncIterableIterator<string> & { close(): void }) | undefined;

/**
 * Waits for the test's go-ahead: one line on stdin. Resolves false on
 * SIGTERM, or when stdin closed (the test is gone).
 */
async function nextControlLine(termination: AbortSignal): Promise<boolean> {
  if (!controlLines) {
    const lines = createInterface({ input: process.stdin });
    controlLines = Object.assign(lines[Symbol.asyncIterator](), { close: () => lines.close() });
  }
  if (termination.aborted) return false;
  let onAbort = (): void => undefined;
  const aborted = new Promise<IteratorResult<string>>((resolve) => {
    onAbort = () => resolve({ done: true, value: undefined });
    termination.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const next = await Promise.race([controlLines.next(), aborted]);
    return !next.done;
  } finally {
    termination.removeEventListener('abort', onAbort);
  }
}

/** Holds still until SIGTERM; a SIGKILL ends the process here. */
function stallUntil(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

main().catch(fail);
