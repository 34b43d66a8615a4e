import { execute, parse, subscribe, type ExecutionResult, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ALL_SCOPES, type Principal } from '../../src/auth/scopes.js';
import type { ApiContext } from '../../src/schema/context.js';
import { buildApiSchema } from '../../src/schema/index.js';

/**
 * The policy declared on the schema (authScopes, validate), run against the schema alone: the
 * registry records what reached it, so a refusal is seen to come before any resolver work.
 */
function contextFor(scopes: readonly string[] | undefined): { ctx: ApiContext; calls: string[] } {
  const calls: string[] = [];
  const principal: Principal | undefined = scopes && { subject: 'alice', scopes: new Set(scopes), expiresAt: undefined };
  const registry = new Proxy(
    {},
    {
      get: (_target, name) => () => {
        calls.push(String(name));
        return String(name) === 'list' ? [] : null;
      },
    },
  );
  return { ctx: { principal, registry, metrics: undefined, transport: 'http' } as unknown as ApiContext, calls };
}

async function run(query: string, scopes: readonly string[] | undefined): Promise<{ result: ExecutionResult; calls: string[] }> {
  const { ctx, calls } = contextFor(scopes);
  const result = await execute({ schema: buildApiSchema(), document: parse(query), contextValue: ctx });
  return { result, calls };
}

const create = (input: string) => `mutation { createSession(input: { runtime: NODE, ${input} }) { id } }`;

describe('schema policy (scope-auth and validation plugins)', () => {
  it('declares the scopes of every root field (a field without authScopes would need none)', () => {
    const schema = buildApiSchema();
    const undeclared = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.values(type?.getFields() ?? {})
        .filter((field) => !(field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes)
        .map((field) => `${type?.name}.${field.name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it("declares the scopes of a session's fields that read the program (reachable through any mutation's result)", () => {
    const fields = (buildApiSchema().getType('DebugSession') as GraphQLObjectType).getFields();
    const reading = ['threads', 'stackTrace', 'scopes', 'variables', 'snapshot', 'logs'];
    const undeclared = reading.filter(
      (name) => !(fields[name]?.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes,
    );
    expect(undeclared).toEqual([]);
  });

  it('is UNAUTHENTICATED (HTTP 401, WWW-Authenticate) without a token, invalid arguments or not', async () => {
    for (const query of ['{ sessions { id } }', 'mutation { eval(sessionId: "x", expression: "1", timeoutMs: 0) { value } }']) {
      const { result, calls } = await run(query, undefined);
      expect(result.errors?.[0]?.extensions).toEqual({
        code: 'UNAUTHENTICATED',
        http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
      });
      expect(calls).toEqual([]);
    }
  });

  it('is FORBIDDEN, naming the missing scope, before the resolver runs', async () => {
    const listed = await run('{ sessions { id } }', []);
    expect(listed.result.errors?.[0]?.message).toBe('this operation needs the "sessions:read" scope');
    expect(listed.result.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(listed.calls).toEqual([]);
    const stepped = await run('mutation { step(sessionId: "x") { id } }', ['sessions:read']);
    expect(stepped.result.errors?.[0]?.message).toBe('this operation needs the "debug:control" scope');
    expect(stepped.calls).toEqual([]);
    // With the scope, the registry decides ownership (its `get` throws NOT_FOUND for others' sessions).
    expect((await run('{ sessions { id } }', ['sessions:read'])).calls).toEqual(['list']);
  });

  it('asks debug:eval for breakpoints that run code (runsCode), on createSession and setBreakpoints', async () => {
    const writer = ['sessions:write', 'debug:control'];
    const conditional = await run(create('program: "p.js", breakpoints: [{ source: "p.js", line: 2, condition: "x" }]'), writer);
    expect(conditional.result.errors?.[0]?.message).toBe('this operation needs the "debug:eval" scope');
    expect(conditional.calls).toEqual([]);
    const logpoint = await run(
      'mutation { setBreakpoints(sessionId: "x", source: "p.js", breakpoints: [{ line: 2, logMessage: "{x}" }]) { id } }',
      writer,
    );
    expect(logpoint.result.errors?.[0]?.message).toBe('this operation needs the "debug:eval" scope');
    const plain = await run(create('program: "p.js", breakpoints: [{ source: "p.js", line: 2 }]'), writer);
    expect(plain.calls).toEqual(['create']);
    // Without sessions:write, that is the scope named, whatever the breakpoints.
    const reader = await run(create('program: "p.js", breakpoints: [{ source: "p.js", line: 2, condition: "x" }]'), ['debug:eval']);
    expect(reader.result.errors?.[0]?.message).toBe('this operation needs the "sessions:write" scope');
  });

  it('validates input types and arguments with the shared zod schemas: BAD_USER_INPUT, "path: message"', async () => {
    const cases: Array<[string, string]> = [
      [create('program: ""'), 'program: program is empty'],
      [create('program: "p.js", env: [{ name: "A=B", value: "x" }]'), 'env.0.name: environment variable names are letters, digits and _'],
      [create('program: "p.js", breakpoints: [{ source: "p.js", line: 0 }]'), 'breakpoints.0.line: line must be ≥ 1'],
      [
        'mutation { setBreakpoints(sessionId: "x", source: "p.js", breakpoints: [{ line: 1, hitCondition: "often" }]) { id } }',
        'breakpoints.0.hitCondition: hitCondition must look like "5", ">= 5" or "% 2"',
      ],
      ['mutation { eval(sessionId: "x", expression: "1", timeoutMs: 60001) { value } }', 'timeoutMs: must be between 1 and 60000'],
      [`mutation { eval(sessionId: "x", expression: "${'x'.repeat(100_001)}") { value } }`, 'expression: at most 100000 characters'],
    ];
    for (const [query, message] of cases) {
      const { result, calls } = await run(query, ALL_SCOPES);
      expect(result.errors?.[0]?.message, query).toBe(message);
      expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
      expect(calls).toEqual([]);
    }
  });

  it('checks a subscription when it is subscribed to, before its subscribe function runs', async () => {
    const { ctx, calls } = contextFor(['sessions:read']);
    const result = await subscribe({
      schema: buildApiSchema(),
      document: parse('subscription { logLines(sessionId: "x") { text } }'),
      contextValue: ctx,
    });
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors?.[0]?.message).toBe('this operation needs the "logs:read" scope');
    expect((result as ExecutionResult).errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(calls).toEqual([]);
  });
});
