/**
 * Runs one extracted program as its own Node process, as a user who copied
 * it would: TypeScript through tsx, workspace packages from source. The
 * process must exit by itself: a snippet that leaves a client open hangs,
 * and that is exactly the bug a copied script must not have.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** How a program ended. */
export interface ProgramOutcome {
  /** Exit code, or null when killed. */
  readonly code: number | null;
  /** True when it did not exit by itself within the timeout and was killed. */
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
  /** Kill and report `timedOut` after this long. */
  timeoutMs: number;
  /** Extra environment, e.g. `NODE_EXTRA_CA_CERTS` for the test CA. */
  env?: Record<string, string>;
  /** The Node binary. Default: the one running the tests. */
  nodePath?: string;
}

const OUTPUT_LIMIT = 20_000;
const require = createRequire(import.meta.url);
/** tsx's ESM loader, resolved from this package so the child needs nothing on PATH. */
const TSX_LOADER = pathToFileURL(require.resolve('tsx/esm')).href;

/** Writes `source` to `file` (creating its directory) and runs it with a timeout. */
export async function runProgram(
  file: string,
  source: string,
  options: RunProgramOptions,
): Promise<ProgramOutcome> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, source);
  const child = spawn(
    options.nodePath ?? process.execPath,
    ['--conditions=@redlock/source', '--import', TSX_LOADER, file],
    {
      cwd: path.dirname(file),
      env: { ...process.env, ...options.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout = (stdout + text).slice(-OUTPUT_LIMIT);
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-OUTPUT_LIMIT);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  return { code, timedOut, stdout, stderr };
}
