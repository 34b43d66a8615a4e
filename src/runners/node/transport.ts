/**
 * Message transport under the CDP client. The JSON-RPC layer ({@link CdpConnection}) only needs
 * "send a text frame / receive text frames / closed", so the WebSocket lives here alone and can
 * be swapped (e.g. for a pipe transport) without touching the protocol code.
 */
import WebSocket from 'ws';
import { RunnerError } from '../adapter.js';

/** A bidirectional, message-oriented text channel. */
export interface CdpTransport {
  /** Sends one message. Throws if the transport is closed. */
  send(message: string): void;
  /** Registers the handler for incoming messages (one handler; a later call replaces it). */
  onMessage(handler: (message: string) => void): void;
  /** Registers the handler called once when the channel closes, for whatever reason. */
  onClose(handler: (error?: Error) => void): void;
  /** Closes the channel; resolves once it is closed. Idempotent. */
  close(): Promise<void>;
}

/** Options for {@link connectWebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** Give up connecting after this many milliseconds (default 5000). */
  timeoutMs?: number;
}

/** How long a graceful close handshake may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

/**
 * Opens a WebSocket to a V8 inspector endpoint (`ws://127.0.0.1:port/uuid`).
 * Rejects with RunnerError('TIMEOUT') or ('RUNNER_ERROR') if the socket cannot be opened.
 */
export function connectWebSocketTransport(url: string, options: WebSocketTransportOptions = {}): Promise<CdpTransport> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<CdpTransport>((resolve, reject) => {
    // The inspector does not negotiate compression; CDP messages can be large (big previews).
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: 256 * 1024 * 1024 });
    // Request/response pairs are small and latency-bound: disable Nagle on our side.
    ws.on('upgrade', (response) => response.socket.setNoDelay(true));
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new RunnerError('TIMEOUT', `Timed out connecting to the inspector at ${url}`));
    }, timeoutMs);
    const onError = (error: Error): void => {
      clearTimeout(timer);
      ws.terminate();
      reject(new RunnerError('RUNNER_ERROR', `Cannot connect to the inspector at ${url}: ${error.message}`, { cause: error }));
    };
    ws.once('error', onError);
    ws.once('open', () => {
      clearTimeout(timer);
      ws.off('error', onError);
      resolve(new WebSocketTransport(ws));
    });
  });
}

class WebSocketTransport implements CdpTransport {
  private messageHandler: (message: string) => void = () => {};
  private closeHandler: (error?: Error) => void = () => {};
  private closed = false;
  private lastError: Error | undefined;
  private readonly closedPromise: Promise<void>;

  constructor(private readonly ws: WebSocket) {
    this.closedPromise = new Promise((resolve) => {
      ws.on('close', () => {
        this.closed = true;
        resolve();
        this.closeHandler(this.lastError);
      });
    });
    // Errors are always followed by 'close'; remember the cause for the close handler.
    ws.on('error', (error) => {
      this.lastError = error;
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.messageHandler(
        Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8'),
      );
    });
  }

  send(message: string): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) throw new RunnerError('RUNNER_ERROR', 'Inspector connection is closed');
    this.ws.send(message);
  }

  onMessage(handler: (message: string) => void): void {
    this.messageHandler = handler;
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
    if (this.closed) handler(this.lastError);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
      // A dead peer never answers the close frame: don't wait for it forever.
      const timer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      await this.closedPromise;
      clearTimeout(timer);
    }
  }
}
