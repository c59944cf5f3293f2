/**
 * Safety checks over what the workers recorded. Pure functions, so they
 * are unit-tested on their own: a checker that cannot see a violation
 * would make every scenario pass.
 */
import type { SectionRecord } from './worker-protocol.js';

/** A span during which `worker` relied on holding the lock (monotonic ms, shared by all processes). */
export interface HoldInterval {
  readonly worker: string;
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** Two holders whose intervals intersect. */
export interface Overlap {
  readonly first: HoldInterval;
  readonly second: HoldInterval;
  /** How long both held it, in ms. */
  readonly overlapMs: number;
}

export function sectionInterval(section: SectionRecord): HoldInterval {
  return {
    worker: section.worker,
    label: `${section.worker}#${section.index}`,
    start: section.monoStart,
    end: section.monoEnd,
  };
}

/**
 * Every pair of intervals that share an instant. Intervals that only touch
 * (one ends exactly when the other starts) do not overlap: the monotonic
 * clock is the same for every process, so a hand-over can never be
 * recorded the wrong way round.
 */
export function findOverlaps(intervals: readonly HoldInterval[]): Overlap[] {
  const overlaps: Overlap[] = [];
  for (let i = 0; i < intervals.length; i++) {
    for (let j = i + 1; j < intervals.length; j++) {
      const a = intervals[i]!;
      const b = intervals[j]!;
      const overlapMs = Math.min(a.end, b.end) - Math.max(a.start, b.start);
      if (overlapMs > 0) {
        const [first, second] = a.start <= b.start ? [a, b] : [b, a];
        overlaps.push({ first, second, overlapMs });
      }
    }
  }
  return overlaps;
}

/**
 * Sections that ended after their lock's validity: the holder kept working
 * past the point where Redlock stops guaranteeing exclusivity. The scenarios
 * keep work far shorter than the TTL, so any such section is a failure of
 * the test's discipline (or a process stalled for most of a TTL).
 */
export function findValidityOverruns(sections: readonly SectionRecord[]): SectionRecord[] {
  return sections.filter((section) => section.end > section.validityEnd);
}

/**
 * Counter values read by more than one section. With one holder at a time,
 * the reads are exactly 0, 1, 2, ...: a repeated value means two sections
 * ran on the same counter value and one increment was lost.
 */
export function findRepeatedReads(sections: readonly SectionRecord[]): number[] {
  const seen = new Set<number>();
  const repeated = new Set<number>();
  for (const section of sections) {
    if (seen.has(section.counterRead)) repeated.add(section.counterRead);
    seen.add(section.counterRead);
  }
  return [...repeated].sort((a, b) => a - b);
}

/** The verdict on one scenario run. */
export interface HistoryVerdict {
  readonly sectionsChecked: number;
  readonly overlaps: Overlap[];
  readonly validityOverruns: SectionRecord[];
  /** Completed sections minus the counter's final value. */
  readonly lostIncrements: number;
  readonly repeatedReads: number[];
}

/**
 * Checks a run: every completed section plus `extraIntervals` (holders that
 * never completed a section, e.g. a worker killed while holding) pairwise
 * for overlaps, each section against its validity, and the counter against
 * the number of sections.
 */
export function checkHistory(
  sections: readonly SectionRecord[],
  finalCounter: number,
  extraIntervals: readonly HoldInterval[] = [],
): HistoryVerdict {
  return {
    sectionsChecked: sections.length,
    overlaps: findOverlaps([...sections.map(sectionInterval), ...extraIntervals]),
    validityOverruns: findValidityOverruns(sections),
    lostIncrements: sections.length - finalCounter,
    repeatedReads: findRepeatedReads(sections),
  };
}
