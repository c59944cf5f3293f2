import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// redsync's flaw to avoid: an adapter silently missing from the shared
// suite. Every `*LockNode` class a package ships must appear in a test file
// (of any package) that runs `describeLockNode`.
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

/** The sources of the relative `../src/*.js` modules a test file imports. */
function relativeImports(file: string, source: string): string {
  return [...source.matchAll(/from '(\.\.?\/[^']+)\.js'/g)]
    .map((match) => path.resolve(path.dirname(file), `${match[1]}.ts`))
    .map((imported) => {
      try {
        return readFileSync(imported, 'utf8');
      } catch {
        return '';
      }
    })
    .join('\n');
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

  /** Test files (that vitest runs) of every package that register the conformance suite. */
  const registering = readdirSync(packagesDir)
    .flatMap((dir) => filesUnder(path.join(packagesDir, dir, 'test')))
    .filter((file) => /\.test\.(c|m)?tsx?$/.test(file))
    .map((file) => ({ file, source: readFileSync(file, 'utf8') }))
    .filter(({ source }) => /\bdescribeLockNode\s*\(/.test(source))
    // A shared suite names its nodes in a module it imports (e.g. ../src/clients.js).
    .map(({ file, source }) => ({ file, source: `${source}\n${relativeImports(file, source)}` }));

  it.each(adapters)(
    'runs describeLockNode for every LockNode of $dir ($classes)',
    ({ dir, classes }) => {
      for (const name of classes) {
        const files = registering
          .filter(({ source }) => new RegExp(`\\b${name}\\b`).test(source))
          .map(({ file }) => path.relative(packagesDir, file));
        expect(
          files,
          `packages/${dir} exports ${name} but no test file runs describeLockNode with it`,
        ).not.toEqual([]);
      }
    },
  );
});
