import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';

/**
 * A value that is already JSON text. Put in a GraphQL result sent over graphql-ws, its text goes
 * on the wire as is: a log batch is serialized once, not rebuilt and re-stringified per message.
 * Only for transports that install {@link rawJsonReplacer} and {@link spliceRawJson}.
 */
export class RawJson {
  constructor(readonly json: string) {}
}

// A per-process nonce: no client can guess it, so no client-chosen text can collide with it.
const MARK = `\u0001raw-json:${randomUUID()}`;
const QUOTED_MARK = JSON.stringify(MARK);
/** Raw texts that the last `JSON.stringify` left marks for, in order. */
let stashed: string[] = [];

/**
 * A `JSON.stringify` replacer (graphql-ws's `jsonMessageReplacer`) that leaves a mark where a
 * {@link RawJson} is; {@link spliceRawJson} then puts the text there. Node 20 has no
 * `JSON.rawJSON`, which would do this natively.
 */
export function rawJsonReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof RawJson)) return value;
  // A message that is stringified but then not sent (its socket closed) must not leave its text
  // to the next one: the stash only lives for the synchronous stringify-then-send step.
  if (stashed.length === 0) queueMicrotask(() => (stashed = []));
  stashed.push(value.json);
  return MARK;
}

/** Puts the stashed raw texts in place of their marks in a message `JSON.stringify` just made. */
export function spliceRawJson(message: string): string {
  if (stashed.length === 0) return message;
  const texts = stashed;
  stashed = [];
  let out = '';
  let from = 0;
  for (const text of texts) {
    const at = message.indexOf(QUOTED_MARK, from);
    if (at === -1) break;
    out += message.slice(from, at) + text;
    from = at + QUOTED_MARK.length;
  }
  return out + message.slice(from);
}

/**
 * Makes a socket splice raw JSON into every text it sends. graphql-ws stringifies a message and
 * hands it to `socket.send` in the same synchronous step, so the stash always belongs to it.
 */
export function sendWithRawJson(socket: WebSocket): void {
  const send = socket.send.bind(socket) as (data: unknown, ...rest: unknown[]) => void;
  socket.send = ((data: unknown, ...rest: unknown[]) =>
    send(typeof data === 'string' ? spliceRawJson(data) : data, ...rest)) as WebSocket['send'];
}

const ACCEPTS_RAW_JSON = Symbol('accepts RawJson');

/** Marks an operation's root value: its transport splices {@link RawJson} (see graphql-ws.ts). */
export function markRawJsonTransport<T extends object>(rootValue: T): T {
  Object.defineProperty(rootValue, ACCEPTS_RAW_JSON, { value: true });
  return rootValue;
}

/** True when the operation runs over a transport that splices {@link RawJson}. */
export function acceptsRawJson(rootValue: unknown): boolean {
  return typeof rootValue === 'object' && rootValue !== null && ACCEPTS_RAW_JSON in rootValue;
}
