/**
 * The invariants the simulation checks after every event:
 *
 * - `mutual-exclusion`: two clients believe they hold the same resource at
 *   the same instant (see `Holding` for what "believe" means).
 * - `signal-late`: a `using` routine still runs with its signal not aborted
 *   after its lock's validity ended (while its process was running).
 * - `key-outlived-ttl`: a server still holds a key past the TTL it was
 *   last set with, on the server's own clock.
 * - `liveness`: after the faults stopped, a client could not acquire within
 *   the bound, or the run hung.
 * - `unexpected-error`: the library threw something other than a lock
 *   acquisition or lock loss error.
 * - `token-order` (with fencing): an acquisition that started after another
 *   one of an overlapping resource resolved got a token that is not larger.
 * - `lost-update` (with fencing, Kleppmann's scenario): the fenced store
 *   accepted a write based on a superseded read.
 */
export type ViolationKind =
  | 'mutual-exclusion'
  | 'signal-late'
  | 'key-outlived-ttl'
  | 'liveness'
  | 'unexpected-error'
  | 'token-order'
  | 'lost-update';

export interface Violation {
  readonly kind: ViolationKind;
  /** Virtual ms at which it was detected. */
  readonly atMs: number;
  readonly message: string;
}
