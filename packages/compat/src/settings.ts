/**
 * node-redlock's settings, with its names and defaults. `nodeTimeoutMs` is
 * ours: node-redlock has no per-node bound, which is why a paused server
 * stalls it.
 */
export interface Settings {
  /** Expected clock drift as a fraction of the duration. Default `0.01`. */
  readonly driftFactor: number;
  /** Retries after the first attempt; `-1` retries until acquired. Default `10`. */
  readonly retryCount: number;
  /** Wait between attempts in ms. Default `200`. */
  readonly retryDelay: number;
  /** Up to this many ms of random change to each wait. Default `100`. */
  readonly retryJitter: number;
  /** `using` extends the lock when less than this many ms remain. Default `500`. */
  readonly automaticExtensionThreshold: number;
}

/** Settings `@redlock/compat` adds to node-redlock's; optional in the constructor. */
export interface CompatSettings extends Settings {
  /**
   * Per-server bound on each request in ms: a server that has not answered by
   * then counts as a vote against, so a paused or black-holed server never
   * stalls an acquisition. Raise it if a round trip to your Redis servers
   * takes more than a fraction of it. Default `100` (as `@redlock/core`).
   */
  readonly nodeTimeoutMs: number;
}

export const defaultSettings: Readonly<CompatSettings> = Object.freeze({
  driftFactor: 0.01,
  retryCount: 10,
  retryDelay: 200,
  retryJitter: 100,
  automaticExtensionThreshold: 500,
  nodeTimeoutMs: 100,
});

const settingNames = [
  'driftFactor',
  'retryCount',
  'retryDelay',
  'retryJitter',
  'automaticExtensionThreshold',
  'nodeTimeoutMs',
] as const;

/**
 * As node-redlock does: a setting that is not a number falls back to the
 * base (so `undefined` and a missing key mean "default"). Ranges are checked
 * by `@redlock/core` before any server is touched.
 */
export function mergeSettings(
  base: Readonly<CompatSettings>,
  overrides: Partial<CompatSettings> | undefined,
): CompatSettings {
  if (overrides === undefined || overrides === null) return base;
  const merged: Record<string, number> = { ...base };
  for (const name of settingNames) {
    const value = overrides[name];
    if (typeof value === 'number') merged[name] = value;
  }
  return merged as unknown as CompatSettings;
}
