import { HerdEstimate } from './herd.js';
import type { LockNode } from './lock-node.js';
import type { RedlockRuntime } from './runtime.js';

/**
 * Waiters of one Redlock instance for one set of resources, in arrival
 * order. Instead of every waiter polling, the line listens for releases
 * (through `LockNode.watch`, and directly when a lock of this instance is
 * released) and wakes only the waiter at its head: a release costs one
 * acquisition attempt from this process, however many tasks wait, and
 * turns go round in arrival order. Waiters still keep their own timer
 * (bounded by the holder's TTL), so a lost notification costs latency,
 * never liveness; and waking is only a hint, the attempt decides.
 */
export class WaitLine {
  /** Bumped on every release seen; an attempt that started before a bump retries at once. */
  sequence = 0;
  /** Releases by other processes heard (on enough nodes). */
  heard = 0;
  private readonly waiters: Waiter[] = [];
  private members = 0;
  private closed = false;
  private readonly unsubscribes: (() => Promise<void>)[] = [];
  // Made on first use: most lines (one per acquisition) never see a release.
  private votesByValue: Map<string, Set<number>> | undefined;
  private finished: Set<string> | undefined;
  /** Started by the first wait: a line whose members never wait costs no subscription. */
  private listening: Promise<void> | undefined;
  /** While empty but still subscribed: the timer that closes it (see `leave`). */
  private lingering: unknown;

  constructor(
    private readonly keys: readonly string[],
    private readonly nodes: readonly LockNode[],
    private readonly wakeThreshold: number,
    private readonly nodeTimeoutMs: number,
    private readonly runtime: RedlockRuntime,
    private readonly onEmpty: (line: WaitLine) => void,
    /** Shared by the instance's lines; undefined in a waiting line, where every release counts. */
    readonly herd: HerdEstimate | undefined,
    /** The instance's lines that linger (no member, still subscribed), at most {@link MAX_LINGERING_LINES}. */
    private readonly lingeringLines: Set<WaitLine>,
  ) {}

  /** value -> indexes of nodes that reported its release. */
  private get releaseVotes(): Map<string, Set<number>> {
    this.votesByValue ??= new Map();
    return this.votesByValue;
  }

  /** Values whose release was already counted. */
  private get finishedValues(): Set<string> {
    this.finished ??= new Set();
    return this.finished;
  }

  /** Resolves once every node that can watch listens (or gave up trying); never rejects. */
  get ready(): Promise<void> {
    this.listening ??= this.subscribe();
    return this.listening;
  }

  join(): void {
    if (this.lingering !== undefined) {
      this.runtime.clearTimer(this.lingering);
      this.lingering = undefined;
      this.lingeringLines.delete(this);
    }
    this.members++;
  }

  /** How many members are queued now (not counting those attempting). */
  get waiting(): number {
    return this.waiters.length;
  }

  leave(): void {
    this.members--;
    if (this.members > 0) return;
    // Bounded: a process that contends for many resources in turn must not
    // keep a subscription to each of them.
    if (this.listening === undefined || this.lingeringLines.size >= MAX_LINGERING_LINES) {
      this.close();
      return;
    }
    // Keep listening a while: a process that takes the lock again soon (a
    // worker loop) would otherwise subscribe again, and a release sent
    // before that SUBSCRIBE is answered would go unheard. In a waiting line
    // that unheard release is one its count of releases to sleep through
    // still expects, so it would sleep through its own turn.
    const timer = this.runtime.setTimer(() => {
      if (this.lingering === timer) this.close();
    }, LINE_LINGER_MS);
    // Never the reason a process stays alive.
    (timer as { unref?: () => void } | null)?.unref?.();
    this.lingering = timer;
    this.lingeringLines.add(this);
  }

  /** Closes it now if it has no member (it lingers), e.g. because its Redlock is closed. */
  closeIfIdle(): void {
    if (this.members === 0 && !this.closed) {
      this.runtime.clearTimer(this.lingering);
      this.close();
    }
  }

  private close(): void {
    this.lingering = undefined;
    this.lingeringLines.delete(this);
    this.closed = true;
    this.onEmpty(this);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribeQuietly(unsubscribe);
  }

