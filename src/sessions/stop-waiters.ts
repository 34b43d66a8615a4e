/** A wait for the next stop: resolves at it, or when cancelled, or after the timeout. */
export interface StopWait {
  promise: Promise<void>;
  cancel: () => void;
}

/** Callers waiting for the program's next stop (step, pause); all answer at once. */
export class StopWaiters {
  readonly #waiters = new Set<() => void>();

  /** Resolves at the next {@link releaseAll}, on `cancel`, or after `timeoutMs`. */
  next(timeoutMs: number): StopWait {
    let cancel = (): void => {};
    const promise = new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
      cancel = done;
    });
    return { promise, cancel };
  }

  /** The stop came, or the run ended: everyone waiting answers. */
  releaseAll(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
