import type {
  GlideClient,
  GlideClientConfiguration,
  GlideClusterClient,
  GlideClusterClientConfiguration,
} from '@valkey/valkey-glide';
import { explainConnectFailure } from './connect-probe.js';

/** A GLIDE client of either kind. */
export type GlideClientInstance = GlideClient | GlideClusterClient;

/** A GLIDE client class: `GlideClient` or `GlideClusterClient` (of any installed copy). */
export interface GlideClientClass {
  /** GLIDE's own factory: connects and resolves with the client. */
  createClient(
    configuration: GlideClientConfiguration | GlideClusterClientConfiguration,
  ): Promise<GlideClientInstance>;
  readonly prototype: object;
}

const ignore = () => undefined;

/**
 * A GLIDE client that is created on demand. GLIDE creates clients
 * asynchronously (`await GlideClient.createClient(config)`), but a node and
 * `createRedlock` are synchronous: this holds the configuration and the
 * creation in flight, so a node can be built at once and its calls wait for
 * the client. Creation starts with {@link start} (or the first call).
 *
 * ```ts
 * const pending = new PendingGlideClient(GlideClient, { addresses: [{ host: '10.0.0.1', port: 6379 }] });
 * const node = new ValkeyGlideLockNode(pending);
 * // ... later, when done:
 * pending.close();
 * ```
 */
export class PendingGlideClient {
  /** The configuration the client is created with. */
  readonly configuration: GlideClientConfiguration | GlideClusterClientConfiguration;
  readonly #clientClass: GlideClientClass;
  #creation: Promise<GlideClientInstance> | undefined;
  #client: GlideClientInstance | undefined;
  #failure: Error | undefined;
  #closed = false;
  readonly #settled = new Set<() => void>();

  constructor(
    clientClass: GlideClientClass,
    configuration: GlideClientConfiguration | GlideClusterClientConfiguration,
  ) {
    this.#clientClass = clientClass;
    this.configuration = configuration;
  }

  /** Whether the client class is `GlideClusterClient`. */
  get isCluster(): boolean {
    return 'invokeScriptWithRoute' in this.#clientClass.prototype;
  }

  /** Whether the client class can subscribe after creation (GLIDE 2.x with `subscribe()`). */
  get canSubscribe(): boolean {
    return 'subscribe' in this.#clientClass.prototype;
  }

  /** The created client, once created. */
  get client(): GlideClientInstance | undefined {
    return this.#client;
  }

  /** Why creation failed, if it did. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Starts creating the client (once); never throws or rejects. */
  start(): void {
    void this.created().catch(ignore);
  }

  /** Resolves with the client, starting its creation if needed; rejects if creation failed or after {@link close}. */
  created(): Promise<GlideClientInstance> {
    if (this.#closed) return Promise.reject(new Error('the GLIDE client was closed'));
    this.#creation ??= this.#clientClass.createClient(this.configuration).then(
      (client) => {
        if (this.#closed) {
          client.close();
          throw new Error('the GLIDE client was closed');
        }
        this.#client = client;
        this.#notify();
        return client;
      },
      async (error: unknown) => {
        const glideError = error instanceof Error ? error : new Error(String(error));
        // GLIDE says "timed out" for a refused connection too: ask the socket layer.
        this.#failure = this.#closed
          ? glideError
          : await explainConnectFailure(glideError, this.configuration.addresses?.[0]);
        this.#notify();
        throw this.#failure;
      },
    );
    return this.#creation;
  }

  /** Calls `listener` once creation succeeded or failed; returns a function that stops it. */
  onSettled(listener: () => void): () => void {
    const entry = () => listener();
    this.#settled.add(entry);
    return () => this.#settled.delete(entry);
  }

  /** Closes the client now, or as soon as it is created; later calls reject. Never throws. */
  close(): void {
    this.#closed = true;
    try {
      this.#client?.close();
    } catch {
      // Already closed.
    }
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#settled]) {
      try {
        listener();
      } catch {
        // A listener's failure must not break creation.
      }
    }
  }
}
