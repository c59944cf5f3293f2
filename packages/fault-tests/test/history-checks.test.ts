import { describe, expect, it } from 'vitest';
import {
  checkHistory,
  findOverlaps,
  findRepeatedReads,
  findValidityOverruns,
  type HoldInterval,
} from '../src/history-checks.js';
import type { SectionRecord } from '../src/worker-protocol.js';

function section(
  worker: string,
  index: number,
  monoStart: number,
  monoEnd: number,
  counterRead: number,
  validityMs = 1_000,
): SectionRecord {
  const epoch = 1_700_000_000_000;
  return {
    type: 'section',
    worker,
    index,
    start: epoch + monoStart,
    end: epoch + monoEnd,
    validityEnd: epoch + monoStart + validityMs,
    monoStart,
    monoEnd,
    monoValidityEnd: monoStart + validityMs,
    counterRead,
    value: `${worker}-${index}`,
  };
}

const interval = (worker: string, start: number, end: number): HoldInterval => ({
  worker,
  label: worker,
  start,
  end,
});

describe('the history checks', () => {
  it('finds two holders whose intervals intersect, wherever they are in the list', () => {
    const overlaps = findOverlaps([
      interval('a', 0, 10),
      interval('b', 20, 30),
      interval('c', 25, 26),
      interval('d', 40, 50),
    ]);
    expect(overlaps).toEqual([
      { first: interval('b', 20, 30), second: interval('c', 25, 26), overlapMs: 1 },
    ]);
  });

  it('finds an interval that starts before and ends after another', () => {
    expect(findOverlaps([interval('late', 5, 6), interval('long', 0, 100)])).toHaveLength(1);
  });

  it('accepts hand-overs where one interval ends exactly when the next starts', () => {
    expect(findOverlaps([interval('a', 0, 10), interval('b', 10, 20)])).toEqual([]);
  });

  it('flags a section that ended after its validity', () => {
    const late = section('a', 1, 0, 1_500, 0);
    expect(findValidityOverruns([section('b', 1, 0, 999, 0), late])).toEqual([late]);
  });

  it('flags counter values read by two sections', () => {
    expect(
      findRepeatedReads([
        section('a', 1, 0, 1, 0),
        section('b', 1, 2, 3, 1),
        section('c', 1, 4, 5, 1),
      ]),
    ).toEqual([1]);
  });

  it('counts lost increments and checks extra intervals against the sections', () => {
    const verdict = checkHistory([section('a', 1, 0, 10, 0), section('b', 1, 20, 30, 0)], 1, [
      interval('killed', 15, 25),
    ]);
    expect(verdict.sectionsChecked).toBe(2);
    expect(verdict.lostIncrements).toBe(1);
    expect(verdict.repeatedReads).toEqual([0]);
    expect(verdict.overlaps.map(({ first, second }) => [first.label, second.label])).toEqual([
      ['killed', 'b#1'],
    ]);
  });
});
