import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// redsync's flaw to avoid: an adapter silently missing from the shared
// suite. Every package that ships a `*LockNode` class must run
// `describeLockNode` somewhere in its tests.
const packagesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function filesUnder(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (entry === 'node_modules' || entry === 'dist') return [];
    const file = path.join(dir, entry);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

const typescript = (file: string) => /\.(c|m)?tsx?$/.test(file);

/** Package directories and the `*LockNode` classes their sources export. */
const adapters = readdirSync(packagesDir)
  .filter((dir) => statSync(path.join(packagesDir, dir, 'package.json'), { throwIfNoEntry: false }))
  .map((dir) => {
    const classes = filesUnder(path.join(packagesDir, dir, 'src'))
      .filter(typescript)
      .flatMap((file) => [
        ...readFileSync(file, 'utf8').matchAll(/export\s+(?:abstract\s+)?class\s+(\w+LockNode)\b/g),
      ])
      .map((match) => match[1]!);
    return { dir, classes };
  })
  .filter(({ classes }) => classes.length > 0);

describe('conformance registration', () => {
  it('finds the adapters of this repository', () => {
    expect(adapters.map(({ dir }) => dir)).toEqual(
      expect.arrayContaining(['ioredis', 'memory', 'node-redis']),
    );
  });

  it.each(adapters)('runs describeLockNode in the tests of $dir ($classes)', ({ dir, classes }) => {
    const registering = filesUnder(path.join(packagesDir, dir, 'test'))
      .filter((file) => /\.test\.(c|m)?tsx?$/.test(file))
      .filter((file) => /\bdescribeLockNode\s*\(/.test(readFileSync(file, 'utf8')));
    expect(
      registering,
      `packages/${dir} exports ${classes.join(', ')} but no test file calls describeLockNode`,
    ).not.toEqual([]);
  });
});
