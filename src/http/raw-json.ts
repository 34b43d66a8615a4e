import { randomUUID } from 'node:crypto';

/**
 * A value that is already JSON text. Put in a GraphQL result sent over graphql-ws, its text goes
 * on the wire as is: a log batch is serialized once, not rebuilt and re-stringified per message.
 * Only for transports that use a {@link rawJsonCodec}.
 */
export class RawJson {
  constructor(readonly json: string) {}
}

// A per-process nonce: no client can guess it, so no client-chosen text can collide with it.
const MARK = `\u0001raw-json:${randomUUID()}`;
const QUOTED_MARK = JSON.stringify(MARK);

/**
 * A `JSON.stringify` replacer (graphql-ws's `jsonMessageReplacer`) that leaves a mark where a
 * {@link RawJson} is, and the splice that puts the text there in the message the replacer's
 * stringify just made (Node 20 has no `JSON.rawJSON`, which would do this natively). One codec per
 * graphql-ws binding: its `send` splices, and graphql-ws stringifies a message and hands it to
 * `send` in the same synchronous step, so the texts kept belong to that message.
 */
export function rawJsonCodec(): { replacer: (key: string, value: unknown) => unknown; splice: (message: string) => string } {
  /** Raw texts the last stringify left marks for, in order. */
  let stashed: string[] = [];
  return {
    replacer(_key, value) {
      if (!(value instanceof RawJson)) return value;
      // A message stringified but then not sent (its socket closed) must not leave its text to
      // the next one: the texts only live for the synchronous stringify-then-send step.
      if (stashed.length === 0) queueMicrotask(() => (stashed = []));
      stashed.push(value.json);
      return MARK;
    },
    splice(message) {
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
    },
  };
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
