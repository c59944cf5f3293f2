/**
 * What happened in one run, one line per step, for the reproduction of a
 * failure. Recording costs time, so a campaign runs with tracing off and
 * re-runs only a failing scenario with it on; the lines depend only on the
 * scenario, so the same scenario gives the same trace.
 */
export class Trace {
  readonly lines: string[] = [];

  constructor(
    readonly enabled: boolean,
    private readonly now: () => number,
  ) {}

  /** Record `describe()`; the closure is not even called when tracing is off. */
  add(describe: () => string): void {
    if (this.enabled) this.lines.push(`${formatTime(this.now())}  ${describe()}`);
  }
}

/** Virtual time as fixed-width milliseconds with three decimals, e.g. `  1234.500`. */
export function formatTime(virtualMs: number): string {
  return virtualMs.toFixed(3).padStart(10);
}
