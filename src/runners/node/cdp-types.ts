/**
 * The subset of the Chrome DevTools Protocol (V8 Inspector) this runner uses, typed by hand.
 *
 * Hand-written rather than pulled from `devtools-protocol` to keep the dependency list short;
 * only the fields the runner reads or sends are declared.
 */

/** `Runtime.RemoteObject`: a mirror of a value in the debuggee. */
export interface RemoteObject {
  type: 'object' | 'function' | 'undefined' | 'string' | 'number' | 'boolean' | 'symbol' | 'bigint';
  subtype?: string;
  className?: string;
  /** Primitive value (JSON-serializable ones only). */
  value?: unknown;
  /** For `NaN`, `Infinity`, `-0`, bigints. */
  unserializableValue?: string;
  description?: string;
  objectId?: string;
  preview?: ObjectPreview;
}

export interface ObjectPreview {
  type: RemoteObject['type'] | 'accessor';
  subtype?: string;
  description?: string;
  overflow: boolean;
  properties: PropertyPreview[];
  entries?: EntryPreview[];
}

export interface PropertyPreview {
  name: string;
  type: RemoteObject['type'] | 'accessor';
  value?: string;
  valuePreview?: ObjectPreview;
  subtype?: string;
}

export interface EntryPreview {
  key?: ObjectPreview;
  value: ObjectPreview;
}

export interface PropertyDescriptor {
  name: string;
  value?: RemoteObject;
  writable?: boolean;
  get?: RemoteObject;
  set?: RemoteObject;
  configurable: boolean;
  enumerable: boolean;
  wasThrown?: boolean;
  isOwn?: boolean;
  symbol?: RemoteObject;
}

export interface InternalPropertyDescriptor {
  name: string;
  value?: RemoteObject;
}

export interface PrivatePropertyDescriptor {
  name: string;
  value?: RemoteObject;
  get?: RemoteObject;
  set?: RemoteObject;
}

export interface ExceptionDetails {
  exceptionId: number;
  text: string;
  lineNumber: number;
  columnNumber: number;
  url?: string;
  exception?: RemoteObject;
}

export interface Location {
  scriptId: string;
  lineNumber: number;
  columnNumber?: number;
}

export interface Scope {
  type: 'global' | 'local' | 'with' | 'closure' | 'catch' | 'block' | 'script' | 'eval' | 'module' | 'wasm-expression-stack';
  object: RemoteObject;
  name?: string;
}

export interface CallFrame {
  callFrameId: string;
  functionName: string;
  location: Location;
  /** Often empty in Node 20: resolve through `Debugger.scriptParsed` instead. */
  url: string;
  scopeChain: Scope[];
  this: RemoteObject;
  returnValue?: RemoteObject;
}

/** `Runtime.CallFrame`: a frame of a captured stack (no scopes: it is not live). */
export interface RuntimeCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  /** 0-based. */
  lineNumber: number;
  /** 0-based. */
  columnNumber: number;
}

/** `Runtime.StackTrace`: one async segment of a stack and the segments before it. */
export interface StackTrace {
  /** What scheduled this segment: `await`, `Promise.then`, `Timeout`, … */
  description?: string;
  callFrames: RuntimeCallFrame[];
  parent?: StackTrace;
}

/** `Debugger.BreakLocation`: a place V8 can pause. */
export interface BreakLocation extends Location {
  type?: 'debuggerStatement' | 'call' | 'return';
}

export interface ExecutionContextDescription {
  id: number;
  name: string;
  auxData?: { isDefault?: boolean };
}

