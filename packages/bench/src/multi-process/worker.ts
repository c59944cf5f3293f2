/**
 * One worker process of the multi-process scenarios: its own clients, its
 * own lock instance, one loop of acquire, hold, release, think. Started by
 * fleet.ts as the benchmark bundle with `REDLOCK_BENCH_ROLE` set (main.ts
 * dispatches here), it opens the contender it is told to, waits for "go",
 * runs, sends what it measured and exits.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LockSession, Release } from '../contender.js';
import { contenders } from '../contenders/index.js';
import { type AcquisitionRecord, installProbe } from '../instrumentation.js';
import { describeError } from '../scenario.js';
import { LOCK_SETTINGS } from '../settings.js';
import type {
  GoMessage,
  OpenMessage,
  ParentMessage,
  WorkerMessage,
  WorkerResult,
} from './worker-protocol.js';

export async function runWorker(): Promise<void> {
  // Disconnected: the parent has the result, or died; either way this process is done.
  process.once('disconnect', () => process.exit(0));
  const probe = installProbe();
  const open = await nextMessage<OpenMessage>('open');
  const contender = contenders.find((candidate) => candidate.id === open.contenderId);
  let session: LockSession;
  try {
    if (contender === undefined) throw new Error(`unknown contender ${open.contenderId}`);
    session = await contender.open(open.servers);
  } catch (error) {
    await send({ type: 'failed', error: describeError(error) });
    process.exit(1);
  }
  await send({ type: 'ready' });
  const go = await nextMessage<GoMessage>('go');
  const result = await measure(session, open, go, probe);
  await send({ type: 'result', result });
  // The parent disconnects once it has every result, and this process exits then (an exit
  // here could reach the parent before the result does). The connections are dropped with
  // the process: an acquisition cut off at the end may still be retrying, and closing
  // politely would wait for it. The parent flushes the servers.
}

async function measure(
  session: LockSession,
  open: OpenMessage,
  go: GoMessage,
  probe: ReturnType<typeof installProbe>,
): Promise<WorkerResult> {
  const base = BigInt(go.baseNs);
  const nowMs = (): number => Number(process.hrtime.bigint() - base) / 1e6;
  probe.clock = nowMs;
  const wakeToHeld: number[] = [];
  const windowStart = go.startMs + go.warmupMs;
  const windowEnd = windowStart + go.windowMs;
  const random = mulberry32(open.seed);
  const sections: number[] = [];
  const waits: number[] = [];
  const counted: AcquisitionRecord[] = [];
  let turns = 0;
  let acquireErrors = 0;
  let releaseErrors = 0;
  let lastError: string | undefined;
  let pendingSince: number | undefined;

  const pickKey = (): number => {
    const draw = random();
    const index = open.cumulativeWeights.findIndex((weight) => draw < weight);
    return index < 0 ? open.keys.length - 1 : index;
  };

  const loop = async (): Promise<void> => {
    while (nowMs() < windowEnd) {
      const key = pickKey();
      const startedAt = nowMs();
      pendingSince = startedAt;
      const record = probe.begin(LOCK_SETTINGS.nodeCount);
      let release: Release;
      try {
        release = await session.acquire([open.keys[key]!]);
      } catch (error) {
        probe.end();
        pendingSince = undefined;
        acquireErrors++;
        lastError = describeError(error);
        await sleep(open.thinkMs);
        continue;
      }
      probe.end();
      pendingSince = undefined;
      const heldAt = nowMs();
      await sleep(open.holdMs);
      // Taken before the release is sent, so the interval lies inside the time we held the lock.
      sections.push(key, heldAt, nowMs());
      if (heldAt >= windowStart) {
        waits.push(heldAt - startedAt);
        // Ours: from the last release notification this process received to holding.
        if (probe.lastNotificationAt > startedAt)
          wakeToHeld.push(heldAt - probe.lastNotificationAt);
        counted.push(record);
        if (heldAt <= windowEnd) turns++;
      }
      try {
        await release();
      } catch (error) {
        releaseErrors++;
        lastError = describeError(error);
      }
      await sleep(open.thinkMs);
    }
  };

  const untilStart = go.startMs - nowMs();
  if (untilStart > 0) await sleep(untilStart);
  const cutOff = new AbortController();
  await Promise.race([
    loop(),
    sleep(Math.max(0, windowEnd + go.graceMs - nowMs()), undefined, { signal: cutOff.signal }),
  ]).catch(() => undefined);
  cutOff.abort();
  const unfinishedWaits = pendingSince === undefined ? [] : [nowMs() - pendingSince];
  return {
    sections,
    waits,
    unfinishedWaits,
    turns,
    ...countAttempts(counted),
    releaseNotifications: probe.releaseNotifications,
    wakeToHeld,
    acquireErrors,
    releaseErrors,
    ...(lastError === undefined ? {} : { lastError }),
  };
}

/** Attempts per acquisition: ours from the wrapped nodes, the libraries from their commands. */
function countAttempts(
  records: readonly AcquisitionRecord[],
): Pick<WorkerResult, 'attempts' | 'attemptsCounted' | 'failedRoundsByVotes' | 'votesCounted'> {
  let votesCounted = false;
  let attempts = 0;
  let attemptsCounted = 0;
  const failedRoundsByVotes = new Array<number>(LOCK_SETTINGS.nodeCount + 1).fill(0);
  for (const record of records) {
    const rounds = Math.max(...record.sent);
    if (rounds > 0) {
      votesCounted = true;
      attempts += rounds;
      attemptsCounted++;
      // Every round but the last failed (the last one won the lock).
      for (let round = 0; round < rounds - 1; round++) {
        failedRoundsByVotes[record.granted[round] ?? 0]!++;
      }
    } else if (record.attemptCommands > 0) {
      attempts += record.attemptCommands / LOCK_SETTINGS.nodeCount;
      attemptsCounted++;
    }
  }
  return { attempts, attemptsCounted, failedRoundsByVotes, votesCounted };
}

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function nextMessage<T extends ParentMessage>(type: T['type']): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: ParentMessage): void => {
      if (message.type !== type) return;
      process.off('message', onMessage);
      resolve(message as T);
    };
    process.on('message', onMessage);
  });
}

/** A small seeded PRNG, so each worker's key choices are reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
