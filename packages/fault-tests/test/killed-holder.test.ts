import { describe, expect, it } from 'vitest';
import { adapterNames } from '../src/adapters.js';
import { monotonicNowMs } from '../src/clock.js';
import type { HoldInterval } from '../src/history-checks.js';
import { runScenario, scenarioDefaults } from '../src/scenario.js';
import type { WorkerEvent } from '../src/worker-protocol.js';

const WORKERS = 4;
/**
 * Enough that the others still have sections to run when the holder stalls:
 * turns across processes are not fair (a release wakes a waiter elsewhere
 * only as often as it may win, and the releaser often takes the lock
 * again), and with 10 the three others once finished all theirs before the
 * holder's third section, so nobody was left to take over (CI).
 */
const INCREMENTS = 40;
/** The worker that stalls while holding the lock, and on which of its sections. */
const HOLDER = 'w0';
const STALL_AT_SECTION = 1;
/**
 * After a holder dies, the others must wait for its keys to expire (a TTL
 * after it acquired) and then need a retry delay and a round. Allowed on
 * top of the TTL, counted from the kill: generous, because it only has to
 * tell "when the TTL ran out" from "never" or "much later".
 */
const TAKEOVER_MARGIN_MS = 1_500;
/** A killed holder's keys are gone a TTL after it acquired; margin for the poll. */
const LEFTOVER_MARGIN_MS = 1_000;
/** Bound on waiting for the holder to stall: it only stops a hung run. */
const STALL_DEADLINE_MS = 30_000;

type HoldingEvent = Extract<WorkerEvent, { type: 'holding' }>;

function holdingEvent(events: readonly WorkerEvent[]): HoldingEvent | undefined {
  return events.find((event): event is HoldingEvent => event.type === 'holding');
}

describe.each(adapterNames)('%s: a worker dies while holding the lock', (adapter) => {
  it('lets the others in only after its validity ended, and within a TTL of the SIGKILL', async () => {
    let killedAt = 0;
    let holding: HoldingEvent | undefined;
    const result = await runScenario({
      name: 'holder SIGKILLed while holding',
      adapter,
      proxied: false,
      workerCount: WORKERS,
      increments: INCREMENTS,
      stallAtSection: { [HOLDER]: STALL_AT_SECTION },
      leftoverKeysDeadlineMs: scenarioDefaults.ttlMs + LEFTOVER_MARGIN_MS,
      async faults({ fleet }) {
        const holder = fleet.worker(HOLDER);
        await fleet.waitUntil(
          `${HOLDER} holding`,
          () => holdingEvent(holder.events) !== undefined,
          STALL_DEADLINE_MS,
        );
        holding = holdingEvent(holder.events)!;
        killedAt = monotonicNowMs();
        holder.kill('SIGKILL');
        await holder.exited;
        // It never reports an end: count it as holding until its validity ended.
        const killedHold: HoldInterval = {
          worker: HOLDER,
          label: `${HOLDER}#${STALL_AT_SECTION} (SIGKILLed)`,
          start: holding.monoStart,
          end: holding.monoValidityEnd,
        };
        return [killedHold];
      },
    });

    const { verdict, fleet } = result;
    expect(fleet.worker(HOLDER).exit).toEqual({ code: null, signal: 'SIGKILL' });
    for (const worker of fleet.workers.filter((candidate) => candidate.id !== HOLDER)) {
      expect(worker.exit, worker.describe()).toEqual({ code: 0, signal: null });
    }
    expect(verdict.sectionsChecked).toBe((WORKERS - 1) * INCREMENTS + (STALL_AT_SECTION - 1));
    // Includes the dead holder's interval up to its validity end: nobody got in earlier.
    expect(verdict.overlaps).toEqual([]);
    expect(verdict.validityOverruns).toEqual([]);
    expect(verdict.repeatedReads).toEqual([]);
    expect(verdict.lostIncrements).toBe(0);

    const takeover = Math.min(
      ...fleet.sections.filter((s) => s.monoStart > holding!.monoStart).map((s) => s.monoStart),
    );
    expect(takeover).toBeGreaterThanOrEqual(holding!.monoValidityEnd);
    expect(takeover).toBeLessThan(killedAt + result.ttlMs + TAKEOVER_MARGIN_MS);
    expect(result.leftoverKeys, result.leftoverDetails).toEqual([[], [], [], [], []]);
  });

  it('releases on SIGTERM while holding, so the others get in before its TTL would have run out', async () => {
    let holding: HoldingEvent | undefined;
    const result = await runScenario({
      name: 'holder SIGTERMed while holding',
      adapter,
      proxied: false,
      workerCount: WORKERS,
      increments: INCREMENTS,
      stallAtSection: { [HOLDER]: STALL_AT_SECTION },
      async faults({ fleet }) {
        const holder = fleet.worker(HOLDER);
        await fleet.waitUntil(
          `${HOLDER} holding`,
          () => holdingEvent(holder.events) !== undefined,
          STALL_DEADLINE_MS,
        );
        holding = holdingEvent(holder.events)!;
        holder.kill('SIGTERM');
        await holder.exited;
        const released = holder.events.find((event) => event.type === 'released-on-signal');
        if (released?.type !== 'released-on-signal') throw new Error(holder.describe());
        return [
          {
            worker: HOLDER,
            label: `${HOLDER}#${STALL_AT_SECTION} (SIGTERMed)`,
            start: holding.monoStart,
            end: released.monoReleasing,
          },
        ];
      },
    });

    const { verdict, fleet } = result;
    const holder = fleet.worker(HOLDER);
    expect(holder.exit, holder.describe()).toEqual({ code: 0, signal: null });
    // It held a quorum (3 of 5; the others may have been taken by a rival's
    // failed attempt at that moment), and released every key it held.
    const released = holder.events.find((event) => event.type === 'released-on-signal');
    expect(released).toMatchObject({ type: 'released-on-signal', signal: 'SIGTERM' });
    expect((released as { releasedNodes: number }).releasedNodes).toBeGreaterThanOrEqual(3);
    for (const worker of fleet.workers) {
      expect(worker.exit, worker.describe()).toEqual({ code: 0, signal: null });
    }
    expect(verdict.sectionsChecked).toBe((WORKERS - 1) * INCREMENTS + (STALL_AT_SECTION - 1));
    expect(verdict.overlaps).toEqual([]);
    expect(verdict.validityOverruns).toEqual([]);
    expect(verdict.lostIncrements).toBe(0);
    const takeover = Math.min(
      ...fleet.sections.filter((s) => s.monoStart > holding!.monoStart).map((s) => s.monoStart),
    );
    expect(takeover).toBeLessThan(holding!.monoValidityEnd);
    expect(result.leftoverKeys, result.leftoverDetails).toEqual([[], [], [], [], []]);
  });
});
