import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * `global.gc`, also when node was started without `--expose-gc`: the flag
 * can be set at run time, and a new context then sees `gc`. So `pnpm bench`
 * needs no NODE_OPTIONS.
 */
export function obtainGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

const STABLE_BYTES = 64 * 1024;
const SETTLE_STEP_MS = 100;
const SETTLE_LIMIT_MS = 5_000;

/**
 * Heap in use after full collections, once it stops shrinking: memory of an
 * earlier scenario (closed connections, abandoned calls) is let go over a
 * few turns of the event loop, so one collection right away would still count it.
 */
export async function settledHeapUsed(gc: () => void): Promise<number> {
  const startedAt = performance.now();
  let previous = collect(gc);
  for (;;) {
    await sleep(SETTLE_STEP_MS);
    const current = collect(gc);
    if (
      Math.abs(previous - current) <= STABLE_BYTES ||
      performance.now() - startedAt > SETTLE_LIMIT_MS
    ) {
      return current;
    }
    previous = current;
  }
}

function collect(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
