/**
 * What the server tells Prometheus (`GET /metrics`): sessions, debuggee processes, subscribers,
 * connections, log lines, command latency, runner errors and refused requests, plus prom-client's
 * process metrics. prom-client is the Prometheus project's own Node client: the exposition format,
 * histograms and process metrics are its job, not ours.
 *
 * One registry per server (not prom-client's global one): tests and embedders run several servers
 * in one process.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SessionObserver } from '../sessions/observer.js';
import type { LogMeter } from '../logs/log-tail.js';

/** How a client reached the server. */
export type Transport = 'http' | 'graphql-sse' | 'http-multipart' | 'graphql-ws' | 'rest' | 'ws-debug' | 'ws-logs';

/** The streams a client can subscribe to. */
export type Stream = 'logs' | 'events' | 'snapshots';

/** Why a request was refused before it did any work. */
export type RefusalReason =
  | 'host'
  | 'content_length_required'
  | 'body_too_large'
  | 'frame_too_large'
  | 'tokens'
  | 'aliases'
  | 'depth'
  | 'create_sessions_per_operation'
  | 'subscriptions_per_socket'
  | 'commands_per_socket'
  | 'sessions_per_owner'
  | 'sessions_total';

/** A view of the live sessions, read at scrape time. */
export interface SessionCensus {
  /** Every session: its runtime and state, and whether a debuggee process is running for it. */
  sessions(): Iterable<{ runtime: string; state: string; live: boolean }>;
}

const PREFIX = 'debug_server_';

/** The server's metrics, and the small hooks the rest of the server calls to feed them. */
export class ApiMetrics implements SessionObserver {
  readonly registry = new Registry();
  readonly #created: Counter<'runtime'>;
  readonly #ended: Counter<'runtime' | 'state'>;
  readonly #subscribers: Gauge<'stream' | 'transport'>;
  readonly #connections: Gauge<'endpoint'>;
  readonly #linesRead: Counter<'runtime'>;
  readonly #linesDelivered: Counter<'transport'>;
  readonly #linesLost: Counter<'transport'>;
  readonly #commandSeconds: Histogram<'command' | 'runtime' | 'transport' | 'outcome'>;
  readonly #runnerErrors: Counter<'runtime' | 'code'>;
  readonly #refusals: Counter<'reason'>;

