/**
 * Scopes and variables of a paused program: turns CDP call frames and objects into DAP scopes
 * and variables, handing out variablesReferences from a {@link HandleTable}.
 */
import type { Scope, Variable, VariablesPage } from '../adapter.js';
import type { CdpConnection } from './cdp-connection.js';
import type { CallFrame, RemoteObject, Scope as CdpScope } from './cdp-types.js';
import type { HandleTable } from './handle-table.js';
import { formatType, formatValue, hasChildren, indexedLength } from './remote-object.js';

/** What a variablesReference stands for. */
export type VariableHandle =
  | { kind: 'object'; objectId: string; /** Element count of arrays / typed arrays. */ length?: number }
  | { kind: 'scope'; objectId: string; frame: CallFrame; scopeType: CdpScope['type'] };

/** Object group of every object the runner creates while paused; released on resume. */
export const OBJECT_GROUP = 'debug-server';

/** Arrays up to this length are listed whole when no page is asked for. */
const INLINE_ARRAY_LIMIT = 100;

/** Internal `[[…]]` properties worth showing; the rest (`[[Prototype]]`, `[[Scopes]]`…) is noise. */
const USEFUL_INTERNALS = new Set([
  '[[Entries]]',
  '[[PrimitiveValue]]',
  '[[Target]]',
  '[[Handler]]',
  '[[IsRevoked]]',
  '[[PromiseState]]',
  '[[PromiseResult]]',
  '[[TargetFunction]]',
  '[[BoundThis]]',
  '[[BoundArgs]]',
  '[[GeneratorState]]',
  '[[WeakRefTarget]]',
]);

const SCOPE_NAMES: Record<CdpScope['type'], string> = {
  global: 'Global',
  local: 'Local',
  with: 'With',
  closure: 'Closure',
  catch: 'Catch',
  block: 'Block',
  script: 'Script',
  eval: 'Eval',
  module: 'Module',
  'wasm-expression-stack': 'Expression stack',
};

/**
 * Copies `count` elements from `start` into a fresh object, descriptors and all, so getters are
 * not invoked and only the page crosses the wire (a 1,000,000-element array stays in the debuggee).
 */
const SLICE_FUNCTION = `function (start, count) {
  const out = Object.create(null);
  const end = Math.min(this.length, start + count);
  for (let i = start; i < end; i++) {
    const d = Object.getOwnPropertyDescriptor(this, i);
    if (d) Object.defineProperty(out, i, d);
  }
  return out;
}`;

/** A DAP variable for a value, registering a reference when it has children. */
export function toVariable(name: string, object: RemoteObject, refs: HandleTable<VariableHandle>): Variable {
  const variable: Variable = { name, value: formatValue(object), type: formatType(object), variablesReference: 0 };
  if (hasChildren(object) && object.objectId) {
    const length = indexedLength(object);
    variable.variablesReference = refs.add({ kind: 'object', objectId: object.objectId, ...(length !== undefined ? { length } : {}) });
    if (length !== undefined) variable.indexedVariables = length;
  }
  return variable;
}

/** The scopes of a frame, innermost first. The global scope is marked expensive. */
export function scopesOf(frame: CallFrame, refs: HandleTable<VariableHandle>): Scope[] {
  const scopes: Scope[] = [];
  for (const scope of frame.scopeChain) {
    const objectId = scope.object.objectId;
    if (!objectId) continue;
    const base = SCOPE_NAMES[scope.type] ?? scope.type;
    const name = scope.type === 'closure' && scope.name ? `${base} (${scope.name})` : base;
    scopes.push({
      name,
      variablesReference: refs.add({ kind: 'scope', objectId, frame, scopeType: scope.type }),
      expensive: scope.type === 'global',
      // A function's own variables, or a module's top level: where a snapshot stops reading.
      ...(scope.type === 'local' || scope.type === 'module' ? { presentationHint: 'locals' as const } : {}),
    });
  }
  return scopes;
}

