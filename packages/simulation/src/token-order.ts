/**
 * The fencing invariant: for two acquisitions of overlapping resources, if
 * the second started after the first resolved (in real, virtual time), the
 * second's token is strictly larger. Acquisitions are added as they
 * resolve, so per resource the resolution times only grow.
 */
export class TokenOrder {
  /** Per resource: resolution times and the running maximum of tokens. */
  readonly #byResource = new Map<string, { resolvedAt: number[]; maxToken: bigint[] }>();
  /** Pairs of acquisitions whose order was checked (counted per earlier one). */
  checks = 0;

  /**
   * Add an acquisition of `resources` that started at `startedAtMs` and
   * resolved at `resolvedAtMs` with `token`; returns what is wrong, if anything.
   */
  add(
    resources: readonly string[],
    startedAtMs: number,
    resolvedAtMs: number,
    token: bigint,
  ): string | undefined {
    let problem: string | undefined;
    for (const resource of resources) {
      const history = this.#byResource.get(resource) ?? { resolvedAt: [], maxToken: [] };
      this.#byResource.set(resource, history);
      // The last acquisition that resolved strictly before this one started.
      const before = lastIndexBefore(history.resolvedAt, startedAtMs);
      if (before >= 0) {
        this.checks += before + 1;
        const newest = history.maxToken[before]!;
        if (token <= newest && problem === undefined) {
          problem = `token ${token} for "${resource}" is not larger than ${newest}, taken by an acquisition that resolved before this one started (at ${startedAtMs.toFixed(3)})`;
        }
      }
      const previousMax = history.maxToken.at(-1) ?? -1n;
      history.resolvedAt.push(resolvedAtMs);
      history.maxToken.push(token > previousMax ? token : previousMax);
    }
    return problem;
  }
}

/** The last index whose value is < `bound`, in an ascending array; -1 if none. */
function lastIndexBefore(sorted: readonly number[], bound: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < bound) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
