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

const BreakpointSchema = z.object({
  line: z.number().int().min(1, 'line must be ≥ 1').max(10_000_000),
  condition: z.string().max(10_000).nullish(),
  hitCondition: z
    .string()
    .regex(/^\s*(>=|<=|==|>|<|%)?\s*\d+\s*$/, 'hitCondition must look like "5", ">= 5" or "% 2"')
    .nullish(),
  logMessage: z.string().max(10_000).nullish(),
});

const CreateSchema = z.object({
  runtime: z.enum(RUNTIME_IDS),
  program: text('program', 4096).min(1, 'program is empty'),
  args: z.array(text('an argument', 65_536)).max(1000).nullish(),
  cwd: text('cwd', 4096).min(1).nullish(),
  env: z
    .array(
      z.object({
        name: z
          .string()
          .max(256)
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _')
          .superRefine((n, ctx) => {
            if (refusedEnvName(n))
              ctx.addIssue({ code: 'custom', message: `${n} may not be set by clients (it loads code or changes the debugger)` });
          }),
        value: text('an environment value', 65_536),
      }),
    )
    .max(256)
    .nullish(),
  network: z.boolean().nullish(),
  stopOnEntry: z.boolean().nullish(),
  exceptionFilters: z
    .array(z.enum(['uncaught', 'all']))
    .max(2)
    .nullish(),
  breakpoints: z
    .array(BreakpointSchema.extend({ source: text('source', 4096).min(1) }))
    .max(1000)
    .nullish(),
});

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
  const parsed = z.array(BreakpointSchema).max(1000).safeParse(inputs);
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
  const message = error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  return new SessionError('BAD_USER_INPUT', message);
}
