/**
 * A generic Debug Adapter Protocol client over any byte stream pair (a child's stdio, a socket):
 * request/response correlation, per-request timeouts, typed events and reverse requests.
 */
import type { Readable, Writable } from 'node:stream';
import { RunnerError } from '../adapter.js';
import { encodeMessage, MessageDecoder } from './framing.js';
import type { DapCommand, DapEvent, DapEventName, DapEvents, DapRequest, DapRequests, DapResponse, ErrorResponseBody } from './protocol.js';

/** Default time an adapter gets to answer a request. */
export const DEFAULT_DAP_TIMEOUT_MS = 10_000;

/** A request failed: the adapter answered `success: false` (the response is kept for callers). */
export class DapRequestError extends RunnerError {
  constructor(
    readonly command: string,
    readonly response: DapResponse,
  ) {
    super('RUNNER_ERROR', errorMessage(response));
    this.name = 'DapRequestError';
  }
}

/** What to answer a reverse request (a request the adapter sends to us) with. */
export interface ReverseResponse {
  success: boolean;
  message?: string;
  body?: unknown;
}

/** Answers one reverse request. */
export type ReverseRequestHandler = (request: DapRequest) => ReverseResponse | Promise<ReverseResponse>;

/** Options of a {@link DapClient}. */
export interface DapClientOptions {
  /** Default per-request timeout; 0 disables it. */
  timeoutMs?: number;
  /** Answers reverse requests; default: {@link refuseReverseRequest}. */
  onReverseRequest?: ReverseRequestHandler;
  /** Every message in and out, for debugging. */
  trace?: (direction: 'in' | 'out', message: unknown) => void;
}

/** Options of one request. */
export interface RequestOptions {
  /** Overrides the client's default timeout; 0 disables it. */
  timeoutMs?: number;
}

interface Pending {
  command: string;
  resolve(response: DapResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

type Listener = (body: never) => void;

/**
 * The default answer to reverse requests. This client never lets an adapter hand work back to it:
 * the server owns the debuggee's life and runs one session per adapter.
 */
export function refuseReverseRequest(request: DapRequest): ReverseResponse {
  switch (request.command) {
    case 'runInTerminal':
      return {
        success: false,
        message:
          'runInTerminal is not supported: the debug server runs programs itself and has no terminal (use console "internalConsole")',
      };
    case 'startDebugging':
      return { success: false, message: 'startDebugging is not supported: this client runs one debug session per adapter' };
    default:
      return { success: false, message: `Unsupported reverse request: ${request.command}` };
  }
}

/**
 * One DAP connection. Requests resolve with the response body, or reject with
 * {@link DapRequestError} (adapter said no), RunnerError('TIMEOUT') or, when the connection ends,
 * RunnerError('RUNNER_ERROR'): no request is ever left hanging.
 */
export class DapClient {
  private readonly decoder = new MessageDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private nextSeq = 1;
  private closedReason: string | undefined;
  private readonly timeoutMs: number;
  private readonly onReverseRequest: ReverseRequestHandler;

  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
    private readonly options: DapClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DAP_TIMEOUT_MS;
    this.onReverseRequest = options.onReverseRequest ?? refuseReverseRequest;
    input.on('data', this.onData);
    input.on('end', this.onEnd);
    input.on('close', this.onEnd);
    input.on('error', this.onStreamError);
    output.on('error', this.onStreamError);
  }

  /** True once the connection ended (every later request rejects at once). */
  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Sends a request; resolves with the response body. */
  async request<C extends DapCommand>(
    command: C,
    args: DapRequests[C]['args'],
    options: RequestOptions = {},
  ): Promise<DapRequests[C]['body']> {
    const response = await this.send(command, args, options);
    return response.body;
  }

  /**
   * Sends a request and resolves with the whole response, failed or not (for callers that turn a
   * failure into a result, like evaluate). Still rejects on timeout and on a closed connection.
   */
  requestRaw<C extends DapCommand>(command: C, args: DapRequests[C]['args'], options: RequestOptions = {}): Promise<DapResponse> {
    return this.send(command, args, options, true);
  }

  on<K extends DapEventName>(event: K, listener: (body: DapEvents[K]) => void): void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
  }

  off<K extends DapEventName>(event: K, listener: (body: DapEvents[K]) => void): void {
    this.listeners.get(event)?.delete(listener);
  }

