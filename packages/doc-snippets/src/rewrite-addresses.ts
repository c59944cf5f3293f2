/**
 * Points a snippet at real servers: every Redis address written in it
 * (`redis://host:port`, `rediss://...`, `{ host: '...', port: N }`) is
 * replaced by the address of a server the test started, one server per
 * distinct address, so a snippet keeps its shape (five masters stay five).
 */

/** A distinct address of a snippet, in order of first appearance. */
export interface SnippetAddress {
  /** `host:port` as written (default port 6379). */
  readonly authority: string;
  /** Written as `rediss://`: needs a TLS server. */
  readonly tls: boolean;
  /** `user:password` or `:password` from the URL, if any (the server gets that credential). */
  readonly username: string | undefined;
  readonly password: string | undefined;
}

/** Where the test put each distinct address: `host` and `port` of a real server. */
export type AddressMap = (address: SnippetAddress) => { host: string; port: number };

const URL_PATTERN = /\b(rediss?):\/\/(?:([^\s'"`/@]*)@)?([^\s'"`/,:)]+)(?::(\d+))?/g;
const OBJECT_PATTERN = /\bhost:\s*(['"])([^'"]+)\1(\s*,\s*)port:\s*(\d+)/g;

/** The distinct addresses of `source`, in order of first appearance. */
export function snippetAddresses(source: string): SnippetAddress[] {
  const found = new Map<string, SnippetAddress>();
  const add = (address: SnippetAddress) => {
    const key = `${address.tls ? 'tls' : 'plain'} ${address.authority}`;
    if (!found.has(key)) found.set(key, address);
  };
  const matches: { index: number; address: SnippetAddress }[] = [];
  for (const match of source.matchAll(URL_PATTERN)) {
    const [, scheme, credentials, host, port = '6379'] = match;
    const [username, password] = splitCredentials(credentials);
    matches.push({
      index: match.index,
      address: { authority: `${host}:${port}`, tls: scheme === 'rediss', username, password },
    });
  }
  for (const match of source.matchAll(OBJECT_PATTERN)) {
    const [, , host, , port] = match;
    matches.push({
      index: match.index,
      address: {
        authority: `${host}:${port}`,
        tls: false,
        username: undefined,
        password: undefined,
      },
    });
  }
  for (const { address } of matches.sort((a, b) => a.index - b.index)) add(address);
  return [...found.values()];
}

/** `source` with every address replaced by where `map` put it; credentials and paths are kept. */
export function rewriteAddresses(source: string, map: AddressMap): string {
  const lookup = new Map(
    snippetAddresses(source).map((address) => [
      `${address.tls ? 'tls' : 'plain'} ${address.authority}`,
      map(address),
    ]),
  );
  return source
    .replace(URL_PATTERN, (whole, scheme: string, credentials: string | undefined, host, port) => {
      const target = lookup.get(`${scheme === 'rediss' ? 'tls' : 'plain'} ${host}:${port ?? 6379}`);
      if (!target) return whole;
      return `${scheme}://${credentials !== undefined ? `${credentials}@` : ''}${target.host}:${target.port}`;
    })
    .replace(OBJECT_PATTERN, (whole, quote: string, host: string, separator: string, port) => {
      const target = lookup.get(`plain ${host}:${port}`);
      if (!target) return whole;
      return `host: ${quote}${target.host}${quote}${separator}port: ${target.port}`;
    });
}

// Calls that fall back to redis://127.0.0.1:6379, which may be any server on the machine.
const DEFAULT_ADDRESS_PATTERN = /\b(?:createRedlock|new\s+Redis|createClient|createCluster)\(\s*\)/;

/**
 * The first call in `source` that connects to the default address
 * (`createRedlock()`, `new Redis()`, `createClient()`), or `undefined`. Such a
 * snippet cannot be pointed at a test server (and might find a stray one on
 * 6379), so it must not be marked runnable.
 */
export function defaultAddressCall(source: string): string | undefined {
  return DEFAULT_ADDRESS_PATTERN.exec(source)?.[0];
}

function splitCredentials(
  credentials: string | undefined,
): [string | undefined, string | undefined] {
  if (credentials === undefined) return [undefined, undefined];
  const colon = credentials.indexOf(':');
  if (colon === -1) return [decodeURIComponent(credentials) || undefined, undefined];
  const username = decodeURIComponent(credentials.slice(0, colon));
  return [username || undefined, decodeURIComponent(credentials.slice(colon + 1))];
}
