import { z } from 'zod';
import type { ExceptionFilter, SourceBreakpoint } from '../runners/adapter.js';
import { SessionError } from './errors.js';
import type { SessionSpec } from './types.js';
import type { Workspace } from './workspace.js';

/** Environment variables a client may not set: they would open the debuggee to others or leak server secrets. */
const FORBIDDEN_ENV = /^(NODE_OPTIONS|NODE_INSPECT.*|DEBUG_SERVER_.*|PYTHONINSPECT|LD_PRELOAD|LD_LIBRARY_PATH)$/i;

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
  runtime: z.enum(['NODE', 'PYTHON']),
  program: z.string().min(1, 'program is empty').max(4096),
  args: z.array(z.string().max(65_536)).max(1000).nullish(),
  cwd: z.string().min(1).max(4096).nullish(),
  env: z
    .array(
      z.object({
        name: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable names are letters, digits and _')
          .refine((n) => !FORBIDDEN_ENV.test(n), 'this environment variable may not be set by clients'),
        value: z.string().max(65_536),
      }),
    )
    .max(256)
    .nullish(),
  stopOnEntry: z.boolean().nullish(),
  exceptionFilters: z
    .array(z.enum(['uncaught', 'all']))
    .max(2)
    .nullish(),
  breakpoints: z
    .array(BreakpointSchema.extend({ source: z.string().min(1).max(4096) }))
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