  /** Called once when the connection ends, with why. */
  onClose(listener: (reason: string) => void): void {
    if (this.closedReason !== undefined) listener(this.closedReason);
    else this.closeListeners.add(listener);
  }

  /** Ends the connection: rejects every pending request, stops reading. Idempotent. */
  close(reason = 'The DAP connection was closed'): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.input.off('data', this.onData);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new RunnerError('RUNNER_ERROR', `${p.command}: ${reason}`));
    }
    for (const listener of [...this.closeListeners]) safeCall(() => listener(reason));
    this.closeListeners.clear();
  }

  // ---- internals --------------------------------------------------------------------------------

  private send(command: string, args: unknown, options: RequestOptions, raw = false): Promise<DapResponse> {
    return new Promise<DapResponse>((resolve, reject) => {
      if (this.closedReason !== undefined) {
        reject(new RunnerError('RUNNER_ERROR', `${command}: ${this.closedReason}`));
        return;
      }
      const seq = this.nextSeq++;
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      const entry: Pending = {
        command,
        resolve: (response) => {
          if (response.success || raw) resolve(response);
          else reject(new DapRequestError(command, response));
        },
        reject,
        timer: undefined,
      };
      if (timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          // A late response finds no entry and is dropped.
          this.pending.delete(seq);
          reject(new RunnerError('TIMEOUT', `The debug adapter did not answer ${command} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(seq, entry);
      this.write({ seq, type: 'request', command, arguments: args });
    });
  }

  private write(message: { seq: number; type: string } & Record<string, unknown>): void {
    this.options.trace?.('out', message);
    if (this.output.destroyed || this.output.writableEnded) {
      this.close('The debug adapter connection is closed');
      return;
    }
    this.output.write(encodeMessage(message));
  }

  private readonly onData = (chunk: Buffer | string): void => {
    let messages: unknown[];
    try {
      messages = this.decoder.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    } catch (error) {
      this.close(`The debug adapter sent malformed data: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const message of messages) this.dispatch(message);
  };

  private readonly onEnd = (): void => {
    this.close('The debug adapter went away');
  };

  private readonly onStreamError = (error: Error): void => {
    this.close(`The debug adapter connection failed: ${error.message}`);
  };

  private dispatch(message: unknown): void {
    if (this.closedReason !== undefined) return;
    if (typeof message !== 'object' || message === null) return;
    this.options.trace?.('in', message);
    const type = (message as { type?: unknown }).type;
    if (type === 'response') this.onResponse(message as DapResponse);
    else if (type === 'event') this.onEvent(message as DapEvent);
    else if (type === 'request') void this.onRequest(message as DapRequest);
  }

  private onResponse(response: DapResponse): void {
    const entry = this.pending.get(response.request_seq);
    if (!entry) return; // Timed out already, or not ours.
    this.pending.delete(response.request_seq);
    if (entry.timer) clearTimeout(entry.timer);
    entry.resolve(response);
  }

  private onEvent(event: DapEvent): void {
    const set = this.listeners.get(event.event);
    if (!set) return;
    for (const listener of [...set]) safeCall(() => (listener as (body: unknown) => void)(event.body));
  }

  private async onRequest(request: DapRequest): Promise<void> {
    let answer: ReverseResponse;
    try {
      answer = await this.onReverseRequest(request);
    } catch (error) {
      answer = { success: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (this.closedReason !== undefined) return;
    this.write({
      seq: this.nextSeq++,
      type: 'response',
      request_seq: request.seq,
      command: request.command,
      success: answer.success,
      ...(answer.message !== undefined ? { message: answer.message } : {}),
      ...(answer.body !== undefined ? { body: answer.body } : {}),
    });
  }
}

/** Text of a failed response: the structured error (placeholders filled in), else `message`. */
export function errorMessage(response: DapResponse): string {
  const error = (response.body as ErrorResponseBody | undefined)?.error;
  if (error?.format) {
    const variables = error.variables ?? {};
    return error.format.replace(/\{([^}]+)\}/g, (whole, name: string) => (name in variables ? String(variables[name]) : whole));
  }
  return response.message || `${response.command} failed`;
}

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch {
    /* a listener's bug must not break the connection */
  }
}
