import type { LockNode } from '@redlock/core';
import { afterEach, beforeEach, expect } from 'vitest';
import type { ResolvedOptions } from './options.js';

/**
 * What every group gets: the options, nodes that are closed after the test,
 * and fresh keys and values. One harness serves one `describeLockNode` call.
 */
export interface Harness {
  readonly options: ResolvedOptions;
  /** A node on backing store `store` (default `0`), closed after the test. */
  node(store?: number): Promise<LockNode>;
  /** Nodes on stores `0..count-1`, closed after the test. */
  nodes(count: number): Promise<LockNode[]>;
  /** A node whose backend is down, closed after the test. */
  unreachableNode(): Promise<LockNode>;
  /**
   * Fresh keys for this test. All keys of one test share a `{hash tag}`, so
   * a Redis Cluster adapter can take them in one atomic script.
   */
  keys(count: number, suffix?: string): string[];
  /** One fresh key (see {@link keys}). */
  key(suffix?: string): string;
  /** A fresh value: random, so two owners never collide by accident. */
  value(label?: string): string;
  /** The largest `pttl` a backend may report for a TTL of `ttlMs`, after rounding up. */
  maxPttl(ttlMs: number): number;
  /** Close what this test opened; run before a dynamic skip, which skips the hooks. */
  closeNodes(): Promise<void>;
}

export function createHarness(options: ResolvedOptions): Harness {
  let opened: LockNode[] = [];
  let testId = '';
  let keyCount = 0;

  const open = async (create: () => LockNode | Promise<LockNode>, what: string) => {
    const node = await create();
    expect(node, `${what} must return a LockNode`).toMatchObject({ name: expect.any(String) });
    opened.push(node);
    return node;
  };

  const harness: Harness = {
    options,
    node(store = 0) {
      if (store >= options.stores) {
        throw new Error(
          `the suite asked for store ${store} but only ${options.stores} are configured`,
        );
      }
      return open(() => options.createNode(store), `createNode(${store})`);
    },
    nodes(count) {
      return Promise.all(Array.from({ length: count }, (_, store) => harness.node(store)));
    },
    unreachableNode() {
      const create = options.createUnreachableNode;
      if (create === undefined) throw new Error('createUnreachableNode is not configured');
      return open(create, 'createUnreachableNode()');
    },
    keys(count, suffix = '') {
      return Array.from({ length: count }, () => {
        keyCount += 1;
        return `${options.keyPrefix}{${testId}}:${keyCount}${suffix}`;
      });
    },
    key(suffix) {
      return harness.keys(1, suffix)[0]!;
    },
    value(label = 'owner') {
      return `${label}-${randomId()}`;
    },
    maxPttl(ttlMs) {
      const step = options.ttlGranularityMs;
      return Math.ceil(ttlMs / step) * step;
    },
    async closeNodes() {
      const closing = opened;
      opened = [];
      await Promise.all(closing.map((node) => node.close?.()));
    },
  };

  beforeEach(() => {
    testId = randomId();
    keyCount = 0;
  });
  afterEach(() => harness.closeNodes());
  return harness;
}

function randomId(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '').slice(0, 16);
}
