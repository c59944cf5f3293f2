/** Where `redlock` writes: the process's streams, or a test's. */
export interface CliStreams {
  /** `redlock inspect`'s output, `--help`, `--version`. */
  readonly stdout: {
    /** Writes `text` as it is (lines end with `\n`). */
    write(text: string): unknown;
  };
  /** Errors, notices, the status line, and `redlock run --json` events. */
  readonly stderr: {
    /** Writes `text` as it is (lines end with `\n`; the status line uses `\r`). */
    write(text: string): unknown;
    /** A person is watching: the status line is drawn only then. */
    readonly isTTY?: boolean;
    /** Terminal width; the status line is cut to fit. */
    readonly columns?: number;
  };
}

/** How `redlock` itself speaks: one line per error, a status line on a TTY, or JSON. */
export class Reporter {
  readonly #streams: CliStreams;
  readonly #quiet: boolean;
  readonly #json: boolean;
  #statusShown = false;

  constructor(streams: CliStreams, options: { quiet: boolean; json: boolean }) {
    this.#streams = streams;
    this.#quiet = options.quiet;
    this.#json = options.json;
  }

  /** Whether a status line may be drawn: a person is watching stderr. */
  get canShowStatus(): boolean {
    return this.#streams.stderr.isTTY === true && !this.#quiet && !this.#json;
  }

  /** Output that is the point of the command (e.g. `inspect`'s table), on stdout. */
  result(text: string, json: unknown): void {
    this.#streams.stdout.write(this.#json ? `${JSON.stringify(json)}\n` : text);
  }

  /** A step worth knowing in a machine log (`--json` only; a person is told nothing). */
  event(name: string, fields: Record<string, unknown> = {}): void {
    if (this.#json) this.#line({ event: name, ...fields });
  }

  /** Something a person should know that is not an error, e.g. a server that is down. */
  notice(message: string, fields: Record<string, unknown> = {}): void {
    if (this.#json) this.#line({ event: 'notice', message, ...fields });
    else if (!this.#quiet) this.#text(`redlock: ${message}`);
  }

  /** The one line that explains why `redlock` exits with `exitCode`, plus an optional hint line. */
  error(code: string, message: string, exitCode: number, hint?: string): void {
    if (this.#json) {
      this.#line({ event: 'error', code, message, exitCode });
      return;
    }
    this.#text(hint === undefined ? `redlock: ${message}` : `redlock: ${message}\n${hint}`);
  }

  /** Replace the status line (TTY only). */
  status(text: string): void {
    if (!this.canShowStatus) return;
    // 0 columns: a pseudo-terminal that does not say (script(1), some CI runners).
    const width = this.#streams.stderr.columns || 80;
    const line = text.length < width ? text : `${text.slice(0, Math.max(0, width - 2))}…`;
    this.#streams.stderr.write(`\r\x1b[2K${line}`);
    this.#statusShown = true;
  }

  /** Remove the status line, if one is shown. */
  clearStatus(): void {
    if (!this.#statusShown) return;
    this.#streams.stderr.write('\r\x1b[2K');
    this.#statusShown = false;
  }

  #text(text: string): void {
    this.clearStatus();
    this.#streams.stderr.write(`${text}\n`);
  }

  #line(record: Record<string, unknown>): void {
    this.#streams.stderr.write(`${JSON.stringify(record)}\n`);
  }
}
