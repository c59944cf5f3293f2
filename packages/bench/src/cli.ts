/**
 * `pnpm bench` starts here, under tsx. tsx compiles TypeScript with esbuild's
 * `keepNames`, which wraps every function and class created at run time in a
 * `__name(...)` call: about 20 µs of extra CPU per acquire+release cycle of
 * ours (measured), an overhead no user has (tsup builds without it) and that
 * none of the other libraries pays (they ship plain JavaScript). So this
 * launcher compiles the benchmark the way tsup does (our packages from
 * source, npm libraries left as they are) into one file and runs it in a new
 * node with `--expose-gc`. `REDLOCK_BENCH_IN_PROCESS=1` runs it in this
 * process instead, straight from source (for debugging).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { benchDirectory } from './bench-directory.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function launch(): Promise<void> {
  const benchDir = benchDirectory();
  const bundle = path.join(benchDir, 'node_modules', '.cache', 'redlock-bench', 'bench.mjs');
  const manifest = JSON.parse(fs.readFileSync(path.join(benchDir, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  await build({
    entryPoints: [fileURLToPath(new URL('main.ts', import.meta.url))],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@redlock/source'],
    // The other libraries and the clients run as published; only our workspace packages are compiled.
    external: Object.keys(manifest.devDependencies).filter((name) => !name.startsWith('@redlock/')),
    logLevel: 'warning',
  });
  const child = spawn(process.execPath, ['--expose-gc', bundle, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, REDLOCK_BENCH_DIR: benchDir },
  });
  // Ctrl-C reaches the child too (same process group) and it stops its servers itself;
  // a signal sent to this process alone is passed on. Either way, exit when the child has.
  for (const signal of SIGNALS) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
  });
}

if (process.env.REDLOCK_BENCH_IN_PROCESS === '1') {
  await import('./main.js');
} else {
  await launch();
}
