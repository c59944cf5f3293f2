/** Collects durations (ms) without allocating per sample; percentiles by nearest rank. */
export class LatencyRecorder {
  #samples = new Float64Array(4096);
  #count = 0;

  record(durationMs: number): void {
    if (this.#count === this.#samples.length) {
      const grown = new Float64Array(this.#samples.length * 2);
      grown.set(this.#samples);
      this.#samples = grown;
    }
    this.#samples[this.#count++] = durationMs;
  }

  get count(): number {
    return this.#count;
  }

  /** The `p`-th percentile (0 < p <= 100) in ms; NaN without samples. */
  percentile(p: number): number {
    if (this.#count === 0) return Number.NaN;
    const sorted = this.#samples.slice(0, this.#count).sort();
    const rank = Math.ceil((p / 100) * this.#count);
    return sorted[Math.min(this.#count, Math.max(1, rank)) - 1]!;
  }
}