  constructor(census: SessionCensus) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    new Gauge({
      name: `${PREFIX}sessions`,
      help: 'Sessions in memory, by runtime and state.',
      labelNames: ['runtime', 'state'],
      registers,
      collect() {
        this.reset();
        for (const s of census.sessions()) this.inc({ runtime: s.runtime, state: s.state });
      },
    });
    new Gauge({
      name: `${PREFIX}debuggee_processes`,
      help: 'Sessions whose program is running or starting (each has a debuggee process tree).',
      labelNames: ['runtime'],
      registers,
      collect() {
        this.reset();
        for (const s of census.sessions()) if (s.live) this.inc({ runtime: s.runtime });
      },
    });
    this.#created = new Counter({
      name: `${PREFIX}sessions_created_total`,
      help: 'Sessions created, by runtime.',
      labelNames: ['runtime'],
      registers,
    });
    this.#ended = new Counter({
      name: `${PREFIX}sessions_ended_total`,
      help: 'Runs that reached an end state (EXITED, FAILED, TERMINATED), by runtime and state; a restarted session counts again.',
      labelNames: ['runtime', 'state'],
      registers,
    });
    this.#subscribers = new Gauge({
      name: `${PREFIX}subscribers`,
      help: 'Open subscriptions, by stream and transport.',
      labelNames: ['stream', 'transport'],
      registers,
    });
    this.#connections = new Gauge({
      name: `${PREFIX}websocket_connections`,
      help: 'Open WebSocket connections, by endpoint.',
      labelNames: ['endpoint'],
      registers,
    });
    this.#linesRead = new Counter({
      name: `${PREFIX}log_lines_read_total`,
      help: "Lines read from debuggees' stdout and stderr (and the server's own SYSTEM lines), by runtime.",
      labelNames: ['runtime'],
      registers,
    });
    this.#linesDelivered = new Counter({
      name: `${PREFIX}log_lines_delivered_total`,
      help: 'Log lines sent to subscribers, by transport (a line sent to two subscribers counts twice).',
      labelNames: ['transport'],
      registers,
    });
    this.#linesLost = new Counter({
      name: `${PREFIX}log_lines_lost_total`,
      help: 'Log lines a subscriber missed because the buffer no longer held them, by transport.',
      labelNames: ['transport'],
      registers,
    });
    this.#commandSeconds = new Histogram({
      name: `${PREFIX}command_duration_seconds`,
      help: 'Time to answer a debugger command (step: until the next stop), by command, runtime, transport and outcome.',
      labelNames: ['command', 'runtime', 'transport', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#runnerErrors = new Counter({
      name: `${PREFIX}runner_errors_total`,
      help: 'Errors the debugger runners reported, by runtime and code.',
      labelNames: ['runtime', 'code'],
      registers,
    });
    this.#refusals = new Counter({
      name: `${PREFIX}request_refusals_total`,
      help: 'Requests, messages and operations refused by a limit before they did any work, by reason.',
      labelNames: ['reason'],
      registers,
    });
  }

  /** The exposition text and its content type. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  sessionCreated(runtime: string): void {
    this.#created.inc({ runtime });
  }

  sessionEnded(runtime: string, state: string): void {
    this.#ended.inc({ runtime, state });
  }

  linesRead(runtime: string, count: number): void {
    this.#linesRead.inc({ runtime }, count);
  }

  runnerError(runtime: string, code: string): void {
    this.#runnerErrors.inc({ runtime, code });
  }

  refused(reason: RefusalReason): void {
    this.#refusals.inc({ reason });
  }

  /** Counts an open WebSocket connection until the returned function is called. */
  connectionOpened(endpoint: string): () => void {
    this.#connections.inc({ endpoint });
    let open = true;
    return () => {
      if (open) this.#connections.dec({ endpoint });
      open = false;
    };
  }

  /** Counts a subscriber until the returned function is called (at most once). */
  subscriberOpened(stream: Stream, transport: Transport): () => void {
    this.#subscribers.inc({ stream, transport });
    let open = true;
    return () => {
      if (open) this.#subscribers.dec({ stream, transport });
      open = false;
    };
  }

  /** What a log reader on `transport` reports of the lines it delivers and misses. */
  logMeter(transport: Transport): LogMeter {
    return {
      delivered: (count) => this.#linesDelivered.inc({ transport }, count),
      lost: (count) => this.#linesLost.inc({ transport }, count),
    };
  }

  /** Runs a command and records how long it took, and whether it failed. */
  async timeCommand<T>(command: string, runtime: string, transport: Transport, run: () => Promise<T>): Promise<T> {
    const end = this.#commandSeconds.startTimer({ command, runtime, transport });
    try {
      const result = await run();
      end({ outcome: 'ok' });
      return result;
    } catch (err) {
      end({ outcome: 'error' });
      throw err;
    }
  }

  /**
   * Wraps a subscription's source so it counts as a subscriber from now until it ends: completed,
   * returned (the client left) or failed.
   */
  trackSubscriber<T>(stream: Stream, transport: Transport, source: AsyncIterator<T>): AsyncIterableIterator<T> {
    const close = this.subscriberOpened(stream, transport);
    return {
      async next() {
        try {
          const item = await source.next();
          if (item.done) close();
          return item;
        } catch (err) {
          close();
          throw err;
        }
      },
      async return() {
        close();
        return (await source.return?.()) ?? { value: undefined, done: true };
      },
      async throw(error?: unknown) {
        close();
        if (source.throw) return source.throw(error);
        throw error instanceof Error ? error : new Error(String(error));
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
