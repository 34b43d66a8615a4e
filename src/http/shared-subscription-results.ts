import {
  createSourceEventStream,
  executeSubscriptionEvent,
  validateSubscriptionArgs,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LogBatch } from '../logs/log-batch.js';
import { logLinesFastPath } from './log-lines-fast-path.js';
import { acceptsRawJson } from './raw-json.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Executes each subscription event once per distinct operation, not once per subscriber.
 *
 * Every subscriber of a session receives the same event object (a log batch, a snapshot, an
 * event), and our subscription payloads do not depend on who asks (authorization happens when
 * subscribing). So the result of running an operation (document + operation name + variables) on
 * an event is computed by the first subscriber and reused by the others: 1,000 watchers of one
 * session cost one execution per event. Relies on yoga's parser cache handing identical queries
 * the same DocumentNode.
 *
 * Over graphql-ws, a plain `logLines` selection skips execution altogether: each batch is written
 * as JSON once (see log-lines-fast-path.ts).
 */
export function useSharedSubscriptionResults(): Plugin {
  const documentIds = new WeakMap<DocumentNode, number>();
  let nextDocumentId = 0;
  const results = new WeakMap<object, Map<string, Result>>();

  const subscribe = async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const validated = validateSubscriptionArgs(args);
    if (!('schema' in validated)) return { errors: validated };
    const stream = await createSourceEventStream(validated);
    if (!(Symbol.asyncIterator in stream)) return stream;
    let documentId = documentIds.get(args.document);
    if (documentId === undefined) {
      documentId = nextDocumentId++;
      documentIds.set(args.document, documentId);
    }
    const encode = acceptsRawJson(args.rootValue) ? logLinesFastPath(validated) : undefined;
    // What the bytes depend on: the operation, and whether they are pre-encoded JSON (graphql-ws's
    // fast path) or an execution result (every other transport). Never one for the other.
    const encoding = encode ? 'raw-json' : 'result';
    const key = `${encoding}|${documentId}|${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}`;
    const run = encode
      ? (event: unknown) => encode(event as LogBatch)
      : (event: unknown) => executeSubscriptionEvent({ ...validated, rootValue: event });
    return new MappedIterator(stream[Symbol.asyncIterator](), (event) => {
      if (typeof event !== 'object' || event === null) return run(event);
      let byOperation = results.get(event);
      if (!byOperation) {
        byOperation = new Map();
        results.set(event, byOperation);
      }
      let result = byOperation.get(key);
      if (!result) {
        result = run(event);
        byOperation.set(key, result);
      }
      return result;
    });
  };

  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(subscribe as Parameters<typeof setSubscribeFn>[0]);
    },
  };
}

/** Maps an async iterator; `return()` reaches the source at once (no waiting for a next event). */
class MappedIterator<T, U> implements AsyncIterableIterator<U> {
  constructor(
    private readonly source: AsyncIterator<T>,
    private readonly map: (value: T) => U | Promise<U>,
  ) {}

  async next(): Promise<IteratorResult<U>> {
    const item = await this.source.next();
    if (item.done) return { value: undefined, done: true };
    return { value: await this.map(item.value), done: false };
  }

  async return(): Promise<IteratorResult<U>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<U>> {
    await this.source.return?.();
    throw error instanceof Error ? error : new Error(String(error));
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<U> {
    return this;
  }
}
