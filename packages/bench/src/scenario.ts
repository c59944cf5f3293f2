import type { RedisServer } from '@redlock/test-utils';
import type { Contender, ContenderKind, LockSession } from './contender.js';
import type { RunPlan } from './settings.js';

export const SCENARIO_IDS = [
  'uncontended',
  'contended',
  'multi-resource',
  'degraded',
  'core-overhead',
  'diagnostics-overhead',
  'memory',
  'many-keys',
  'multi-process-2',
  'multi-process-6',
  'multi-process-12',
  'multi-process-mixed',
] as const;

export type ScenarioId = (typeof SCENARIO_IDS)[number];

/** `n/a`: the implementation cannot do what the scenario asks (e.g. multi-key locks). */
export type RowStatus = 'ok' | 'timed out' | 'n/a' | 'error';

/** One implementation's result in one scenario. */
export interface ScenarioRow {
  readonly contender: string;
  readonly label: string;
  readonly kind: ContenderKind;
  readonly status: RowStatus;
  /** Why it is not `ok`, or anything else worth a footnote. */
  readonly note?: string;
  /** By {@link MetricColumn.key}; absent when not measured. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** How a metric is shown, and which direction is better (for ratios). */
export interface MetricColumn {
  readonly key: string;
  readonly header: string;
  readonly digits: number;
  readonly better?: 'higher' | 'lower';
}

export interface ScenarioResult {
  readonly id: ScenarioId;
  readonly title: string;
  /** What was measured, in one or two sentences, with the scenario's parameters. */
  readonly description: string;
  readonly columns: readonly MetricColumn[];
  readonly rows: readonly ScenarioRow[];
}

/** What every scenario gets. */
export interface BenchContext {
  readonly servers: readonly RedisServer[];
  readonly contenders: readonly Contender[];
  readonly plan: RunPlan;
  /** Progress line on stderr. */
  readonly log: (message: string) => void;
}

export function rowFor(
  contender: Contender,
  status: RowStatus,
  metrics: Record<string, number>,
  note?: string,
): ScenarioRow {
  return {
    contender: contender.id,
    label: contender.label,
    kind: contender.kind,
    status,
    metrics,
    ...(note === undefined ? {} : { note }),
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Sessions of several contenders, opened before any timing; failures become `error` rows. */
export interface OpenedSessions {
  readonly sessions: Map<Contender, LockSession>;
  readonly failures: Map<Contender, string>;
  close(): Promise<void>;
}

export async function openSessions(
  contenders: readonly Contender[],
  servers: readonly RedisServer[],
): Promise<OpenedSessions> {
  const sessions = new Map<Contender, LockSession>();
  const failures = new Map<Contender, string>();
  for (const contender of contenders) {
    try {
      sessions.set(contender, await contender.open(servers));
    } catch (error) {
      failures.set(contender, `could not connect: ${describeError(error)}`);
    }
  }
  return {
    sessions,
    failures,
    async close() {
      await Promise.allSettled([...sessions.values()].map((session) => session.close()));
    },
  };
}

/** Empties every server between scenarios, so no key of one run meets the next. */
export async function flushServers(servers: readonly RedisServer[]): Promise<void> {
  await Promise.all(servers.map((server) => server.command('FLUSHALL')));
}

/**
 * Waits until the servers stop processing commands (two readings of
 * `total_commands_processed` 100 ms apart differ only by our own INFO): after
 * a paused server resumes, it works through every command queued meanwhile,
 * which must not eat into the next implementation's time.
 */
export async function waitUntilServersIdle(servers: readonly RedisServer[]): Promise<void> {
  const processed = () =>
    Promise.all(
      servers.map(async (server) => {
        const stats = await server.command('INFO', 'stats');
        return Number(/total_commands_processed:(\d+)/.exec(stats)?.[1] ?? 0);
      }),
    );
  const deadline = performance.now() + 10_000;
  let before = await processed();
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await processed();
    if (after.every((count, index) => count - before[index]! <= 2)) return;
    before = after;
  }
}

/** Contenders in a different order each round, so none is always measured right after the same one. */
export function rotate<T>(items: readonly T[], round: number): T[] {
  const shift = round % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}
