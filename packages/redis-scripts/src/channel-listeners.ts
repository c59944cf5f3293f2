/** How a {@link ChannelListeners} registry talks to its pub/sub connection. */
export interface ChannelTransport {
  /** Subscribe to `channels`; resolve once the server acknowledged. */
  subscribe(channels: readonly string[]): Promise<void>;
  /** Unsubscribe from `channels`. */
  unsubscribe(channels: readonly string[]): Promise<void>;
}

type MessageListener = (message: string) => void;

interface ChannelEntry {
  readonly listeners: Set<MessageListener>;
  /** Settles when the server acknowledged the subscription. */
  subscribed: Promise<void>;
}

/**
 * Reference-counted pub/sub subscriptions over one connection: the first
 * listener of a channel subscribes, the last one to leave unsubscribes, and
 * every message is handed to the channel's current listeners.
 *
 * The adapter owns the connection and calls {@link dispatch} from its
 * message handler.
 */
export class ChannelListeners {
  readonly #transport: ChannelTransport;
  readonly #channels = new Map<string, ChannelEntry>();

  constructor(transport: ChannelTransport) {
    this.#transport = transport;
  }

  /** Channels with at least one listener. */
  get channels(): string[] {
    return [...this.#channels.keys()];
  }

  /**
   * Adds `listener` to each of `channels`. Resolves once every channel is
   * subscribed on the server, with a function that removes the listener
   * again (idempotent; it never rejects, since a failed UNSUBSCRIBE on a
   * broken connection only leaves a channel nobody listens to).
   *
   * If `signal` aborted meanwhile (the caller gave up waiting), the listener
   * is removed again once the subscription settles, so nothing leaks.
   */
  async add(
    channels: readonly string[],
    listener: MessageListener,
    signal?: AbortSignal,
  ): Promise<() => Promise<void>> {
    const unique = [...new Set(channels)];
    const fresh: string[] = [];
    const waits: Promise<void>[] = [];
    for (const channel of unique) {
      const entry = this.#channels.get(channel);
      if (entry) {
        entry.listeners.add(listener);
        waits.push(entry.subscribed);
      } else {
        this.#channels.set(channel, {
          listeners: new Set([listener]),
          subscribed: Promise.resolve(),
        });
        fresh.push(channel);
      }
    }
    if (fresh.length > 0) {
      const subscribed = this.#transport.subscribe(fresh);
      for (const channel of fresh) this.#channels.get(channel)!.subscribed = subscribed;
      // Forget channels whose SUBSCRIBE failed, so the next watcher tries again.
      subscribed.catch(() => {
        for (const channel of fresh) {
          if (this.#channels.get(channel)?.subscribed === subscribed)
            this.#channels.delete(channel);
        }
      });
      waits.push(subscribed);
    }

    let removed = false;
    const remove = async () => {
      if (removed) return;
      removed = true;
      const emptied: string[] = [];
      for (const channel of unique) {
        const entry = this.#channels.get(channel);
        if (!entry?.listeners.delete(listener) || entry.listeners.size > 0) continue;
        this.#channels.delete(channel);
        emptied.push(channel);
      }
      if (emptied.length > 0) await this.#transport.unsubscribe(emptied).catch(() => undefined);
    };

    try {
      await Promise.all(waits);
    } catch (error) {
      await remove();
      throw error;
    }
    if (signal?.aborted) {
      await remove();
      throw signal.reason;
    }
    return remove;
  }

  /** Hands `message` to every listener of `channel`; a listener that throws cannot disturb the others. */
  dispatch(channel: string, message: string): void {
    const entry = this.#channels.get(channel);
    if (!entry) return;
    for (const listener of [...entry.listeners]) {
      try {
        listener(message);
      } catch {
        // A listener's failure is its own business; it must not escape into
        // the client's event emitter, where it would crash the process.
      }
    }
  }

  /** Drops every listener without unsubscribing, e.g. because the connection is being closed. */
  clear(): void {
    this.#channels.clear();
  }
}
