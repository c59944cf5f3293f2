/**
 * Type-checks TypeScript programs as a user's project would: each program
 * its own module, `module`/`moduleResolution` node16 (what `tsc --init`
 * projects on Node use, and where `import Redis from 'ioredis'` breaks),
 * strict, with `@types/node`. Workspace packages resolve to their source.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SnippetProgram } from './extract-snippets.js';
import { programFileName } from './find-doc-programs.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** One tsc diagnostic line mapped back to the program it came from. */
export interface TypeDiagnostic {
  readonly program: SnippetProgram;
  readonly message: string;
}

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'ESNext.Disposable'],
    module: 'node16',
    moduleResolution: 'node16',
    customConditions: ['@redlock/source'],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
};

/** Writes every TypeScript program to `dir` and runs tsc on them; resolves with the diagnostics of the programs. */
export async function typecheckPrograms(
  programs: readonly SnippetProgram[],
  dir: string,
): Promise<TypeDiagnostic[]> {
  await fs.promises.rm(dir, { recursive: true, force: true });
  await fs.promises.mkdir(dir, { recursive: true });
  const byFile = new Map<string, SnippetProgram>();
  for (const program of programs.filter((p) => p.language === 'ts')) {
    const file = programFileName(program);
    byFile.set(file, program);
    // `export {}` makes a program without imports a module too, so the
    // programs' top-level names never clash with each other.
    await fs.promises.writeFile(path.join(dir, file), `${program.source}\nexport {};\n`);
  }
  if (byFile.size === 0) return [];
  await fs.promises.writeFile(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ ...TSCONFIG, files: [...byFile.keys()] }, null, 2),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const output = await run(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], {
    cwd: dir,
  }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
  return output
    .split('\n')
    .filter((line) => /error TS\d+/.test(line))
    .map((line) => {
      const file = line.split('(')[0]!.trim();
      const program = byFile.get(path.basename(file));
      return { program: program ?? programs[0]!, message: line.trim() };
    });
}
