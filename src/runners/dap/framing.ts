/**
 * DAP's base protocol framing: `Content-Length: N\r\n\r\n` followed by N bytes of UTF-8 JSON.
 * https://microsoft.github.io/debug-adapter-protocol/overview#base-protocol
 */

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
/** A header block longer than this without a terminator means the stream is not DAP. */
const MAX_HEADER_BYTES = 8192;
/**
 * Longest body accepted. The adapter shares its box with the debuggee, which could take it over:
 * a message announcing gigabytes must not make the server buffer them. Far above any real one.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The stream is not valid DAP framing (bad header, bad JSON). */
export class FramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FramingError';
  }
}

/** Encodes one message as a DAP frame. */
export function encodeMessage(message: unknown): Buffer {
  // Content-Length counts bytes, not UTF-16 code units: encode the body first.
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/**
 * Incremental decoder: feed it chunks as they arrive (split anywhere, even inside a header or a
 * multi-byte character, or several messages at once) and it returns every complete message.
 */
export class MessageDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  /** Body length of the message being read, once its header was parsed. */
  private bodyLength: number | undefined;

  /**
   * Appends a chunk and returns the messages it completed, in order.
   * Throws {@link FramingError} on a malformed header or body; the decoder is unusable after that.
   */
  push(chunk: Buffer): unknown[] {
    // Bodies are decoded only once complete, so a character split across chunks stays intact.
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const messages: unknown[] = [];
    for (;;) {
      if (this.bodyLength === undefined) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end === -1) {
          if (this.buffer.length > MAX_HEADER_BYTES) throw new FramingError('DAP header too long or missing terminator');
          break;
        }
        this.bodyLength = parseHeader(this.buffer.subarray(0, end).toString('ascii'));
        if (this.bodyLength > MAX_BODY_BYTES)
          throw new FramingError(`DAP message of ${this.bodyLength} bytes, over the ${MAX_BODY_BYTES} accepted`);
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
      }
      if (this.buffer.length < this.bodyLength) break;
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = undefined;
      try {
        messages.push(JSON.parse(body.toString('utf8')));
      } catch (error) {
        throw new FramingError(`Invalid JSON in DAP message: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return messages;
  }

  /** Bytes received but not yet part of a complete message. */
  get pendingBytes(): number {
    return this.buffer.length;
  }
}

/** Returns the Content-Length of a header block (other header fields are allowed and ignored). */
function parseHeader(header: string): number {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) throw new FramingError(`Invalid Content-Length: ${value}`);
    length = Number(value);
  }
  if (length === undefined) throw new FramingError(`DAP header without Content-Length: ${JSON.stringify(header)}`);
  return length;
}
