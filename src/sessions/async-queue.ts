/**
 * A single-consumer async queue exposed as an async iterator.
 *
 * Producers `push` without ever blocking; the consumer pulls at its own pace. `end()` lets the
 * consumer drain what is queued and then completes; `return()` (a client that went away) drops
 * everything at once and runs `onReturn` so the producer side can forget this queue.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  /** Taken items are cleared to undefined until the array is compacted. */
  #items: Array<T | undefined> = [];
  #head = 0;
  #waiter: ((result: IteratorResult<T>) => void) | undefined;
  #ended = false;
  #returned = false;
  readonly #onReturn: (() => void) | undefined;

  constructor(onReturn?: () => void) {
    this.#onReturn = onReturn;
  }

  /** Items waiting for the consumer. */
  get length(): number {
    return this.#items.length - this.#head;
  }

  get closed(): boolean {
    return this.#ended || this.#returned;
  }

  push(item: T): void {
    if (this.closed) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter({ value: item, done: false });
      return;
    }
    this.#items.push(item);
  }

  /** Removes and returns the oldest queued item (for producers that drop under pressure). */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#advance();
    return item;
  }

  /** Peeks at the newest queued item (for producers that merge into it). */
  last(): T | undefined {
    return this.length === 0 ? undefined : this.#items[this.#items.length - 1];
  }

  /** No more items will come: the consumer drains what is queued, then completes. */
  end(): void {
    if (this.closed) return;
    this.#ended = true;
    if (this.length === 0) this.#finish();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.length > 0) {
      const value = this.#items[this.#head] as T;
      this.#advance();
      if (this.#ended && this.length === 0) queueMicrotask(() => this.#finish());
      return Promise.resolve({ value, done: false });
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.#returned) {
      this.#returned = true;
      this.#items = [];
      this.#head = 0;
      this.#finish();
      this.#onReturn?.();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  #advance(): void {
    // Let the taken item go now: a dead prefix of up to a thousand items (log batches holding
    // their texts) would otherwise stay reachable until the next compaction.
    this.#items[this.#head] = undefined;
    this.#head++;
    // Compact now and then so a long-lived queue does not keep a growing dead prefix.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  #finish(): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ value: undefined, done: true });
    if (!this.#returned) {
      this.#onReturn?.();
    }
  }
}
