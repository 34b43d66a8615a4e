/** DAP base-protocol framing: split, merged and multi-byte frames. */
import { describe, expect, it } from 'vitest';
import { encodeMessage, FramingError, MAX_BODY_BYTES, MessageDecoder } from '../../src/runners/dap/framing.js';

const frame = (body: string): Buffer =>
  Buffer.concat([Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`), Buffer.from(body)]);

describe('DAP framing', () => {
  it('encodes Content-Length in bytes, not characters', () => {
    const message = { seq: 1, type: 'event', event: 'output', body: { output: 'héllo ✓ 🐍' } };
    const encoded = encodeMessage(message);
    const text = encoded.toString('utf8');
    const [header, body] = text.split('\r\n\r\n') as [string, string];
    expect(header).toBe(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    expect(new MessageDecoder().push(encoded)).toEqual([message]);
  });

  it('decodes several messages from one chunk', () => {
    const chunk = Buffer.concat([frame('{"seq":1}'), frame('{"seq":2}'), frame('{"seq":3}')]);
    expect(new MessageDecoder().push(chunk)).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
  });

  it('decodes a stream split at every byte, including inside headers and characters', () => {
    const messages = [
      { seq: 1, text: 'ascii' },
      { seq: 2, text: 'ünïcödé 🐍 → ✓' },
      { seq: 3, text: '' },
    ];
    const bytes = Buffer.concat(messages.map(encodeMessage));
    const decoder = new MessageDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...decoder.push(bytes.subarray(i, i + 1)));
    expect(out).toEqual(messages);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('decodes chunks that end mid-body and start mid-header', () => {
    const bytes = Buffer.concat([frame('{"a":"ééé"}'), frame('{"b":2}')]);
    const decoder = new MessageDecoder();
    const cut1 = bytes.indexOf('é') + 1; // Inside the two bytes of "é".
    const cut2 = bytes.indexOf('Content', 5) + 3; // Inside the second header.
    expect(decoder.push(bytes.subarray(0, cut1))).toEqual([]);
    expect(decoder.push(bytes.subarray(cut1, cut2))).toEqual([{ a: 'ééé' }]);
    expect(decoder.push(bytes.subarray(cut2))).toEqual([{ b: 2 }]);
  });

  it('ignores other header fields and header case', () => {
    const body = '{"ok":true}';
    const chunk = Buffer.from(`content-length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`);
    expect(new MessageDecoder().push(chunk)).toEqual([{ ok: true }]);
  });

  it('rejects malformed input', () => {
    expect(() => new MessageDecoder().push(Buffer.from('Content-Length: x\r\n\r\n'))).toThrow(FramingError);
    expect(() => new MessageDecoder().push(Buffer.from('Foo: 1\r\n\r\n'))).toThrow(FramingError);
    expect(() => new MessageDecoder().push(frame('{nope'))).toThrow(FramingError);
    expect(() => new MessageDecoder().push(Buffer.alloc(10_000, 'a'))).toThrow(FramingError);
  });

  it('refuses a message announcing more than it accepts, before buffering it', () => {
    const decoder = new MessageDecoder();
    expect(() => decoder.push(Buffer.from(`Content-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n{`))).toThrow(/over the/);
  });
});
