/**
 * {@link CdpTransport} over a byte stream carrying one JSON message per line: the debuggee end is
 * inspector-relay.cjs, reached through a pipe inherited by the debuggee (see pipe-channel.ts).
 * JSON text never contains a raw line feed, so a line feed always ends a message.
 */
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { RunnerError } from '../adapter.js';
import type { CdpTransport } from './transport.js';

/** Wraps a connected stream; the transport owns it from now on (close() destroys it). */
export function pipeTransport(stream: Duplex): CdpTransport {
  return new PipeTransport(stream);
}

/**
 * Longest message accepted. The debuggee owns its end of the pipe (a program can write to fd 3):
 * an endless line must not grow the server without bound. Far above any real CDP message.
 */
export const MAX_MESSAGE_CHARS = 64 * 1024 * 1024;

/** The debuggee's end sent a message over {@link MAX_MESSAGE_CHARS}: the channel was dropped. */
export class MessageTooLong extends Error {
  /** As a box limit is named (e.g. in "process killed: inspector message limit 64 MiB"). */
  readonly limit = `inspector message limit ${MAX_MESSAGE_CHARS / 1024 / 1024} MiB`;
  constructor() {
    super(`The inspector channel sent a message over ${MAX_MESSAGE_CHARS} characters`);
    this.name = 'MessageTooLong';
  }
}

class PipeTransport implements CdpTransport {
  private messageHandler: (message: string) => void = () => {};
  private closeHandler: (error?: Error) => void = () => {};
  private closed = false;
  private lastError: Error | undefined;
  private readonly closedPromise: Promise<void>;
  private readonly decoder = new StringDecoder('utf8');
  /** Pieces of the line being received: a big message arrives in many chunks, joined once. */
  private partial: string[] = [];
  private partialChars = 0;

  constructor(private readonly stream: Duplex) {
    this.closedPromise = new Promise((resolve) => {
      stream.once('close', () => {
        this.closed = true;
        resolve();
        this.closeHandler(this.lastError);
      });
    });
    // Errors are followed by 'close' (autoDestroy); keep the cause for the close handler.
    stream.on('error', (error) => {
      this.lastError = error;
    });
    stream.on('data', (chunk: Buffer) => this.receive(this.decoder.write(chunk)));
    // The relay's end closing means the debuggee is gone: don't wait for our side to end too.
    stream.on('end', () => stream.destroy());
  }

  send(message: string): void {
    if (this.closed || this.stream.destroyed) throw new RunnerError('RUNNER_ERROR', 'Inspector connection is closed');
    this.stream.write(`${message}\n`);
  }

  onMessage(handler: (message: string) => void): void {
    this.messageHandler = handler;
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandler = handler;
    if (this.closed) handler(this.lastError);
  }

  async close(): Promise<void> {
    if (!this.closed) this.stream.destroy();
    await this.closedPromise;
  }

  private receive(text: string): void {
    if (this.closed || this.stream.destroyed) return;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.partial.push(text.slice(start, nl));
      const line = this.partial.join('');
      this.partial = [];
      this.partialChars = 0;
      start = nl + 1;
      if (line.length > MAX_MESSAGE_CHARS) return this.refuse();
      if (line) this.messageHandler(line);
    }
    if (start < text.length) {
      this.partial.push(text.slice(start));
      this.partialChars += text.length - start;
      if (this.partialChars > MAX_MESSAGE_CHARS) this.refuse();
    }
  }

  /** Drops the connection: what comes from the debuggee's end is not an inspector's. */
  private refuse(): void {
    this.partial = [];
    this.partialChars = 0;
    this.lastError = new MessageTooLong();
    this.stream.destroy();
  }
}