  /**
   * Wait for a turn: resolves when this waiter is at the head and a release
   * is seen, or after `delayMs`; rejects with the signal's reason on abort.
   * Returns at once if a release was seen since `sequenceBefore`. The delay
   * runs from the call, not from when listening started (subscribing may
   * take up to the node timeout, which must not stretch `waitTimeoutMs`);
   * a release of this process wakes the waiter even before that.
   * `skipReleases`: releases to sleep through (waiting-line places ahead of
   * ours, `AheadCount`); the timer still ends the wait, and each release
   * slept through brings it forward to at most `afterSkipMs` from then.
   * The count ahead is an estimate (a place that was just granted may still
   * be counted): if the waiter ahead did not take the lock, no release will
   * come to wake anyone behind it, and the line would stand still until
   * this waiter's refresh.
   */
  wait(
    ticket: number,
    delayMs: number,
    sequenceBefore: number,
    signal: AbortSignal | undefined,
    skipReleases = 0,
    heardSince = this.heard,
    afterSkipMs = delayMs,
  ): Promise<WaitEnd> {
    // Releases seen since the attempt began count toward those to sleep through.
    const missed = this.sequence - sequenceBefore;
    if (missed > skipReleases || delayMs <= 0) return Promise.resolve('now');
    if (signal?.aborted) return Promise.reject(signal.reason);
    void this.ready;
    return new Promise<WaitEnd>((resolve, reject) => {
      const runtime = this.runtime;
      const timerEnds = runtime.now() + delayMs;
      const waiter: Waiter = {
        ticket,
        skip: skipReleases - missed,
        heardSince,
        wake: (how) => finish(() => resolve(how)),
        skipped: () => {
          const leftMs = Math.min(timerEnds - runtime.now(), afterSkipMs);
          runtime.clearTimer(timer);
          timer = runtime.setTimer(onTimer, Math.max(0, leftMs));
        },
      };
      const finish = (settle: () => void): void => {
        runtime.clearTimer(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        settle();
      };
      const onAbort = (): void => finish(() => reject(signal?.reason));
      const onTimer = (): void => finish(() => resolve('timer'));
      let timer = runtime.setTimer(onTimer, delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.enqueue(waiter);
    });
  }

  /** A lock with `value` on these resources was released (locally, or on enough nodes). */
  released(value: string | undefined): void {
    if (value !== undefined) {
      // A local release is usually also seen through watch (often first): one
      // release must wake one waiter, not one per path.
      if (this.finishedValues.has(value)) return;
      this.remember(value);
    }
    this.wakeNext('local');
  }

  /**
   * Another process (or instance) released a lock on these resources, seen
   * on enough nodes. Every waiter of every process heard it too: wake ours
   * only as often as the herd estimate says it may win (see
   * {@link HerdEstimate}). In a waiting line (places on the nodes) the
   * nodes already pick the next holder, so every release counts there.
   */
  private releasedElsewhere(value: string | undefined): void {
    if (value !== undefined) this.remember(value);
    this.heard++;
    if (this.herd !== undefined) {
      // Nobody queued: the member attempting now retries at once (sequence)
      // only as often as a waiter would wake.
      const passed = this.waiters[0] ? this.heard - this.waiters[0].heardSince : 1;
      if (!this.herd.wakes(passed, this.runtime.random())) return;
    }
    this.wakeNext('elsewhere');
  }

  private wakeNext(how: WaitEnd): void {
    this.sequence++;
    // Every waiter sees the release: those with waiting-line places ahead
    // count it toward the releases they sleep through, wherever they stand
    // in this line; the first one whose turn it may be wakes (and leaves).
    let next: Waiter | undefined;
    for (const waiter of this.waiters) {
      if (waiter.skip > 0) {
        waiter.skip--;
        waiter.skipped();
      } else next ??= waiter;
    }
    next?.wake(how);
  }

  private enqueue(waiter: Waiter): void {
    // Keep arrival order: a waiter that lost a race goes back to its place.
    let index = this.waiters.length;
    while (index > 0 && this.waiters[index - 1]!.ticket > waiter.ticket) index--;
    this.waiters.splice(index, 0, waiter);
  }

  private onNodeRelease(nodeIndex: number, value: string | undefined): void {
    if (this.closed) return;
    if (value === undefined) {
      this.releasedElsewhere(undefined);
      return;
    }
    if (this.finishedValues.has(value)) return;
    let votes = this.releaseVotes.get(value);
    if (votes === undefined) {
      votes = new Set();
      this.releaseVotes.set(value, votes);
      if (this.releaseVotes.size > MAX_TRACKED_VALUES) {
        this.releaseVotes.delete(this.releaseVotes.keys().next().value as string);
      }
    }
    votes.add(nodeIndex);
    if (votes.size >= this.wakeThreshold) this.releasedElsewhere(value);
  }

  private remember(value: string): void {
    this.releaseVotes.delete(value);
    this.finishedValues.add(value);
    if (this.finishedValues.size > MAX_TRACKED_VALUES) {
      this.finishedValues.delete(this.finishedValues.values().next().value as string);
    }
  }

  /** Listen on every node that can; a node that cannot answer in time is left out. */
  private async subscribe(): Promise<void> {
    const watches = this.nodes.map((node, index) =>
      node.watch ? this.watchWithTimeout(node, index) : Promise.resolve(),
    );
    // A remote release before listening started goes unseen and costs latency (the
    // waiter's own timer), not an immediate extra attempt: that would spend a retry
    // of every contended acquisition and ignore retryDelay.
    await Promise.all(watches);
  }

  private watchWithTimeout(node: LockNode, index: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let settled = false;
      const timer = this.runtime.setTimer(() => {
        settled = true;
        resolve();
      }, this.nodeTimeoutMs);
      let watching: Promise<() => Promise<void>>;
      try {
        watching = node.watch!(this.keys, (value) => this.onNodeRelease(index, value));
      } catch (error) {
        watching = Promise.reject(error);
      }
      watching.then(
        (unsubscribe) => {
          // A subscription that arrives late, or after the line closed, is undone at once.
          if (settled || this.closed) unsubscribeQuietly(unsubscribe);
          else this.unsubscribes.push(unsubscribe);
          if (!settled) {
            settled = true;
            this.runtime.clearTimer(timer);
            resolve();
          }
        },
        () => {
          if (!settled) {
            settled = true;
            this.runtime.clearTimer(timer);
            resolve();
          }
        },
      );
    });
  }
}

