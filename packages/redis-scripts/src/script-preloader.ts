/**
 * Keeps the lock scripts in the script cache of the server behind one
 * connection, so the first lock call after a (re)connect is one round trip.
 *
 * Without it, the first call on a fresh connection sends `EVALSHA`, gets
 * `NOSCRIPT` (a new server, a restart or a failover empties the cache) and
 * resends with `EVAL`: two round trips on top of connecting, which is enough
 * to miss a short per-node timeout. So an adapter tells the preloader when
 * its connection becomes ready (it then sends `SCRIPT LOAD`, once per
 * connection) and when it is lost; until the load on the current connection
 * has finished, {@link ScriptPreloader.scriptsCached} is false and the
 * adapter sends `EVAL` directly (see {@link evalScript}), which caches the
 * script as well.
 */
export class ScriptPreloader {
  readonly #load: () => Promise<unknown>;
  /** The load on the current connection, shared by everyone who waits for it. */
  #loading: Promise<void> | undefined;
  #scriptsCached = false;

  /** `load` sends `SCRIPT LOAD` for each script on the adapter's connection. */
  constructor(load: () => Promise<unknown>) {
    this.#load = load;
  }

  /**
   * Whether a load on the current connection has finished, so `EVALSHA` is
   * expected to find the scripts. Also true after a failed load (say an ACL
   * that forbids `SCRIPT`): `EVALSHA` still falls back to `EVAL` on `NOSCRIPT`.
   */
  get scriptsCached(): boolean {
    return this.#scriptsCached;
  }

  /**
   * The connection is ready: loads the scripts on it, unless a load for this
   * connection already started, in which case that one is returned. The
   * promise never rejects; a failed load (the connection broke, the server
   * refused) is harmless, as `EVAL` still works.
   */
  connectionReady(): Promise<void> {
    if (this.#loading) return this.#loading;
    const loading: Promise<void> = Promise.resolve()
      .then(this.#load)
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        // Not when the connection was lost meanwhile: the next one may reach
        // a server with an empty cache.
        if (this.#loading === loading) this.#scriptsCached = true;
      });
    this.#loading = loading;
    return loading;
  }

  /** The connection was lost: the next one may reach a restarted server with an empty cache. */
  connectionLost(): void {
    this.#loading = undefined;
    this.#scriptsCached = false;
  }
}
