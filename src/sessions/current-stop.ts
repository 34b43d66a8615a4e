import { SessionError } from './errors.js';
import type { StopInfo, VariableSnapshot } from './types.js';

/** A stop the program left, kept to go back to if the debugger refuses the resume. */
interface LeftStop {
  id: number;
  info: StopInfo;
  snapshot: Promise<VariableSnapshot | undefined> | undefined;
  /** The stop number right after leaving; anything since (a new stop) forbids going back. */
  leftAt: number;
}

/**
 * Where the program is stopped, if it is, and the opaque ids handed out for that stop.
 *
 * Every stop gets a number, and so does every move away from one; frame ids and variable
 * references carry it (`<stop>:<id>`), so one handed out before the program moved is refused.
 */
export class CurrentStop {
  #id = 0;
  #info: StopInfo | undefined;
  #snapshot: Promise<VariableSnapshot | undefined> | undefined;
  #left: LeftStop | undefined;
  #published: { id: number; snapshot: VariableSnapshot } | undefined;

  /** The current stop number (changes at every stop and every resume). */
  get id(): number {
    return this.#id;
  }
  /** Where and why the program is stopped; undefined until the stop is announced. */
  get info(): StopInfo | undefined {
    return this.#info;
  }
  /** The stop's snapshot, being built or built; undefined when not stopped. */
  get snapshot(): Promise<VariableSnapshot | undefined> | undefined {
    return this.#snapshot;
  }

  /** A stop was reported: a new number; its info comes once its top frame is known. */
  begin(snapshot: (id: number) => Promise<VariableSnapshot | undefined>): number {
    const id = ++this.#id;
    this.#snapshot = snapshot(id);
    return id;
  }

  /** The stop `id` is announced with `info`. */
  announce(info: StopInfo): void {
    this.#info = info;
  }

  /** Records that `snapshot` was sent to subscribers for stop `id`. */
  published(id: number, snapshot: VariableSnapshot): void {
    this.#published = { id, snapshot };
  }

  /** The current stop's snapshot if it was already sent to subscribers. */
  get publishedSnapshot(): VariableSnapshot | undefined {
    return this.#published?.id === this.#id ? this.#published.snapshot : undefined;
  }

  /** Forgets the stop; ids handed out for it expire with it. */
  clear(): void {
    this.#id++;
    this.#info = undefined;
    this.#snapshot = undefined;
  }

  /** The program is resuming: forgets the stop, keeping it to {@link restore}. */
  leave(): void {
    const info = this.#info;
    const left = info ? { id: this.#id, info, snapshot: this.#snapshot } : undefined;
    this.clear();
    this.#left = left && { ...left, leftAt: this.#id };
  }

  /** The debugger refused the resume: back to the stop left, unless a new one came since. True if it did. */
  restore(): boolean {
    const left = this.#left;
    if (!left || this.#id !== left.leftAt) return false;
    this.#id = left.id;
    this.#info = left.info;
    this.#snapshot = left.snapshot;
    return true;
  }

  /** The API's opaque id for a runner reference of this stop (none for 0). */
  encodeRef(ref: number): string | undefined {
    return ref > 0 ? `${this.#id}:${ref}` : undefined;
  }

  /** The runner reference in an opaque id; BAD_USER_INPUT if malformed, INVALID_STATE if from an earlier stop. */
  decodeRef(value: string, what: string): number {
    const match = /^(\d+):(\d+)$/.exec(value);
    if (!match) throw new SessionError('BAD_USER_INPUT', `malformed ${what} id "${value}"`);
    if (Number(match[1]) !== this.#id) {
      throw new SessionError('INVALID_STATE', `${what} id "${value}" has expired: the program resumed since`);
    }
    return Number(match[2]);
  }
}
