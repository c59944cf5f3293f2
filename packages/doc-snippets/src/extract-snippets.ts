/**
 * Finds the code blocks of a markdown file that claim to run, by their info
 * string: ```` ```ts run ```` is one program on its own, and
 * ```` ```ts run=NAME ```` blocks of one file are joined, in order, into one
 * program called NAME (a guide that builds one script step by step). Every
 * other block is a fragment and is left alone.
 */

/** One program to run: the text of one `run` block, or of every `run=NAME` block of a file. */
export interface SnippetProgram {
  /** The markdown file, as given to {@link extractSnippetPrograms}. */
  readonly file: string;
  /** 1-based line of the program's first block's opening fence. */
  readonly line: number;
  /** The group name of `run=NAME` blocks; undefined for a lone `run` block. */
  readonly group: string | undefined;
  /** `ts` or `js`: how the program is written. */
  readonly language: 'ts' | 'js';
  /** The source, blocks joined by a blank line, each block's fence indentation removed. */
  readonly source: string;
  /** 1-based lines of every block's opening fence, for messages. */
  readonly blockLines: readonly number[];
}

/** A block marked `run` that cannot be run as marked (e.g. `sh run`), so a typo never hides a snippet. */
export class SnippetMarkerError extends Error {
  override readonly name = 'SnippetMarkerError';
}

const LANGUAGES: Record<string, 'ts' | 'js'> = {
  ts: 'ts',
  typescript: 'ts',
  js: 'js',
  javascript: 'js',
};

interface Fence {
  readonly marker: string;
  readonly indent: number;
  readonly info: string;
  readonly line: number;
  readonly body: string[];
}

/** Every fenced block of `markdown` with its info string and 1-based opening line. */
export function fencedBlocks(markdown: string): { info: string; line: number; body: string }[] {
  const blocks: { info: string; line: number; body: string }[] = [];
  let open: Fence | undefined;
  const lines = markdown.split(/\r?\n/);
  lines.forEach((text, index) => {
    const fence = /^( {0,3}|\s*)(`{3,}|~{3,})(.*)$/.exec(text);
    if (!open) {
      if (fence && !(fence[2]!.startsWith('`') && fence[3]!.includes('`'))) {
        open = {
          marker: fence[2]!,
          indent: fence[1]!.length,
          info: fence[3]!.trim(),
          line: index + 1,
          body: [],
        };
      }
      return;
    }
    const closes =
      fence && fence[2]![0] === open.marker[0] && fence[2]!.length >= open.marker.length;
    if (closes && fence[3]!.trim() === '') {
      blocks.push({ info: open.info, line: open.line, body: open.body.join('\n') });
      open = undefined;
      return;
    }
    // Content lines lose up to the fence's indentation (a block inside a list item).
    const strip = Math.min(open.indent, /^ */.exec(text)![0].length);
    open.body.push(text.slice(strip));
  });
  return blocks;
}

/** The run marker of an info string: `undefined` when not runnable, else the group (or `null`). */
function runMarker(info: string): { language: string; group: string | null } | undefined {
  const [language = '', ...words] = info.split(/\s+/);
  const run = words.find((word) => word === 'run' || word.startsWith('run='));
  if (!run) return undefined;
  return { language, group: run === 'run' ? null : run.slice('run='.length) };
}

/**
 * The programs of one markdown file, in order of first appearance.
 *
 * @example
 * extractSnippetPrograms('docs/x.md', '```ts run\nconsole.log(1);\n```\n');
 * // [{ file: 'docs/x.md', line: 1, group: undefined, language: 'ts', source: 'console.log(1);', ... }]
 */
export function extractSnippetPrograms(file: string, markdown: string): SnippetProgram[] {
  const programs: { program: SnippetProgram; parts: string[] }[] = [];
  const groups = new Map<string, { program: SnippetProgram; parts: string[] }>();
  for (const block of fencedBlocks(markdown)) {
    const marker = runMarker(block.info);
    if (!marker) continue;
    const language = LANGUAGES[marker.language];
    if (!language) {
      throw new SnippetMarkerError(
        `${file}:${block.line}: a block marked "run" must be ts or js, got "${block.info}"`,
      );
    }
    if (marker.group === '' || (marker.group && !/^[\w.-]+$/.test(marker.group))) {
      throw new SnippetMarkerError(
        `${file}:${block.line}: "run=NAME" needs a name of letters, digits, '.', '_' or '-', got "${block.info}"`,
      );
    }
    const existing = marker.group ? groups.get(marker.group) : undefined;
    if (existing) {
      if (existing.program.language !== language) {
        throw new SnippetMarkerError(
          `${file}:${block.line}: group "${marker.group}" mixes ts and js blocks`,
        );
      }
      existing.parts.push(block.body);
      (existing.program.blockLines as number[]).push(block.line);
      continue;
    }
    const entry = {
      program: {
        file,
        line: block.line,
        group: marker.group ?? undefined,
        language,
        source: '',
        blockLines: [block.line],
      },
      parts: [block.body],
    };
    programs.push(entry);
    if (marker.group) groups.set(marker.group, entry);
  }
  return programs.map(({ program, parts }) => ({ ...program, source: parts.join('\n\n') }));
}
