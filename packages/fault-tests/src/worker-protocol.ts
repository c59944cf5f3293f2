/**
 * What the test and a worker process say to each other: the worker's
 * configuration (one JSON argument) and the events it prints, one JSON
 * object per line on stdout.
 */
import { type AdapterName, isAdapterName } from './adapters.js';

/** Everything a worker needs; passed as its single command-line argument. */
export interface WorkerConfig {
  /** Shown in every event, e.g. `"w2"`. */
  readonly workerId: string;
  readonly adapter: AdapterName;
  /** The lock servers (directly, or the fault proxies in front of them). */
  readonly lockUrls: readonly string[];
  /** The server holding the shared counter; never faulted, never behind a proxy. */
  readonly dataUrl: string;
  readonly resource: string;
  readonly counterKey: string;
  readonly ttlMs: number;
  /** Critical sections to complete before exiting. */
  readonly increments: number;
  /** Redlock's per-node timeout: small, so faulty nodes cost little. */
  readonly nodeTimeoutMs: number;
  readonly retryDelayMs: number;
  readonly retryJitterMs: number;
  /** One acquisition gives up after this long (then the worker reports it and tries again). */
  readonly waitTimeoutMs: number;
  /** Pause between reading and writing the counter, so a second holder would lose an update. */
  readonly workMs: number;
  /**
   * After announcing `ready`, wait for a line on stdin before the first
   * acquisition, so that every worker starts contending at once (process
   * start-up alone takes hundreds of ms and varies).
   */
  readonly startGate?: boolean;
  /**
   * After every this many sections (and before the last), release the lock,
   * announce `barrier` and wait for a line on stdin before going on. The
   * test uses it to inject each fault while every worker is busy, and to
   * give each fault phase the same number of sections however fast the
   * machine is.
   */
  readonly barrierEvery?: number;
  /**
   * On this critical section (1-based), announce `holding` and keep the lock
   * without working, until SIGTERM (release, exit 0) or SIGKILL.
   */
  readonly stallAtSection?: number;
}

/** One completed critical section, as timed by the worker. */
export interface SectionRecord {
  readonly type: 'section';
  readonly worker: string;
  /** 1-based index of this worker's section. */
  readonly index: number;
  /** Epoch ms when acquire resolved. */
  readonly start: number;
  /** Epoch ms after the counter was written, before release. */
  readonly end: number;
  /** `lock.expiration`: epoch ms at which the lock's validity ends. */
  readonly validityEnd: number;
  /** The same instants on the machine-wide monotonic clock (see `monotonicNowMs`). */
  readonly monoStart: number;
  readonly monoEnd: number;
  readonly monoValidityEnd: number;
  /** The counter value this section read (and wrote plus one). */
  readonly counterRead: number;
  /** The lock's value, to tell whose key a leftover is. */
  readonly value: string;
}

export type WorkerEvent =
  | { readonly type: 'ready'; readonly worker: string; readonly pid: number }
  | SectionRecord
  | { readonly type: 'barrier'; readonly worker: string; readonly index: number }
  | {
      readonly type: 'holding';
      readonly worker: string;
      readonly index: number;
      readonly monoStart: number;
      readonly monoValidityEnd: number;
      readonly validityEnd: number;
    }
  | {
      readonly type: 'released-on-signal';
      readonly worker: string;
      readonly signal: string;
      /** When release started: the last instant this worker may have relied on the lock. */
      readonly monoReleasing: number;
      readonly releasedNodes: number;
    }
  | {
      readonly type: 'acquire-failed';
      readonly worker: string;
      readonly code: string;
      readonly message: string;
    }
  | {
      readonly type: 'done';
      readonly worker: string;
      readonly sections: number;
      readonly acquireFailures: number;
    }
  | { readonly type: 'fatal'; readonly worker: string; readonly message: string };

/** Parses and checks a worker's configuration, naming the first bad field. */
export function parseWorkerConfig(json: string | undefined): WorkerConfig {
  if (json === undefined) throw new Error('usage: worker.ts <config JSON>');
  const config = JSON.parse(json) as Partial<WorkerConfig>;
  const need = (ok: boolean, field: keyof WorkerConfig) => {
    if (!ok) throw new Error(`worker config: bad or missing "${field}" in ${json.slice(0, 200)}`);
  };
  const positive = (value: unknown) => typeof value === 'number' && value > 0;
  need(typeof config.workerId === 'string', 'workerId');
  need(isAdapterName(config.adapter), 'adapter');
  need(Array.isArray(config.lockUrls) && config.lockUrls.length > 0, 'lockUrls');
  need(typeof config.dataUrl === 'string', 'dataUrl');
  need(typeof config.resource === 'string', 'resource');
  need(typeof config.counterKey === 'string', 'counterKey');
  need(positive(config.ttlMs), 'ttlMs');
  need(positive(config.increments), 'increments');
  need(positive(config.nodeTimeoutMs), 'nodeTimeoutMs');
  need(typeof config.retryDelayMs === 'number', 'retryDelayMs');
  need(typeof config.retryJitterMs === 'number', 'retryJitterMs');
  need(positive(config.waitTimeoutMs), 'waitTimeoutMs');
  need(typeof config.workMs === 'number', 'workMs');
  need(config.barrierEvery === undefined || positive(config.barrierEvery), 'barrierEvery');
  need(config.stallAtSection === undefined || positive(config.stallAtSection), 'stallAtSection');
  return config as WorkerConfig;
}
