import type { RunnerAdapter, RunnerEventMap, RunnerEventName } from '../../src/runners/adapter.js';

const EVENT_NAMES: RunnerEventName[] = ['stopped', 'continued', 'output', 'exited', 'terminated', 'breakpoint', 'thread'];

/**
 * Records every event of a runner, in order, so a test can wait for "the next `stopped`" without
 * racing the runner: events that came before the wait are found in the log.
 */
export class RunnerEventLog {
  readonly log: Array<{ name: RunnerEventName; body: unknown }> = [];
  private readonly cursors = new Map<RunnerEventName, number>();
  private readonly waiters = new Set<() => void>();

  /** @param onEvent called after each event is recorded (e.g. to note process ids). */
  constructor(
    runner: RunnerAdapter,
    private readonly defaultTimeoutMs = 10_000,
    onEvent: () => void = () => undefined,
  ) {
    for (const name of EVENT_NAMES) {
      runner.on(name, (body) => {
        this.log.push({ name, body });
        onEvent();
        for (const wake of [...this.waiters]) wake();
      });
    }
  }

  events<K extends RunnerEventName>(name: K): Array<RunnerEventMap[K]> {
    return this.log.filter((e) => e.name === name).map((e) => e.body as RunnerEventMap[K]);
  }

  /** The next not-yet-consumed event of that name (optionally the next matching one). */
  next<K extends RunnerEventName>(
    name: K,
    match: (event: RunnerEventMap[K]) => boolean = () => true,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<RunnerEventMap[K]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const list = this.events(name);
        for (let i = this.cursors.get(name) ?? 0; i < list.length; i++) {
          const event = list[i] as RunnerEventMap[K];
          if (match(event)) {
            this.cursors.set(name, i + 1);
            resolve(event);
            return true;
          }
        }
        return false;
      };
      if (check()) return;
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`timed out waiting for ${name}; events: ${JSON.stringify(this.log.map((e) => e.name))}`));
      }, timeoutMs);
      const wake = (): void => {
        if (check()) {
          clearTimeout(timer);
          this.waiters.delete(wake);
        }
      };
      this.waiters.add(wake);
    });
  }

  /** Everything the runner emitted on one output category, joined. */
  output(category: 'stdout' | 'stderr' | 'console'): string {
    return this.events('output')
      .filter((e) => e.category === category)
      .map((e) => e.output)
      .join('');
  }
}
