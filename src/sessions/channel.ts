import { AsyncQueue } from './async-queue.js';

/**
 * Fan-out of one stream of values to any number of subscribers.
 *
 * A value is published once and the same object is handed to every subscriber (payloads are
 * built once, not per subscriber). Each subscriber has its own queue, bounded by `maxQueued`:
 * past it the oldest values are dropped, so a stalled subscriber never holds memory without bound
 * nor slows the others.
 */
export class Channel<T> {
  readonly #subscribers = new Set<AsyncQueue<T>>();
  readonly #maxQueued: number;
  #closed = false;

  constructor(maxQueued = 1000) {
    this.#maxQueued = maxQueued;
  }

  /** Number of live subscribers. */
  get size(): number {
    return this.#subscribers.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  publish(value: T): void {
    for (const queue of this.#subscribers) {
      queue.push(value);
      if (queue.length > this.#maxQueued) queue.shift();
    }
  }

  /** A new subscriber; it sees values published from now on. Completes when the channel closes. */
  subscribe(): AsyncQueue<T> {
    const queue: AsyncQueue<T> = new AsyncQueue<T>(() => this.#subscribers.delete(queue));
    if (this.#closed) queue.end();
    else this.#subscribers.add(queue);
    return queue;
  }

  /** Completes every subscriber (after it drained its queue) and refuses new ones. */
  close(): void {
    this.#closed = true;
    for (const queue of [...this.#subscribers]) queue.end();
  }
}
