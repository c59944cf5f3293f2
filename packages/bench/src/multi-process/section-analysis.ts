/** One critical section as a worker recorded it, on the clock all workers share. */
export interface Section {
  readonly worker: number;
  readonly key: number;
  readonly fromMs: number;
  readonly toMs: number;
}

/** Unpacks the workers' flat `[key, from, to]` triples. */
export function sectionsOf(flat: readonly (readonly number[])[]): Section[] {
  const sections: Section[] = [];
  flat.forEach((triples, worker) => {
    for (let index = 0; index + 2 < triples.length; index += 3) {
      sections.push({
        worker,
        key: triples[index]!,
        fromMs: triples[index + 1]!,
        toMs: triples[index + 2]!,
      });
    }
  });
  return sections;
}

/**
 * Pairs of sections on the same key that overlap in time, counted across
 * every process: each section's interval lies inside the time its process
 * held the lock (taken after acquire resolved, before release was sent), so
 * any overlap is two holders at once. Touching ends do not count.
 */
export function countOverlaps(sections: readonly Section[]): number {
  let overlaps = 0;
  for (const keyed of byKey(sections).values()) {
    let latestEnd = Number.NEGATIVE_INFINITY;
    for (const section of keyed) {
      if (section.fromMs < latestEnd) overlaps++;
      latestEnd = Math.max(latestEnd, section.toMs);
    }
  }
  return overlaps;
}

/**
 * Time the key stood free between one holder's release and the next
 * holder's start, for every hand-over that begins in [fromMs, toMs]. On a
 * hot key someone is always waiting, so a long gap is time lost by the lock
 * protocol (split votes, wake-ups that never come), not by the workload.
 */
export function handoverGaps(
  sections: readonly Section[],
  key: number,
  fromMs: number,
  toMs: number,
): number[] {
  const keyed = byKey(sections).get(key) ?? [];
  const gaps: number[] = [];
  for (let index = 1; index < keyed.length; index++) {
    const previous = keyed[index - 1]!;
    if (previous.toMs < fromMs || previous.toMs > toMs) continue;
    gaps.push(Math.max(0, keyed[index]!.fromMs - previous.toMs));
  }
  return gaps;
}

function byKey(sections: readonly Section[]): Map<number, Section[]> {
  const keyed = new Map<number, Section[]>();
  for (const section of sections) {
    let list = keyed.get(section.key);
    if (list === undefined) {
      list = [];
      keyed.set(section.key, list);
    }
    list.push(section);
  }
  for (const list of keyed.values()) list.sort((a, b) => a.fromMs - b.fromMs);
  return keyed;
}
