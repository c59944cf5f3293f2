import type { LockNode } from '@redlock/core';
import type { Redis } from 'ioredis';

/**
 * Counters a multi-process worker installs before it opens a session, so the
 * benchmark can say *why* a lock is slow across processes: how many acquire
 * requests each critical section cost, how the votes of every round split,
 * and how many release notifications reached the process. Nothing is
 * installed in the single-process scenarios, where this module is inert.
 *
 * Two hooks, because the libraries are closed boxes and ours is not:
 * - ours: every `LockNode` is wrapped (one extra promise per node call) and
 *   each `acquire` is attributed to the acquisition and round it belongs to;
 * - the ioredis-based libraries and the floor: every command sent on their
 *   clients is seen, and within one `acquire()` call the commands with the
 *   same name (and script SHA) as that call's first command are its attempts.
 */
export interface AcquisitionRecord {
  /** Per node: acquire requests sent, in round order. */
  readonly sent: number[];
  /** Per round: how many nodes said yes. */
  readonly granted: number[];
  /** Commands that match the first one of the acquisition (the libraries' attempts), all nodes together. */
  attemptCommands: number;
  firstCommand: string | undefined;
}

class Probe {
  current: AcquisitionRecord | undefined;
  readonly records: AcquisitionRecord[] = [];
  releaseNotifications = 0;
  /** When the last release notification arrived, on the clock the worker sets. */
  lastNotificationAt = Number.NEGATIVE_INFINITY;
  clock: () => number = () => performance.now();

  begin(nodeCount: number): AcquisitionRecord {
    const record: AcquisitionRecord = {
      sent: new Array<number>(nodeCount).fill(0),
      granted: [],
      attemptCommands: 0,
      firstCommand: undefined,
    };
    this.current = record;
    this.records.push(record);
    return record;
  }

  end(): void {
    this.current = undefined;
  }
}

let probe: Probe | undefined;

/** Turns the counters on in this process (a multi-process worker). */
export function installProbe(): Probe {
  probe = new Probe();
  return probe;
}

export type { Probe };

/** Ours: wraps a node so that its acquire votes and release notifications are counted. */
export function instrumentNode(node: LockNode, index: number): LockNode {
  const active = probe;
  if (active === undefined) return node;
  /** Counts one acquire request of the current acquisition, and its vote once answered. */
  const counted = async <Reply extends { readonly acquired: boolean }>(
    request: () => Promise<Reply>,
  ): Promise<Reply> => {
    const record = active.current;
    const round = record === undefined ? -1 : record.sent[index]!++;
    const reply = await request();
    if (record !== undefined && reply.acquired) {
      while (record.granted.length <= round) record.granted.push(0);
      record.granted[round]!++;
    }
    return reply;
  };
  const wrapped: LockNode = {
    name: node.name,
    acquire: (keys, value, ttlMs, signal) =>
      counted(() => node.acquire(keys, value, ttlMs, signal)),
    extend: (keys, value, ttlMs, signal) => node.extend(keys, value, ttlMs, signal),
    release: (keys, value, signal) => node.release(keys, value, signal),
  };
  if (node.acquireInLine) {
    wrapped.acquireInLine = (keys, value, ttlMs, place, signal) =>
      counted(() => node.acquireInLine!(keys, value, ttlMs, place, signal));
  }
  if (node.inspect) wrapped.inspect = (keys) => node.inspect!(keys);
  if (node.watch) {
    wrapped.watch = (keys, onRelease) =>
      node.watch!(keys, (releasedValue) => {
        active.releaseNotifications++;
        active.lastNotificationAt = active.clock();
        onRelease(releasedValue);
      });
  }
  if (node.close) wrapped.close = () => node.close!();
  return wrapped;
}

/** The libraries: sees every command sent on `client`. */
export function instrumentIoredisClient(client: Redis): void {
  const active = probe;
  if (active === undefined) return;
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((command, stream) => {
    const record = active.current;
    if (record !== undefined) {
      const { name, args } = command as unknown as { name: string; args: unknown[] };
      const signature = name === 'evalsha' || name === 'eval' ? `${name}:${String(args[0])}` : name;
      record.firstCommand ??= signature;
      // EVAL after a NOSCRIPT is the same attempt's retry of its EVALSHA, not a new attempt.
      if (signature === record.firstCommand) record.attemptCommands++;
    }
    return send(command, stream);
  }) as Redis['sendCommand'];
}
