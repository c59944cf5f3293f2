import fs from 'node:fs';
import path from 'node:path';

/**
 * Resolves `name` on PATH (or checks it when it is a path), so a missing
 * binary fails with an install hint before anything is spawned.
 * Returns `undefined` when not found.
 */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here; try the next directory.
    }
  }
  return undefined;
}
