/**
 * The runnable programs of the repository's documentation: README.md and
 * every markdown file under docs/, read when called, so blocks added or
 * marked by anyone are picked up without registering them here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { extractSnippetPrograms, type SnippetProgram } from './extract-snippets.js';

/** The markdown files searched, relative to `root`, sorted. */
export function docFiles(root: string): string[] {
  const docs = fs
    .readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join('docs', file));
  return ['README.md', ...docs.sort()];
}

/** Every program of every file of {@link docFiles}, file by file. */
export function findDocPrograms(root: string): SnippetProgram[] {
  return docFiles(root).flatMap((file) =>
    extractSnippetPrograms(file, fs.readFileSync(path.join(root, file), 'utf8')),
  );
}

/** A file name for a program, unique per file and line: `docs-production.md-L42.ts`. */
export function programFileName(program: SnippetProgram): string {
  const base = program.file.replace(/[\\/]/g, '-');
  const extension = program.language === 'ts' ? 'ts' : 'mjs';
  return `${base}-L${program.line}${program.group ? `-${program.group}` : ''}.${extension}`;
}
