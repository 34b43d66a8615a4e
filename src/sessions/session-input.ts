import { z } from 'zod';
import type { ExceptionFilter, SourceBreakpoint } from '../runners/adapter.js';
import { RUNTIME_IDS, RUNTIME_REFUSED_ENV } from '../runners/runtimes.js';
import { SessionError } from './errors.js';
import type { SessionSpec } from './types.js';
import type { Workspace } from './workspace.js';

/**
 * Environment variables a client may set: any plain application variable (letters, digits, _),
 * except these families, which make the dynamic loader, a shell, an interpreter or a debugger
 * load code or write files from outside the program (or open it to others). Exempt from the
 * families: the variables that only change how a program prints. See docs/security.md.
 */
const REFUSED_ENV = [
  /^LD_/, // the dynamic loader: LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT, …
  /^(GCONV_PATH|GLIBC_TUNABLES|MALLOC_.*|LOCPATH|NLSPATH|HOSTALIASES|RES_OPTIONS|LOCALDOMAIN|RESOLV_.*)$/, // glibc
  /^(BASH_ENV|ENV|SHELLOPTS|BASHOPTS|PS4|BASH_FUNC_.*|IFS|CDPATH)$/, // shells a program may start
  ...RUNTIME_REFUSED_ENV, // each runtime's interpreter and debugger (src/runners/runtimes.ts)
  /^(PERL5?LIB|PERL5OPT|RUBYLIB|RUBYOPT|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS|JDK_JAVA_OPTIONS)$/, // other interpreters
  /^(OPENSSL_CONF|OPENSSL_ENGINES|OPENSSL_MODULES)$/, // OpenSSL loads modules from these
  /^DEBUG_SERVER_/, // ours
];

/** True when a client may not set the variable `name`. */
export function refusedEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return REFUSED_ENV.some((family) => family.test(upper));
}

/** Text bound for the OS: it cannot pass a NUL in an argument or variable (the spawn would fail). */
const text = (what: string, max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('\0'), `${what} may not contain a NUL character`);

/**
 * The validation rules of the API's inputs, one schema per rule. The GraphQL schema attaches them
 * to its input types and arguments (src/schema, `validate`), the `/sessions/:id/debug` socket
 * parses its commands' arguments with them, and the session layer parses `createSession`'s input
 * and the breakpoints again with them before it resolves paths inside the workspace, so every way
 * in checks the same rules.
 */

/** Most breakpoints in one `setBreakpoints` call or one `createSession` input. */
export const MAX_BREAKPOINTS = 1000;

/** One breakpoint of `setBreakpoints` (GraphQL `BreakpointInput`). */
export const BreakpointSchema = z.object({
  line: z.number().int().min(1, 'line must be ≥ 1').max(10_000_000),
  condition: z.string().max(10_000).nullish(),
  hitCondition: z
    .string()
    .regex(/^\s*(>=|<=|==|>|<|%)?\s*\d+\s*$/, 'hitCondition must look like "5", ">= 5" or "% 2"')
    .nullish(),
  logMessage: z.string().max(10_000).nullish(),
});

/** A list of at most MAX_BREAKPOINTS `item`s. */
const breakpointList = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_BREAKPOINTS, `at most ${MAX_BREAKPOINTS} breakpoints`);

/** One file's breakpoints (`setBreakpoints(breakpoints:)` on the socket and in the session layer). */
export const BreakpointListSchema = breakpointList(BreakpointSchema);

/**
 * Only the count, for the GraphQL argument: its entries are `BreakpointInput`s, which carry
 * BreakpointSchema themselves (a list schema would see an entry that failed it as null).
 */
export const BreakpointCountSchema = breakpointList(z.unknown());

/** A breakpoint installed before the program runs (GraphQL `SourceBreakpointInput`, checked within CreateSchema). */
const SourceBreakpointSchema = BreakpointSchema.extend({ source: text('source', 4096).min(1) });

/** One environment variable (GraphQL `EnvVarInput`, checked within CreateSchema). */
const EnvVarSchema = z.object({
  name: z
    .string()
    .max(256)
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _')
    .superRefine((n, ctx) => {
      if (refusedEnvName(n))
        ctx.addIssue({ code: 'custom', message: `${n} may not be set by clients (it loads code or changes the debugger)` });
    }),
  value: text('an environment value', 65_536),
});

/** `createSession(input:)` (GraphQL `CreateSessionInput`). */
export const CreateSchema = z.object({
  runtime: z.enum(RUNTIME_IDS),
  program: text('program', 4096).min(1, 'program is empty'),
  args: z.array(text('an argument', 65_536)).max(1000).nullish(),
  cwd: text('cwd', 4096).min(1).nullish(),
  env: z.array(EnvVarSchema).max(256).nullish(),
  network: z.boolean().nullish(),
  stopOnEntry: z.boolean().nullish(),
  exceptionFilters: z
    .array(z.enum(['uncaught', 'all']))
    .max(2)
    .nullish(),
  breakpoints: breakpointList(SourceBreakpointSchema).nullish(),
});

