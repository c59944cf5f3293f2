const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** The longest delay a Node timer supports (about 24.8 days). */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/**
 * Parses `500ms`, `30s`, `1.5s`, `2m` or `1h` into whole milliseconds.
 * A bare number is refused: `--ttl 30` could mean seconds or milliseconds,
 * and a lock held a thousand times too long is not a small mistake.
 * Returns a one-line problem instead when the text is not a duration.
 */
export function parseDuration(
  text: string,
): { readonly ms: number } | { readonly problem: string } {
  const match = DURATION.exec(text.trim());
  if (!match) {
    return { problem: `not a duration: ${JSON.stringify(text)} (use e.g. 500ms, 30s, 2m, 1h)` };
  }
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2]!]!);
  if (ms > MAX_DURATION_MS) {
    return { problem: `duration too long: ${text} (at most 24 days)` };
  }
  return { ms };
}

/** `12.4 s`, `850 ms`, `3 min 20 s`: a duration for people. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
