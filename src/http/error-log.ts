/**
 * What the server logs of the errors it answers with. A client's mistake (NOT_FOUND,
 * BAD_USER_INPUT, FORBIDDEN…) is routine: `info`, its code and message, never the operation's
 * text. A fault of the server's is `error`, with the whole error and a correlation id that the
 * masked answer carries too, so an operator can find the log line a user reports.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { isGraphQLError, toApiError } from '../schema/errors.js';

/** The `maskedErrors.maskError` and `logging` options of yoga, sharing what they know of faults. */
export function errorPolicy(logger: Logger): {
  maskError: (error: unknown) => GraphQLError;
  logging: { debug: LogFn; info: LogFn; warn: LogFn; error: LogFn };
} {
  const faults = new WeakMap<object, string>();
  const text = (args: unknown[]): string => args.map(String).join(' ');
  return {
    maskError: (error) => {
      const masked = toApiError(error);
      if (masked.extensions.code !== 'INTERNAL_SERVER_ERROR') return masked;
      const correlationId = randomUUID();
      if (typeof error === 'object' && error !== null) faults.set(error, correlationId);
      return new GraphQLError(masked.message, {
        nodes: masked.nodes,
        source: masked.source,
        positions: masked.positions,
        path: masked.path,
        extensions: { ...masked.extensions, correlationId },
      });
    },
    logging: {
      debug: (...args) => logger.debug(text(args)),
      info: (...args) => logger.info(text(args)),
      warn: (...args) => logger.warn(text(args)),
      // yoga logs here every error it masked: ours decide the level.
      error: (...args) => {
        const [first] = args;
        const correlationId = typeof first === 'object' && first !== null ? faults.get(first) : undefined;
        if (correlationId) logger.error({ err: first, correlationId }, 'server fault');
        else if (isGraphQLError(first)) logger.info({ code: toApiError(first).extensions.code, message: first.message }, 'client error');
        else logger.error(text(args));
      },
    },
  };
}

type LogFn = (...args: unknown[]) => void;
