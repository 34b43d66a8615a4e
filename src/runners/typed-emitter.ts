/** A minimal event emitter typed by an event map, isolating the emitter from faulty listeners. */
export class TypedEmitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(event: K, listener: (event: Events[K]) => void): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  off<K extends keyof Events>(event: K, listener: (event: Events[K]) => void): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Calls every listener; a listener that throws is skipped, never breaks the emitter. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (event: Events[K]) => void)(payload);
      } catch {
        /* a listener's bug is not the runner's problem */
      }
    }
  }
}
