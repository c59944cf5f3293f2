/**
 * Who an event belongs to. Events of a client are held back while that
 * client is paused (a stopped process runs no timers and reads no sockets)
 * and dropped once it has crashed; `world` events (messages on the wire,
 * servers, faults) always run.
 */
export type EventOwner = number | 'world';

/** One scheduled callback on virtual time; also the handle `clearTimer` takes. */
export interface ScheduledEvent {
  /** Virtual ms at which it runs (later if it is held back and re-queued). */
  dueAt: number;
  /** Insertion order: breaks ties between events due at the same instant, deterministically. */
  sequence: number;
  readonly owner: EventOwner;
  readonly label: string;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A discrete-event scheduler: one priority queue of timers on virtual time,
 * ordered by due time and then by insertion. Nothing here waits for real
 * time; {@link next} jumps the clock to the next event.
 */
export class Scheduler {
  /** Virtual milliseconds since the start of the run. */
  now = 0;
  #sequence = 0;
  readonly #heap: ScheduledEvent[] = [];

  /** Run `callback` `delayMs` virtual ms from now (negative delays count as 0). */
  schedule(
    delayMs: number,
    owner: EventOwner,
    label: string,
    callback: () => void,
  ): ScheduledEvent {
    return this.scheduleAt(this.now + Math.max(0, delayMs), owner, label, callback);
  }

  scheduleAt(
    dueAt: number,
    owner: EventOwner,
    label: string,
    callback: () => void,
  ): ScheduledEvent {
    const event: ScheduledEvent = {
      dueAt: Math.max(dueAt, this.now),
      sequence: this.#sequence++,
      owner,
      label,
      callback,
      cancelled: false,
    };
    this.#push(event);
    return event;
  }

  /**
   * Put a held-back event (one taken by {@link next} and not run) back in
   * the queue at `dueAt`, behind everything already due then. The same
   * object is re-queued, so the handle a client holds still cancels it.
   */
  requeue(event: ScheduledEvent, dueAt: number): void {
    event.dueAt = Math.max(dueAt, this.now);
    event.sequence = this.#sequence++;
    this.#push(event);
  }

  /** Take the next live event and advance the clock to it; `undefined` when none is left. */
  next(): ScheduledEvent | undefined {
    for (;;) {
      const event = this.#pop();
      if (event === undefined) return undefined;
      if (event.cancelled) continue;
      this.now = event.dueAt;
      return event;
    }
  }

  /** Events still queued, cancelled ones included. */
  get size(): number {
    return this.#heap.length;
  }

  #push(event: ScheduledEvent): void {
    const heap = this.#heap;
    heap.push(event);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(heap[index]!, heap[parent]!)) break;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #pop(): ScheduledEvent | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === index) return top;
      [heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
      index = smallest;
    }
  }
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.sequence < b.sequence);
}
