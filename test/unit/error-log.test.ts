import { GraphQLError, parse, Source } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { errorPolicy } from '../../src/http/error-log.js';
import { SessionError } from '../../src/sessions/errors.js';

/** A pino logger whose lines land in an array. */
function capture(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('error log policy', () => {
  const query = 'mutation SecretOperation { step(sessionId: "x") { state } }';
  const located = (original: Error) =>
    new GraphQLError(original.message, { nodes: parse(new Source(query)).definitions[0], originalError: original });

  it('logs a client error at info, with its code and without the operation text', () => {
    const { logger, lines } = capture();
    const policy = errorPolicy(logger);
    const error = located(new SessionError('NOT_FOUND', 'no session with id "x"'));
    const masked = policy.maskError(error);
    expect(masked.extensions.code).toBe('NOT_FOUND');
    policy.logging.error(error);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, code: 'NOT_FOUND', msg: 'client error' });
    expect(JSON.stringify(lines)).not.toContain('SecretOperation');
  });

  it('logs a server fault at error with a correlation id that the masked answer carries', () => {
    const { logger, lines } = capture();
    const policy = errorPolicy(logger);
    const error = located(new TypeError('cannot read properties of undefined'));
    const masked = policy.maskError(error);
    expect(masked.message).toBe('Unexpected error.');
    expect(masked.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const id = masked.extensions.correlationId;
    expect(typeof id).toBe('string');
    policy.logging.error(error);
    expect(lines[0]).toMatchObject({ level: 50, correlationId: id, msg: 'server fault' });
  });
});
