/**
 * JSON-RPC client for the Chrome DevTools Protocol over a {@link CdpTransport}: correlates
 * responses with requests by id, times requests out, and dispatches events.
 */
import { RunnerError } from '../adapter.js';
import type { CdpCommands, CdpEventName, CdpEvents, CdpMethod } from './cdp-types.js';
import type { CdpTransport } from './transport.js';

/** Default per-request timeout. Generous: a paused debuggee answers fast, a busy one may not. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** A CDP request the debuggee answered with an error object. */
export class CdpProtocolError extends RunnerError {
  constructor(
    readonly method: string,
    readonly protocolCode: number,
    readonly protocolMessage: string,
  ) {
    super('RUNNER_ERROR', `${method} failed: ${protocolMessage}`);
    this.name = 'CdpProtocolError';
  }
}

/** Options of one request. */
export interface SendOptions {
  /** Reject with RunnerError('TIMEOUT') after this many milliseconds. */
  timeoutMs?: number;
}

type EventHandler<E extends CdpEventName> = (params: CdpEvents[E]) => void;

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface WireMessage {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code?: number; message?: string };
}

/** A CDP session over one transport. */
export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Set<(params: never) => void>>();
  private readonly closeHandlers = new Set<(error?: Error) => void>();
  private isClosed = false;
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly transport: CdpTransport,
    private readonly defaultTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    transport.onMessage((text) => this.handleMessage(text));
    transport.onClose((error) => this.handleClose(error));
  }

  /** True once the transport closed. */
  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Sends a command; resolves with its result. Rejects with {@link CdpProtocolError} when the
   * debuggee answers with an error, RunnerError('TIMEOUT') on timeout, and
   * RunnerError('RUNNER_ERROR') when the connection is or gets closed.
   */
  send<M extends CdpMethod>(method: M, params: CdpCommands[M]['params'], options: SendOptions = {}): Promise<CdpCommands[M]['result']> {
    if (this.isClosed) return Promise.reject(new RunnerError('RUNNER_ERROR', `${method}: inspector connection is closed`));
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        if (this.pending.size === 0) this.wakeIdleWaiters();
        reject(new RunnerError('TIMEOUT', `${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      try {
        this.transport.send(JSON.stringify({ id, method, params }));
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error instanceof Error ? error : new RunnerError('RUNNER_ERROR', String(error)));
      }
    });
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends CdpEventName>(event: E, handler: EventHandler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Called once when the connection closes (immediately if it already has). */
  onClose(handler: (error?: Error) => void): void {
    if (this.isClosed) handler();
    else this.closeHandlers.add(handler);
  }

  /** Closes the connection; pending requests reject. Idempotent. */
  async close(): Promise<void> {
    await this.transport.close();
    this.handleClose();
  }

  /**
   * Closes the connection once every request in flight got its answer (or after `maxWaitMs`).
   * For when the peer is known to be done but may still owe responses.
   */
  async closeWhenIdle(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (this.pending.size > 0 && !this.isClosed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.idleWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.close();
  }

  private handleMessage(text: string): void {
    let message: WireMessage;
    try {
      message = JSON.parse(text) as WireMessage;
    } catch {
      return; // Not CDP; nothing sensible to do with it.
    }
    if (typeof message.id === 'number') {
      const pending = this.pending.get(message.id);
      if (!pending) return; // Timed out already.
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error)
        pending.reject(new CdpProtocolError(pending.method, message.error.code ?? 0, message.error.message ?? 'unknown error'));
      else pending.resolve(message.result ?? {});
      if (this.pending.size === 0) this.wakeIdleWaiters();
      return;
    }
    if (typeof message.method === 'string') {
      const set = this.handlers.get(message.method);
      if (!set) return;
      for (const handler of [...set]) {
        // One faulty subscriber must not starve the others (or kill the socket's event loop).
        try {
          handler((message.params ?? {}) as never);
        } catch {
          /* ignored on purpose */
        }
      }
    }
  }

  private handleClose(error?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new RunnerError('RUNNER_ERROR', `${pending.method}: inspector connection closed`, { cause: error }));
      this.pending.delete(id);
    }
    for (const handler of this.closeHandlers) {
      try {
        handler(error);
      } catch {
        /* ignored on purpose */
      }
    }
    this.closeHandlers.clear();
    this.wakeIdleWaiters();
  }

  private wakeIdleWaiters(): void {
    for (const wake of this.idleWaiters) wake();
    this.idleWaiters.clear();
  }
}
