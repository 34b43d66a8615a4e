import { describe, expect, it } from 'vitest';
import { negotiate } from '../../src/http/log-stream.js';

describe('GET /sessions/:id/logs content negotiation', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['*/*', 'json'],
    ['application/json', 'json'],
    ['text/event-stream', 'sse'],
    ['text/plain', 'text'],
    ['application/x-ndjson', 'ndjson'],
    ['text/html, text/plain;q=0.5, application/json;q=0.9', 'json'],
    ['text/event-stream;q=0, text/plain', 'text'],
  ])('Accept %j → %s', (accept, format) => {
    expect(negotiate(accept)).toBe(format);
  });

  it.each(['text/html', 'image/png', 'text/event-stream;q=0'])('Accept %j → 406', (accept) => {
    expect(negotiate(accept)).toBeUndefined();
  });
});