/** Children of a scope or object, optionally one page of them. */
export async function childrenOf(
  cdp: CdpConnection,
  handle: VariableHandle,
  page: VariablesPage | undefined,
  refs: HandleTable<VariableHandle>,
): Promise<Variable[]> {
  const paged = page !== undefined && (page.start !== undefined || page.count !== undefined);
  if (handle.kind === 'object' && handle.length !== undefined && (paged || handle.length > INLINE_ARRAY_LIMIT)) {
    const start = Math.max(0, page?.start ?? 0);
    const count = Math.max(0, page?.count ?? (paged ? handle.length - start : INLINE_ARRAY_LIMIT));
    const items = await arraySlice(cdp, handle.objectId, start, count, refs);
    // Unpaged look at a big array: a first chunk plus its length, the rest via paging.
    if (!paged) items.push({ name: 'length', value: String(handle.length), type: 'number', variablesReference: 0 });
    return items;
  }
  const variables = await propertiesOf(cdp, handle.objectId, refs);
  if (handle.kind === 'scope' && handle.scopeType === 'local') {
    const extra: Variable[] = [];
    if (handle.frame.returnValue) extra.push(toVariable('Return value', handle.frame.returnValue, refs));
    if (handle.frame.this.type !== 'undefined') extra.push(toVariable('this', handle.frame.this, refs));
    variables.unshift(...extra);
    markModuleWrapper(variables);
  }
  return paginate(variables, page);
}

/** The arguments Node's CommonJS loader passes to every module (and its `this`, module.exports). */
const MODULE_WRAPPER = ['exports', 'require', 'module', '__filename', '__dirname'];

/**
 * In a CommonJS module's top-level frame, marks the loader's wrapper arguments as internal: they
 * are in every module, say nothing about the program, and `module` alone previews to hundreds of
 * characters. They stay listed; snapshots leave them out.
 */
function markModuleWrapper(variables: Variable[]): void {
  const names = new Set(variables.map((v) => v.name));
  if (!MODULE_WRAPPER.every((name) => names.has(name))) return;
  for (const v of variables) {
    if (MODULE_WRAPPER.includes(v.name) || v.name === 'this') v.presentationHint = { visibility: 'internal' };
  }
}

async function arraySlice(
  cdp: CdpConnection,
  objectId: string,
  start: number,
  count: number,
  refs: HandleTable<VariableHandle>,
): Promise<Variable[]> {
  if (count === 0) return [];
  const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
    functionDeclaration: SLICE_FUNCTION,
    objectId,
    arguments: [{ value: start }, { value: count }],
    objectGroup: OBJECT_GROUP,
    silent: true,
  });
  if (exceptionDetails || !result.objectId) return [];
  return propertiesOf(cdp, result.objectId, refs);
}

async function propertiesOf(cdp: CdpConnection, objectId: string, refs: HandleTable<VariableHandle>): Promise<Variable[]> {
  const { result, internalProperties, privateProperties } = await cdp.send('Runtime.getProperties', {
    objectId,
    ownProperties: true,
    generatePreview: true,
  });
  const variables: Variable[] = [];
  for (const prop of result) {
    if (prop.isOwn === false) continue;
    if (prop.value) variables.push(toVariable(prop.name, prop.value, refs));
    else variables.push(accessor(prop.name, prop.get, prop.set));
  }
  for (const prop of privateProperties ?? []) {
    if (prop.value) variables.push(toVariable(prop.name, prop.value, refs));
    else variables.push(accessor(prop.name, prop.get, prop.set));
  }
  for (const prop of internalProperties ?? []) {
    if (prop.value && USEFUL_INTERNALS.has(prop.name)) variables.push(toVariable(prop.name, prop.value, refs));
  }
  return variables;
}

/** Accessors are shown, never invoked: a getter may have side effects or be slow. */
function accessor(name: string, get?: RemoteObject, set?: RemoteObject): Variable {
  const hasGetter = get !== undefined && get.type === 'function';
  const hasSetter = set !== undefined && set.type === 'function';
  const value = hasGetter ? '(getter)' : hasSetter ? '(setter)' : 'undefined';
  return { name, value, variablesReference: 0 };
}

function paginate<T>(items: T[], page: VariablesPage | undefined): T[] {
  const start = Math.max(0, page?.start ?? 0);
  const end = page?.count !== undefined ? start + Math.max(0, page.count) : undefined;
  return items.slice(start, end);
}
