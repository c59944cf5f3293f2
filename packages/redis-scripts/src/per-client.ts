/**
 * One value per client object, made on first use and shared by every node
 * over that client; a client that is no longer referenced takes its value
 * with it (a `WeakMap`).
 */
export class PerClient<T> {
  readonly #values = new WeakMap<object, T>();

  /** The value of `client`, made by `create` the first time. */
  of(client: object, create: () => T): T {
    let value = this.#values.get(client);
    if (value === undefined) {
      value = create();
      this.#values.set(client, value);
    }
    return value;
  }
}
