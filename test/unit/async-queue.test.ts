import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { AsyncQueue } from '../../src/sessions/async-queue.js';

/** A full GC, without starting Node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('AsyncQueue', () => {
  it('holds no item once it was taken or dropped', async () => {
    const queue = new AsyncQueue<{ payload: number[] }>();
    const refs: Array<WeakRef<object>> = [];
    // Fewer than the 1024 dead slots that would make the queue compact its array.
    for (let i = 0; i < 600; i++) {
      const item = { payload: [i] };
      refs.push(new WeakRef(item));
      queue.push(item);
    }
    for (let i = 0; i < 300; i++) queue.shift();
    for (let i = 0; i < 299; i++) await queue.next();
    // A WeakRef target stays alive until the end of the task that created or read it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(refs.slice(0, 599).filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(refs[599]!.deref()).toBeDefined();
    expect(queue.length).toBe(1);
  });

  it('delivers in order, then completes after end()', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    const waiting = [queue.next(), queue.next()];
    queue.push(2);
    queue.end();
    expect(await Promise.all(waiting)).toEqual([
      { value: 1, done: false },
      { value: 2, done: false },
    ]);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });
});
