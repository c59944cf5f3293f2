/**
 * Argument checks shared by the Redis adapters. Each returns a message
 * describing the first problem, or `undefined`; the adapter turns it into an
 * `InvalidArgumentError` from `@redlock/core` before touching the server.
 * (This package stays free of runtime dependencies, core included.)
 */

/** Checks that `keys` is a non-empty array of non-empty strings. */
export function describeInvalidKeys(keys: unknown): string | undefined {
  if (!Array.isArray(keys) || keys.length === 0) {
    return `keys must be a non-empty array of strings, got ${typeName(keys)}`;
  }
  const index = keys.findIndex((key) => typeof key !== 'string' || key.length === 0);
  if (index !== -1) {
    return `keys[${index}] must be a non-empty string, got ${typeName(keys[index])}`;
  }
  return undefined;
}

/** Checks that `value` is a non-empty string. */
export function describeInvalidValue(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) {
    return `value must be a non-empty string, got ${typeName(value)}`;
  }
  return undefined;
}

/** Checks that `ttlMs` is a positive safe integer (Redis `PX` takes whole milliseconds). */
export function describeInvalidTtl(ttlMs: unknown): string | undefined {
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    return `ttlMs must be a positive integer number of milliseconds, got ${typeName(ttlMs)}`;
  }
  return undefined;
}

/** Checks the arguments of `acquire` / `extend` (`ttlMs` given) or `release` (`ttlMs` omitted). */
export function describeInvalidLockArguments(
  keys: unknown,
  value: unknown,
  ...ttlMs: [] | [unknown]
): string | undefined {
  return (
    describeInvalidKeys(keys) ??
    describeInvalidValue(value) ??
    (ttlMs.length === 1 ? describeInvalidTtl(ttlMs[0]) : undefined)
  );
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return typeof value;
}
