import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { atExpiry } from '../auth/expiry.js';
import type { ApiContext } from '../schema/context.js';
import { acceptsRawJson } from './raw-json.js';

/**
 * A subscription over HTTP (GraphQL-over-SSE, and any other yoga stream) ends when the token that
 * opened it expires, with a last result saying so (`UNAUTHENTICATED`, "token expired"): the client
 * gets a new token and subscribes again. graphql-ws needs none of this: it closes the socket with
 * 4403 at expiry (see graphql-ws.ts).
 */
export function useSubscriptionExpiry(): Plugin<ApiContext> {
  return {
    onSubscribe({ args }) {
      const expiresAt = (args.contextValue as Partial<ApiContext>).principal?.expiresAt;
      if (expiresAt === undefined || acceptsRawJson(args.rootValue)) return undefined;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!(Symbol.asyncIterator in result)) return;
          setResult(untilExpiry(result, expiresAt));
        },
      };
    },
  };
}

async function* untilExpiry(source: AsyncIterable<ExecutionResult>, expiresAt: number): AsyncGenerator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let expire!: () => void;
  const expired = new Promise<'expired'>((resolve) => (expire = () => resolve('expired')));
  const cancel = atExpiry(expiresAt, expire);
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next === 'expired') {
        yield { errors: [new GraphQLError('token expired', { extensions: { code: 'UNAUTHENTICATED' } })] };
        return;
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    cancel();
    await iterator.return?.();
  }
}
