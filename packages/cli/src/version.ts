import { readFileSync } from 'node:fs';

/**
 * This package's version, from its package.json: `src/` and `dist/` both sit
 * one level below it, so the same relative URL works from source and build.
 */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return String((manifest as { version?: unknown }).version);
}
