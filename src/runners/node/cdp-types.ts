/**
 * Chrome DevTools Protocol (V8 Inspector) types for the Node runner, from `devtools-protocol`:
 * its `ProtocolMapping` gives each command's params and result and each event's params. Type-only
 * (`devtools-protocol` ships no code), so nothing here exists at run time.
 *
 * Additions of ours: the `DebugServer.*` command the inspector relay answers, and sharper params
 * for the events whose published types say `any` or miss what Node sends ({@link EventOverrides}).
 */
import type { Protocol } from 'devtools-protocol';
import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';

export type RemoteObject = Protocol.Runtime.RemoteObject;
export type ObjectPreview = Protocol.Runtime.ObjectPreview;
export type PropertyPreview = Protocol.Runtime.PropertyPreview;
/** A `subtype` as V8 sends it: the published list plus V8's internal ones (`internal#entry`, …). */
export type V8Subtype = NonNullable<RemoteObject['subtype']> | `internal#${string}`;
export type Location = Protocol.Debugger.Location;
export type Scope = Protocol.Debugger.Scope;
export type CallFrame = Protocol.Debugger.CallFrame;
/** `Runtime.CallFrame`: a frame of a captured stack (no scopes: it is not live). */
export type RuntimeCallFrame = Protocol.Runtime.CallFrame;
/** `Runtime.StackTrace`: one async segment of a stack and the segments before it. */
export type StackTrace = Protocol.Runtime.StackTrace;

/** Commands that are not V8's, in `ProtocolMapping.Commands`' shape. */
interface ExtensionCommands {
  /** Answered by inspector-relay.cjs, which lets source-map-hook.cjs go on. */
  'DebugServer.releaseModuleHook': { paramsType: [{ sequence: number }]; returnType: void };
}

type AllCommands = ProtocolMapping.Commands & ExtensionCommands;

/**
 * Commands: method name → params and result. A command without params takes `{}` (what goes on
 * the wire); one without a result resolves with `void`.
 */
export type CdpCommands = {
  [M in keyof AllCommands]: {
    params: AllCommands[M]['paramsType'] extends [] ? Record<string, never> : NonNullable<AllCommands[M]['paramsType'][0]>;
    result: AllCommands[M]['returnType'];
  };
};

/**
 * `Debugger.paused` as Node sends it. The published type misses two things: Node's
 * `--inspect-brk` pause has reason `Break on start`, and `data` is `any` there. `data` is the
 * thrown value for exception pauses and `{ scriptId, url, sourceMapURL? }` for instrumentation
 * pauses.
 */
export type PausedEvent = Omit<Protocol.Debugger.PausedEvent, 'reason' | 'data'> & {
  reason: Protocol.Debugger.PausedEvent['reason'] | 'Break on start';
  data?: RemoteObject & Record<string, unknown>;
};

/** `Runtime.ExecutionContextDescription` with the `auxData` V8 sends (`any` in the published type). */
export type ExecutionContextDescription = Omit<Protocol.Runtime.ExecutionContextDescription, 'auxData'> & {
  auxData?: { isDefault?: boolean } & Record<string, unknown>;
};

/** Events whose published params are sharpened here. */
interface EventOverrides {
  'Debugger.paused': PausedEvent;
  'Runtime.executionContextCreated': { context: ExecutionContextDescription };
}

/** Events: method name → params (`{}` for an event without params, as the connection delivers it). */
export type CdpEvents = {
  [E in keyof ProtocolMapping.Events]: E extends keyof EventOverrides
    ? EventOverrides[E]
    : ProtocolMapping.Events[E] extends [infer P]
      ? P
      : Record<string, never>;
};

export type CdpMethod = keyof CdpCommands;
export type CdpEventName = keyof CdpEvents;
