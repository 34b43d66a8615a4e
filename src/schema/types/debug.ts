import type { Breakpoint } from '../../runners/adapter.js';
import type { FrameView, StopInfo, VariableSnapshot, VariableView } from '../../sessions/types.js';
import { BreakpointSchema } from '../../sessions/session-input.js';
import { builder } from '../builder.js';

export const StopInfoRef = builder.objectRef<StopInfo>('StopInfo').implement({
  description: 'Where and why the program is stopped.',
  fields: (t) => ({
    reason: t.exposeString('reason', { description: 'DAP reason: entry, step, breakpoint, exception, pause, …' }),
    threadId: t.id({ nullable: true, resolve: (s) => String(s.threadId) }),
    source: t.exposeString('source', { nullable: true, description: 'Absolute path of the file.' }),
    line: t.exposeInt('line', { nullable: true, description: '1-based line.' }),
    description: t.exposeString('description', { nullable: true, description: 'E.g. the exception.' }),
    hitBreakpointIds: t.idList({ resolve: (s) => s.hitBreakpointIds.map(String) }),
  }),
});

export const StackFrameRef = builder.objectRef<FrameView>('StackFrame').implement({
  fields: (t) => ({
    id: t.id({ description: 'Opaque; valid until the program resumes.', resolve: (f) => f.ref }),
    name: t.exposeString('name'),
    source: t.exposeString('source', { nullable: true }),
    line: t.exposeInt('line', { description: '1-based.' }),
    column: t.exposeInt('column', { nullable: true, description: '1-based.' }),
  }),
});

export const VariableRef = builder.objectRef<VariableView>('Variable').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    value: t.exposeString('value', { description: 'The value of a primitive, a short preview of an object.' }),
    type: t.exposeString('type', { nullable: true }),
    reference: t.id({
      nullable: true,
      description: 'Expand with `DebugSession.variables(reference:)`; null when there are no children.',
      resolve: (v) => v.reference,
    }),
    indexedCount: t.exposeInt('indexedCount', { nullable: true, description: 'Number of elements (arrays).' }),
  }),
});

export const ScopeRef = builder.objectRef<{ name: string; reference: string | undefined; expensive: boolean }>('Scope').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    reference: t.id({ nullable: true, resolve: (s) => s.reference }),
    expensive: t.exposeBoolean('expensive', { description: 'Costly to read (globals): expand on demand.' }),
  }),
});

export const VariableSnapshotRef = builder.objectRef<VariableSnapshot>('VariableSnapshot').implement({
  description: "One stop's top frame and its locals, bounded; computed once per stop.",
  fields: (t) => ({
    generation: t.exposeInt('generation'),
    reason: t.exposeString('reason'),
    threadId: t.id({ nullable: true, resolve: (s) => String(s.threadId) }),
    frame: t.field({ type: StackFrameRef, resolve: (s) => s.frame }),
    variables: t.field({ type: [VariableRef], resolve: (s) => s.variables }),
    changed: t.exposeStringList('changed', { description: 'Names new or changed since the previous stop.' }),
    truncated: t.exposeBoolean('truncated', { description: 'More locals exist than the snapshot holds.' }),
  }),
});

export const ThreadRef = builder.objectRef<{ id: number; name: string }>('Thread').implement({
  fields: (t) => ({
    id: t.id({ resolve: (th) => String(th.id) }),
    name: t.exposeString('name'),
  }),
});

export const BreakpointRef = builder.objectRef<Breakpoint>('Breakpoint').implement({
  fields: (t) => ({
    id: t.id({ resolve: (b) => String(b.id) }),
    verified: t.exposeBoolean('verified', { description: 'True once the debugger bound it to code.' }),
    source: t.exposeString('source'),
    line: t.exposeInt('line', { description: 'The line it bound to (1-based).' }),
    requestedLine: t.exposeInt('requestedLine'),
    condition: t.exposeString('condition', { nullable: true }),
    hitCondition: t.exposeString('hitCondition', { nullable: true }),
    logMessage: t.exposeString('logMessage', { nullable: true }),
    message: t.exposeString('message', { nullable: true, description: 'Why it is not verified.' }),
  }),
});

export const EvalResultRef = builder
  .objectRef<{ value: string; type: string | undefined; error: string | undefined; reference: string | undefined }>('EvalResult')
  .implement({
    fields: (t) => ({
      value: t.exposeString('value'),
      type: t.exposeString('type', { nullable: true }),
      error: t.exposeString('error', {
        nullable: true,
        description: 'What the expression threw (or its syntax error); null when it succeeded.',
      }),
      variablesReference: t.id({ nullable: true, resolve: (r) => r.reference }),
    }),
  });

export const BreakpointInputRef = builder.inputType('BreakpointInput', {
  fields: (t) => ({
    line: t.int({ required: true, description: '1-based line.' }),
    condition: t.string({ description: 'Stop only when this expression is truthy.' }),
    hitCondition: t.string({ description: 'Stop only on matching hits: "5", ">= 5", "% 2".' }),
    logMessage: t.string({ description: 'Logpoint: log this ({expr} interpolated) instead of stopping.' }),
  }),
  validate: BreakpointSchema,
});

export const SourceBreakpointInputRef = builder.inputType('SourceBreakpointInput', {
  fields: (t) => ({
    source: t.string({ required: true, description: 'File path, relative to the session cwd or absolute.' }),
    line: t.int({ required: true }),
    condition: t.string(),
    hitCondition: t.string(),
    logMessage: t.string(),
  }),
  // No schema of its own: CreateSessionInput's (CreateSchema) checks its entries (SourceBreakpointSchema),
  // so one createSession reports every issue at once (the plugin stops at a failing inner type).
});
