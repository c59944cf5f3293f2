import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redisClients } from '../src/clients.js';

// redsync's flaw to avoid: an adapter silently missing from the shared
// suite. Every package whose source extends RedisLockNode is a client
// package, every major its peer range allows needs an alias here, and every
// alias needs an entry in src/clients.ts.
const here = path.dirname(fileURLToPath(import.meta.url));
const packagesDir = path.resolve(here, '../..');
const ownManifest = JSON.parse(readFileSync(path.resolve(here, '../package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

function sourcesOf(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const file = path.join(dir, entry);
    if (statSync(file).isDirectory()) return sourcesOf(file);
    return /\.(c|m)?tsx?$/.test(entry) ? [readFileSync(file, 'utf8')] : [];
  });
}

const clientPackages = readdirSync(packagesDir).filter((dir) =>
  sourcesOf(path.join(packagesDir, dir, 'src')).some((source) =>
    /^export\s+class\s+\w+\s+extends\s+RedisLockNode\b/m.test(source),
  ),
);

/** `{ alias: 'ioredis6', library: 'ioredis', major: 6 }` for every `npm:` alias of this package. */
const aliases = Object.entries(ownManifest.devDependencies).flatMap(([alias, spec]) => {
  const match = /^npm:((?:@[^/]+\/)?[^@]+)@\^?(\d+)/.exec(spec);
  return match ? [{ alias, library: match[1]!, major: Number(match[2]) }] : [];
});

/** The client library and majors a client package supports, from its peer range. */
function supportedMajors(dir: string): { library: string; majors: number[] }[] {
  const manifest = JSON.parse(
    readFileSync(path.join(packagesDir, dir, 'package.json'), 'utf8'),
  ) as {
    peerDependencies?: Record<string, string>;
  };
  return Object.entries(manifest.peerDependencies ?? {})
    .filter(([library]) => !library.startsWith('@redlock/'))
    .map(([library, range]) => ({
      library,
      majors: [...range.matchAll(/(?:^|\|\|)\s*[\^~>=]*\s*(\d+)/g)].map((match) =>
        Number(match[1]),
      ),
    }));
}

describe('shared adapter suite registration', () => {
  it('finds the client packages of this repository', () => {
    expect(clientPackages).toEqual(expect.arrayContaining(['ioredis', 'node-redis']));
  });

  it.each(clientPackages)('runs every supported major of the client of %s', (dir) => {
    const supported = supportedMajors(dir);
    expect(supported, `packages/${dir} declares no client peer dependency`).not.toEqual([]);
    for (const { library, majors } of supported) {
      for (const major of majors) {
        const alias = aliases.find((entry) => entry.library === library && entry.major === major);
        expect(
          alias,
          `no "${library}${major}": "npm:${library}@^${major}" alias in package.json`,
        ).toBeDefined();
        const entry = redisClients.find(
          (client) => client.packageDir === dir && client.clientAlias === alias!.alias,
        );
        expect(entry, `src/clients.ts has no entry for ${dir} on ${alias!.alias}`).toBeDefined();
      }
    }
  });

  it.each(aliases)('has an entry in src/clients.ts for the alias $alias', ({ alias }) => {
    expect(redisClients.map((client) => client.clientAlias)).toContain(alias);
  });

  it('runs every entry of src/clients.ts against a client package', () => {
    for (const client of redisClients) expect(clientPackages).toContain(client.packageDir);
  });
});