/** Commands: method name → params and result. */
export interface CdpCommands {
  'Runtime.enable': { params: Record<string, never>; result: Record<string, never> };
  'Runtime.addBinding': { params: { name: string }; result: Record<string, never> };
  'Runtime.runIfWaitingForDebugger': { params: Record<string, never>; result: Record<string, never> };
  'Runtime.getProperties': {
    params: {
      objectId: string;
      ownProperties?: boolean;
      accessorPropertiesOnly?: boolean;
      generatePreview?: boolean;
      nonIndexedPropertiesOnly?: boolean;
    };
    result: {
      result: PropertyDescriptor[];
      internalProperties?: InternalPropertyDescriptor[];
      privateProperties?: PrivatePropertyDescriptor[];
      exceptionDetails?: ExceptionDetails;
    };
  };
  'Runtime.callFunctionOn': {
    params: {
      functionDeclaration: string;
      objectId: string;
      arguments?: Array<{ value?: unknown; objectId?: string }>;
      returnByValue?: boolean;
      generatePreview?: boolean;
      silent?: boolean;
      objectGroup?: string;
    };
    result: { result: RemoteObject; exceptionDetails?: ExceptionDetails };
  };
  'Runtime.releaseObjectGroup': { params: { objectGroup: string }; result: Record<string, never> };
  'Debugger.enable': { params: { maxScriptsCacheSize?: number }; result: { debuggerId: string } };
  'Debugger.setBreakpointByUrl': {
    params: { lineNumber: number; url?: string; urlRegex?: string; columnNumber?: number; condition?: string };
    result: { breakpointId: string; locations: Location[] };
  };
  'Debugger.setBreakpoint': {
    params: { location: Location; condition?: string };
    result: { breakpointId: string; actualLocation: Location };
  };
  'Debugger.setInstrumentationBreakpoint': {
    params: { instrumentation: 'beforeScriptExecution' | 'beforeScriptWithSourceMapExecution' };
    result: { breakpointId: string };
  };
  'Debugger.getPossibleBreakpoints': {
    params: { start: Location; end?: Location; restrictToFunction?: boolean };
    result: { locations: BreakLocation[] };
  };
  'Debugger.setBlackboxPatterns': { params: { patterns: string[] }; result: Record<string, never> };
  'Debugger.setAsyncCallStackDepth': { params: { maxDepth: number }; result: Record<string, never> };
  'Debugger.removeBreakpoint': { params: { breakpointId: string }; result: Record<string, never> };
  'Debugger.setPauseOnExceptions': { params: { state: 'none' | 'uncaught' | 'all' }; result: Record<string, never> };
  'Debugger.resume': { params: { terminateOnResume?: boolean }; result: Record<string, never> };
  'Debugger.pause': { params: Record<string, never>; result: Record<string, never> };
  'Debugger.stepOver': { params: Record<string, never>; result: Record<string, never> };
  'Debugger.stepInto': { params: Record<string, never>; result: Record<string, never> };
  'Debugger.stepOut': { params: Record<string, never>; result: Record<string, never> };
  'Debugger.evaluateOnCallFrame': {
    params: {
      callFrameId: string;
      expression: string;
      objectGroup?: string;
      silent?: boolean;
      returnByValue?: boolean;
      generatePreview?: boolean;
      throwOnSideEffect?: boolean;
      /** Milliseconds. */
      timeout?: number;
    };
    result: { result: RemoteObject; exceptionDetails?: ExceptionDetails };
  };
  /** Not V8's: answered by inspector-relay.cjs, which lets source-map-hook.cjs go on. */
  'DebugServer.releaseModuleHook': { params: { sequence: number }; result: Record<string, never> };
}

/** Events: method name → params. */
export interface CdpEvents {
  'Debugger.paused': {
    callFrames: CallFrame[];
    /**
     * `Break on start` (Node's --inspect-brk), `instrumentation` (an instrumentation breakpoint),
     * `exception`, `promiseRejection`, `other`, `step`, …
     */
    reason: string;
    /** The exception for exception pauses; `{ scriptId, url, sourceMapURL? }` for instrumentation pauses. */
    data?: RemoteObject & Record<string, unknown>;
    hitBreakpoints?: string[];
    /** What led here across async boundaries (after `Debugger.setAsyncCallStackDepth`). */
    asyncStackTrace?: StackTrace;
  };
  'Debugger.resumed': Record<string, never>;
  /** `sourceMapURL`: the script's `//# sourceMappingURL=` value (empty when none). */
  'Debugger.scriptParsed': { scriptId: string; url: string; sourceMapURL?: string; isModule?: boolean };
  'Debugger.breakpointResolved': { breakpointId: string; location: Location };
  'Runtime.executionContextCreated': { context: ExecutionContextDescription };
  'Runtime.executionContextDestroyed': { executionContextId: number };
  'Runtime.consoleAPICalled': { type: string; args: RemoteObject[]; executionContextId: number };
  'Runtime.bindingCalled': { name: string; payload: string; executionContextId: number };
}

export type CdpMethod = keyof CdpCommands;
export type CdpEventName = keyof CdpEvents;
