/**
 * The resource a lock protects, for Kleppmann's scenario: a value that
 * holders change by read-modify-write. With fencing, every request carries
 * the holder's token and the store refuses one older than the newest it
 * accepted, as `UPDATE ... WHERE fence <= $token` does; a holder claims the
 * store with its token before it reads. Without fencing it accepts
 * everything.
 *
 * A *lost update* is an accepted write based on a read that another write
 * has superseded since: that other write's change is gone.
 */
export class FencedStore {
  #version = 0;
  #newestToken = -1n;
  /** Accepted writes that overwrote a change they had not read. */
  lostUpdates = 0;
  acceptedWrites = 0;
  /** Requests refused for carrying an older token than the newest accepted. */
  refused = 0;

  constructor(readonly fencing: boolean) {}

  /** Record `token` as the newest, unless a newer one was seen: the first step of a holder. */
  claim(token: bigint | undefined): boolean {
    return this.#admit(token);
  }

  /** The version a write will be based on. */
  read(token: bigint | undefined): number | undefined {
    return this.#admit(token) ? this.#version : undefined;
  }

  /** Write a change based on `readVersion`; returns whether it was accepted. */
  write(readVersion: number, token: bigint | undefined): boolean {
    if (!this.#admit(token)) return false;
    if (readVersion !== this.#version) this.lostUpdates++;
    this.#version++;
    this.acceptedWrites++;
    return true;
  }

  #admit(token: bigint | undefined): boolean {
    if (!this.fencing) return true;
    if (token === undefined || token < this.#newestToken) {
      this.refused++;
      return false;
    }
    this.#newestToken = token;
    return true;
  }
}
