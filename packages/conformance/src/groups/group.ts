import type { Harness } from '../harness.js';
import type { ConformanceGroup } from '../options.js';

/** One switchable group of tests, registered inside the suite's `describe`. */
export interface Group {
  readonly name: ConformanceGroup;
  /** The `describe` title; reads as the subject of the tests' sentences. */
  readonly title: string;
  /** Registers the group's tests (and nested `describe`s). */
  define(harness: Harness): void;
}
