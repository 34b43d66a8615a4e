/**
 * Small positive integer handles for debugger-side values (call frames, objects, scopes),
 * valid until the program resumes.
 */
export class HandleTable<T> {
  // Never reset: a stale handle from an earlier pause must not silently name a new value.
  private next = 1;
  private readonly values = new Map<number, T>();

  /** Stores a value; returns its handle (≥ 1). */
  add(value: T): number {
    const id = this.next++;
    this.values.set(id, value);
    return id;
  }

  get(id: number): T | undefined {
    return this.values.get(id);
  }

  /** Forgets every handle (the program resumed). */
  clear(): void {
    this.values.clear();
  }
}
