import { fileURLToPath } from 'node:url';

/**
 * packages/bench, wherever this module runs from: the launcher passes it to
 * the bundled benchmark, which lives elsewhere (see cli.ts).
 */
export function benchDirectory(): string {
  return process.env.REDLOCK_BENCH_DIR ?? fileURLToPath(new URL('../', import.meta.url));
}
