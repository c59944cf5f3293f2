import { connect } from 'node:net';

const PROBE_TIMEOUT_MS = 1000;

/** An error with the code of a failed connect, e.g. `ECONNREFUSED`. */
export type ConnectFailure = Error & { readonly code: string };

/**
 * Why GLIDE could not connect, in the words of the socket layer. GLIDE
 * reports every failed connection as `timed out` (`Standalone connect
 * failed - IoError: ... timed out`, or `Connection error: ...` from
 * `createClient`), a refused one included: its core retries until
 * `connectionTimeout`. One plain TCP
 * connect to the same address tells what really happened: a refused or
 * unresolvable address yields a {@link ConnectFailure} (`ECONNREFUSED`,
 * `ENOTFOUND`, ...) whose `cause` is GLIDE's error; anything else (the
 * address accepts connections, or the probe itself times out) keeps
 * GLIDE's error. Never rejects and leaves no socket or timer behind.
 */
export async function explainConnectFailure(
  glideError: Error,
  address: { readonly host?: string; readonly port?: number } | undefined,
): Promise<Error> {
  if (address === undefined) return glideError;
  const host = address.host ?? 'localhost';
  const port = address.port ?? 6379;
  const failure = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const socket = connect({ host, port });
    const done = (error?: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(error);
    };
    const timer = setTimeout(() => done(), PROBE_TIMEOUT_MS);
    socket.once('connect', () => done());
    socket.once('error', (error: NodeJS.ErrnoException) => done(error));
  });
  if (typeof failure?.code !== 'string') return glideError;
  return Object.assign(new Error(failure.message, { cause: glideError }), { code: failure.code });
}
