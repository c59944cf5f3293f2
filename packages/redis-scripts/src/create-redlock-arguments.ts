import { parseRedisUrl } from './node-name.js';

/**
 * The first argument of every adapter's `createRedlock` as a list, or a
 * one-line problem: none given, or a string that is not a Redis URL
 * (credentials masked in the message).
 */
export function listClientsOrUrls<Client>(
  clientsOrUrls: Client | string | readonly (Client | string)[],
): { readonly entries: readonly (Client | string)[] } | { readonly problem: string } {
  const entries = Array.isArray(clientsOrUrls)
    ? (clientsOrUrls as readonly (Client | string)[])
    : [clientsOrUrls as Client | string];
  if (entries.length === 0) return { problem: 'createRedlock needs at least one client or URL' };
  for (const entry of entries) {
    if (typeof entry === 'string' && parseRedisUrl(entry) === undefined) {
      const masked = JSON.stringify(entry.replace(/\/\/[^@/]*@/, '//***@'));
      return { problem: `not a redis:// or rediss:// URL: ${masked}` };
    }
  }
  return { entries };
}

/** `closeTimeoutMs` must be a finite number of ms >= 0. */
export function describeInvalidCloseTimeout(closeTimeoutMs: unknown): string | undefined {
  if (
    typeof closeTimeoutMs === 'number' &&
    closeTimeoutMs >= 0 &&
    Number.isFinite(closeTimeoutMs)
  ) {
    return undefined;
  }
  return `closeTimeoutMs must be a finite number of milliseconds >= 0, got ${String(closeTimeoutMs)}`;
}
