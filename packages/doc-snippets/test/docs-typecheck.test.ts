/**
 * The TypeScript snippets marked run also compile in a user's strict node16
 * project, so what passes at run time (tsx strips types) is not a type error
 * for someone who copies it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractSnippetPrograms, findDocPrograms, typecheckPrograms } from '../src/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCRATCH = path.resolve(import.meta.dirname, '../scratch');

describe('type-checking snippets', () => {
  it('reports a type error and the program it is in', async () => {
    const fence = '```';
    const [bad] = extractSnippetPrograms(
      'bad.md',
      `${fence}ts run\nconst port: number = 'six';\n${fence}`,
    );
    const diagnostics = await typecheckPrograms([bad!], path.join(SCRATCH, 'typecheck-self-test'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.program).toBe(bad);
    expect(diagnostics[0]!.message).toMatch(/TS2322/);
  });

  it('finds no type error in the runnable snippets of README.md and docs/', async () => {
    const diagnostics = await typecheckPrograms(
      findDocPrograms(ROOT),
      path.join(SCRATCH, 'typecheck'),
    );
    expect(diagnostics.map((d) => `${d.program.file}:${d.program.line}: ${d.message}`)).toEqual([]);
  });
});