/** Longest expression `eval` takes, and the bounds of its timeout. */
export const MAX_EXPRESSION_LENGTH = 100_000;
export const MAX_EVAL_TIMEOUT_MS = 60_000;

/** `eval(expression:)`. */
export const ExpressionSchema = z.string().max(MAX_EXPRESSION_LENGTH, `at most ${MAX_EXPRESSION_LENGTH} characters`);

/** `eval(timeoutMs:)`, in milliseconds. */
export const EvalTimeoutSchema = z
  .number()
  .int()
  .min(1, `must be between 1 and ${MAX_EVAL_TIMEOUT_MS}`)
  .max(MAX_EVAL_TIMEOUT_MS, `must be between 1 and ${MAX_EVAL_TIMEOUT_MS}`);

/** An eval request's bounds, for the session layer (the transports check the same schemas first). */
const EvalBoundsSchema = z.object({ expression: ExpressionSchema, timeoutMs: EvalTimeoutSchema.optional() });

/** Throws BAD_USER_INPUT when an eval request is out of bounds. */
export function checkEvalRequest(request: { expression: string; timeoutMs?: number | undefined }): void {
  const parsed = EvalBoundsSchema.safeParse(request);
  if (!parsed.success) throw badInput(parsed.error);
}

/** Largest page of `variables` and `logs`. */
export const MAX_PAGE = 1000;

/** A page size (`first:` of `variables` and `logs`). */
export const PageSizeSchema = z
  .number()
  .int()
  .min(1, `must be between 1 and ${MAX_PAGE}`)
  .max(MAX_PAGE, `must be between 1 and ${MAX_PAGE}`);

/** An index to start a page at (`variables(after:)`). */
export const OffsetSchema = z.number().int().min(0, 'must be ≥ 0');

/** A client's `createSession` input, as the API layer receives it. */
export type CreateSessionInput = z.input<typeof CreateSchema>;
/** A client's breakpoint, as the API layer receives it. */
export type BreakpointInput = z.input<typeof BreakpointSchema>;

/** Validates the input and resolves every path inside the workspace; throws BAD_USER_INPUT. */
export function resolveCreateInput(
  input: CreateSessionInput,
  workspace: Workspace,
): { spec: SessionSpec; breakpoints: Map<string, SourceBreakpoint[]>; exceptionFilters: ExceptionFilter[] } {
  const parsed = CreateSchema.safeParse(input);
  if (!parsed.success) throw badInput(parsed.error);
  const data = parsed.data;
  const program = workspace.resolve(data.program, 'program', 'file');
  const cwd = data.cwd ? workspace.resolve(data.cwd, 'cwd', 'directory') : workspace.root;
  const env: Record<string, string> = {};
  for (const { name, value } of data.env ?? []) env[name] = value;
  const breakpoints = new Map<string, SourceBreakpoint[]>();
  for (const bp of data.breakpoints ?? []) {
    const source = workspace.resolve(bp.source, 'breakpoint source', 'file', cwd);
    const list = breakpoints.get(source) ?? [];
    list.push(toSourceBreakpoint(bp));
    breakpoints.set(source, list);
  }
  const spec: SessionSpec = {
    runtime: data.runtime,
    program,
    args: data.args ?? [],
    cwd,
    env,
    stopOnEntry: data.stopOnEntry ?? false,
    network: data.network ?? true,
  };
  return { spec, breakpoints, exceptionFilters: data.exceptionFilters ?? [] };
}

/** Validates one file's breakpoints (for `setBreakpoints`). */
export function resolveBreakpoints(inputs: BreakpointInput[]): SourceBreakpoint[] {
  const parsed = BreakpointListSchema.safeParse(inputs);
  if (!parsed.success) throw badInput(parsed.error);
  return parsed.data.map(toSourceBreakpoint);
}

function toSourceBreakpoint(bp: z.output<typeof BreakpointSchema>): SourceBreakpoint {
  const out: SourceBreakpoint = { line: bp.line };
  if (bp.condition) out.condition = bp.condition;
  if (bp.hitCondition) out.hitCondition = bp.hitCondition.trim();
  if (bp.logMessage) out.logMessage = bp.logMessage;
  return out;
}

function badInput(error: z.ZodError): SessionError {
  return new SessionError('BAD_USER_INPUT', issuesMessage(error.issues));
}

/** A path segment as Standard Schema gives it (zod's issues use the bare key). */
type PathSegment = PropertyKey | { readonly key: PropertyKey };

/** Validation issues as one message: `path: message`, joined with "; " (e.g. `program: program is empty`). */
export function issuesMessage(
  issues: ReadonlyArray<{ readonly message: string; readonly path?: ReadonlyArray<PathSegment> | undefined }>,
): string {
  return issues
    .map((i) => {
      const path = (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
