/**
 * Scopes and variables of a paused program: turns CDP call frames and objects into DAP scopes
 * and variables, handing out variablesReferences from a {@link HandleTable}.
 */
import type { Scope, Variable, VariablesPage } from '../adapter.js';
import type { CdpConnection } from './cdp-connection.js';
import type { CallFrame, RemoteObject, Scope as CdpScope } from './cdp-types.js';
import type { HandleTable } from './handle-table.js';
import { formatType, formatValue, hasChildren, indexedLength, MAX_VALUE_LENGTH } from './remote-object.js';

/** What a variablesReference stands for. */
export type VariableHandle =
  | {
      kind: 'object';
      objectId: string;
      /** Element count of arrays / typed arrays. */
      length?: number;
      /** CDP's subtype: a Proxy's keys are not read by our code (its traps would run); Map and Set entries are. */
      subtype?: RemoteObject['subtype'];
    }
  | { kind: 'scope'; objectId: string; frame: CallFrame; scopeType: CdpScope['type'] }
  /** The `[[Entries]]` of a Map or Set, read from the collection itself (see ENTRIES_FUNCTION). */
  | { kind: 'entries'; objectId: string; length: number };

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
 * Longest string a property brings over the inspector connection. CDP sends a string property
 * whole (a 200 MB local would cross the wire and sit in the server's memory), and the value shown
 * is cut to {@link MAX_VALUE_LENGTH} anyway; this leaves room for that cut's ellipsis.
 */
const MAX_PROPERTY_CHARS = 2 * MAX_VALUE_LENGTH;

/**
 * Copies `count` elements from `start` into a fresh object, descriptors and all, so getters are
 * not invoked and only the page crosses the wire (a 1,000,000-element array stays in the debuggee).
 * Long strings are cut on the way.
 */
const SLICE_FUNCTION = `function (start, count, limit) {
  const out = Object.create(null);
  const end = Math.min(this.length, start + count);
  for (let i = start; i < end; i++) {
    const d = Object.getOwnPropertyDescriptor(this, i);
    if (!d) continue;
    if (typeof d.value === 'string' && d.value.length > limit) d.value = d.value.slice(0, limit);
    Object.defineProperty(out, i, d);
  }
  return out;
}`;

/**
 * Nothing (undefined) when the object's listing is safe to bring whole, the common case. Otherwise
 * a copy of its own properties, descriptors and all (getters are not invoked), with long strings
 * cut. When a Map or Set among them has a long string in its first entries, whose preview would
 * carry it whole, the copy's class is `NoPreviews` and the caller lists it without previews. One
 * round trip either way. Collections are read through the built-in
 * iterators, which run none of the program's code; other nested objects are not looked into, as
 * a Proxy's traps would run.
 */
const CUT_LONG_STRINGS_FUNCTION = `function (limit, previewEntries) {
  const long = (v) => typeof v === 'string' && v.length > limit;
  const longEntries = (v) => {
    if (typeof v !== 'object' || v === null) return false;
    let entries;
    try { entries = Map.prototype.entries.call(v); } catch (e) {
      try { entries = Set.prototype.values.call(v); } catch (e2) { return false; }
    }
    let i = 0;
    for (const entry of entries) {
      if (Array.isArray(entry) ? long(entry[0]) || long(entry[1]) : long(entry)) return true;
      if (++i >= previewEntries) break;
    }
    return false;
  };
  const names = Object.getOwnPropertyNames(this);
  let cut = false, noPreviews = false;
  const descriptors = [];
  for (const name of names) {
    let d;
    try { d = Object.getOwnPropertyDescriptor(this, name); } catch (e) { continue; }
    if (!d) continue;
    if (long(d.value)) { d.value = d.value.slice(0, limit); cut = true; }
    else if (longEntries(d.value)) noPreviews = true;
    descriptors.push([name, d]);
  }
  if (!cut && !noPreviews) return undefined;
  class NoPreviews {}
  const out = Object.create(noPreviews ? NoPreviews.prototype : null);
  for (const [name, d] of descriptors) Object.defineProperty(out, name, d);
  return out;
}`;

/**
 * `count` entries of a Map or Set from `start`, as `{key, value}` (Map) or `{value}` (Set) objects
 * with long strings cut. CDP's own `[[Entries]]` objects carry each entry's strings whole in their
 * description, so they are not used for these collections.
 */
const ENTRIES_FUNCTION = `function (start, count, limit) {
  const cut = (v) => (typeof v === 'string' && v.length > limit ? v.slice(0, limit) : v);
  let entries, map = true;
  try { entries = Map.prototype.entries.call(this); } catch (e) { entries = Set.prototype.values.call(this); map = false; }
  const out = Object.create(null);
  let i = 0;
  for (const entry of entries) {
    if (i >= start + count) break;
    if (i >= start) {
      const item = Object.create(null);
      if (map) { item.key = cut(entry[0]); item.value = cut(entry[1]); } else item.value = cut(entry);
      out[i] = item;
    }
    i++;
  }
  return out;
}`;

/** Entries of a Map or Set preview (V8 shows up to five, and overflow). */
const PREVIEW_ENTRIES = 5;

/** A DAP variable for a value, registering a reference when it has children. */
export function toVariable(name: string, object: RemoteObject, refs: HandleTable<VariableHandle>): Variable {
  const variable: Variable = { name, value: formatValue(object), type: formatType(object), variablesReference: 0 };
  if (hasChildren(object) && object.objectId) {
    const length = indexedLength(object);
    variable.variablesReference = refs.add({
      kind: 'object',
      objectId: object.objectId,
      ...(length !== undefined ? { length } : {}),
      ...(object.subtype !== undefined ? { subtype: object.subtype } : {}),
    });
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
  if (handle.kind === 'entries') {
    const start = Math.max(0, page?.start ?? 0);
    const count = Math.max(0, page?.count ?? handle.length - start);
    return copyList(cdp, handle.objectId, ENTRIES_FUNCTION, [start, count, MAX_PROPERTY_CHARS], refs);
  }
  if (handle.kind === 'object' && handle.length !== undefined && (paged || handle.length > INLINE_ARRAY_LIMIT)) {
    const start = Math.max(0, page?.start ?? 0);
    const count = Math.max(0, page?.count ?? (paged ? handle.length - start : INLINE_ARRAY_LIMIT));
    const items = await arraySlice(cdp, handle.objectId, start, count, refs);
    // Unpaged look at a big array: a first chunk plus its length, the rest via paging.
    if (!paged) items.push({ name: 'length', value: String(handle.length), type: 'number', variablesReference: 0 });
    return items;
  }
  // A proxy's keys or a `with` object's could run the program's code: those are listed as CDP gives them.
  const mayRunCode = handle.kind === 'object' ? handle.subtype === 'proxy' : handle.scopeType === 'with';
  const cut = mayRunCode ? undefined : await callOn(cdp, handle.objectId, CUT_LONG_STRINGS_FUNCTION, [MAX_PROPERTY_CHARS, PREVIEW_ENTRIES]);
  const cutId = cut?.objectId;
  const iterable = handle.kind === 'object' && (handle.subtype === 'map' || handle.subtype === 'set');
  const variables = cutId
    ? await propertiesOf(cdp, cutId, refs, { previews: cut?.className !== 'NoPreviews' })
    : await propertiesOf(cdp, handle.objectId, refs, { entriesFromCollection: iterable });
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

function arraySlice(
  cdp: CdpConnection,
  objectId: string,
  start: number,
  count: number,
  refs: HandleTable<VariableHandle>,
): Promise<Variable[]> {
  if (count === 0) return Promise.resolve([]);
  return copyList(cdp, objectId, SLICE_FUNCTION, [start, count, MAX_PROPERTY_CHARS], refs);
}

/** Lists the object `fn` builds from `objectId` in the debuggee (nothing when it fails). */
async function copyList(
  cdp: CdpConnection,
  objectId: string,
  fn: string,
  args: number[],
  refs: HandleTable<VariableHandle>,
): Promise<Variable[]> {
  const copy = (await callOn(cdp, objectId, fn, args))?.objectId;
  return copy ? propertiesOf(cdp, copy, refs) : [];
}

/** Runs `fn` on the object in the debuggee; what it returned (undefined when it threw). */
async function callOn(cdp: CdpConnection, objectId: string, fn: string, args: number[]): Promise<RemoteObject | undefined> {
  const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
    functionDeclaration: fn,
    objectId,
    arguments: args.map((value) => ({ value })),
    objectGroup: OBJECT_GROUP,
    silent: true,
  });
  return exceptionDetails ? undefined : result;
}

/**
 * Own, private and useful internal properties of an object. `previews: false` for a cut copy
 * whose previews would carry long strings (see CUT_LONG_STRINGS_FUNCTION): values then show
 * their one-word description.
 * `entriesFromCollection` for a Map or Set: its `[[Entries]]` are then read with ENTRIES_FUNCTION.
 */
async function propertiesOf(
  cdp: CdpConnection,
  objectId: string,
  refs: HandleTable<VariableHandle>,
  { previews = true, entriesFromCollection = false }: { previews?: boolean; entriesFromCollection?: boolean } = {},
): Promise<Variable[]> {
  const { result, internalProperties, privateProperties } = await cdp.send('Runtime.getProperties', {
    objectId,
    ownProperties: true,
    generatePreview: previews,
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
    if (!prop.value || !USEFUL_INTERNALS.has(prop.name)) continue;
    const length = prop.name === '[[Entries]]' ? indexedLength(prop.value) : undefined;
    if (length !== undefined && entriesFromCollection) {
      // Read from the collection itself: CDP's entry objects carry their strings whole.
      const variablesReference = refs.add({ kind: 'entries', objectId, length });
      variables.push({
        name: prop.name,
        value: formatValue(prop.value),
        type: formatType(prop.value),
        variablesReference,
        indexedVariables: length,
      });
    } else {
      variables.push(toVariable(prop.name, prop.value, refs));
    }
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