interface Waiter {
  readonly ticket: number;
  /** Releases it still sleeps through (waiting-line places ahead of it). */
  skip: number;
  /** `heard` when its acquisition began: releases elsewhere it has waited through. */
  readonly heardSince: number;
  readonly wake: (how: WaitEnd) => void;
  /** It slept through a release: its turn may be next, whatever the count said. */
  readonly skipped: () => void;
}

/** How a wait ended: at once, by its timer, by a release of this instance, or by one elsewhere. */
export type WaitEnd = 'now' | 'timer' | 'local' | 'elsewhere';

const MAX_TRACKED_VALUES = 64;

/** How long an emptied line that listens stays subscribed, in case its resources are wanted again. */
export const LINE_LINGER_MS = 2_000;

/** How many emptied lines of one Redlock instance may linger at once; the others close at once. */
export const MAX_LINGERING_LINES = 64;

function ignore(): void {}

/**
 * Stop a watch whatever the adapter handed back: `watch` resolves with an
 * unsubscribe function, but a broken one may give something else, or one that
 * throws. That must not fail (and leak) an acquisition that already succeeded,
 * nor surface as an unhandled rejection.
 */
function unsubscribeQuietly(unsubscribe: unknown): void {
  if (typeof unsubscribe !== 'function') return;
  try {
    Promise.resolve(unsubscribe()).catch(ignore);
  } catch {
    // Nothing to do: the subscription is abandoned either way.
  }
}

/** The lines of one Redlock instance, by resource set. */
export class WaitLines {
  private readonly lines = new Map<string, WaitLine>();
  /** Its lines that have no member but still listen (see `WaitLine.leave`). */
  private readonly lingeringLines = new Set<WaitLine>();
  /** One estimate for the instance: the herd is the same processes whatever the resource. */
  private readonly herd: HerdEstimate | undefined;
  /** Computed once: every acquisition makes a line (it joins before its first attempt). */
  private readonly wakeThreshold: number;

  constructor(
    private readonly nodes: readonly LockNode[],
    quorum: number,
    private readonly nodeTimeoutMs: number,
    private readonly runtime: RedlockRuntime,
    waitingLine = false,
  ) {
    this.herd = waitingLine ? undefined : new HerdEstimate();
    const watchable = nodes.filter((node) => node.watch).length;
    this.wakeThreshold = Math.max(1, Math.min(quorum, watchable));
  }

  /** How many of this instance's acquisitions are queued for `lineKey`. */
  waiting(lineKey: string): number {
    return this.lines.get(lineKey)?.waiting ?? 0;
  }

  /**
   * Join the line of `lineKey`, created on first use. An acquisition joins
   * before its first attempt, so a release of this process during that
   * attempt is not lost; the line subscribes to the nodes only once a
   * member actually waits.
   */
  join(lineKey: string, keys: readonly string[]): WaitLine {
    let line = this.lines.get(lineKey);
    if (line === undefined) {
      line = new WaitLine(
        keys,
        this.nodes,
        this.wakeThreshold,
        this.nodeTimeoutMs,
        this.runtime,
        (empty) => {
          if (this.lines.get(lineKey) === empty) this.lines.delete(lineKey);
        },
        this.herd,
        this.lingeringLines,
      );
      this.lines.set(lineKey, line);
    }
    line.join();
    return line;
  }

  /** Closes the lines that have no member left and only linger (see `WaitLine.leave`). */
  closeIdle(): void {
    for (const line of [...this.lingeringLines]) line.closeIfIdle();
  }

  /** A lock of this instance was released: wake the next local waiter at once. */
  released(keys: readonly string[], value: string): void {
    if (this.lines.size === 0) return;
    this.lines.get(lineKeyOf(keys))?.released(value);
  }
}

/**
 * Identifies a resource set regardless of order. Always encoded, so a single
 * resource named like an encoded list (`["a","b"]`) is not that list.
 */
export function lineKeyOf(keys: readonly string[]): string {
  // One key: the same string, without the copy and the sort.
  return JSON.stringify(keys.length === 1 ? keys : [...keys].sort());
}
