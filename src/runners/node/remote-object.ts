/**
 * Renders CDP RemoteObjects as DAP display strings: primitives as JavaScript prints them, objects
 * as a short one-line preview (`Array(3) [1, 2, 3]`, `{a: 1, b: 'x'}`, `Map(2) {'a' => 1, …}`,
 * `ƒ name(a, b)`).
 */
import type { ObjectPreview, PropertyPreview, RemoteObject, V8Subtype } from './cdp-types.js';

/** One-line text of a thrown value: an error's message line, or the value itself. */
export function describeThrown(thrown: RemoteObject | undefined, fallback: string): string {
  if (!thrown) return fallback;
  if (thrown.type === 'object' && thrown.subtype === 'error' && thrown.description) {
    const nl = thrown.description.indexOf('\n');
    return nl === -1 ? thrown.description : thrown.description.slice(0, nl);
  }
  return formatValue(thrown);
}

/** The whole description of a thrown object (an error's stack), if it is an object. */
export function fullDescription(thrown: RemoteObject | undefined): string | undefined {
  return thrown?.type === 'object' ? thrown.description : undefined;
}

/** Upper bound of any display string. */
export const MAX_VALUE_LENGTH = 1000;

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max = MAX_VALUE_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Display string of a value (capped at {@link MAX_VALUE_LENGTH}). */
export function formatValue(object: RemoteObject): string {
  return truncate(formatUncapped(object));
}

/** DAP `type` of a value: `typeof` for primitives, the class name for objects. */
export function formatType(object: RemoteObject): string {
  if (object.type === 'object') {
    if (object.subtype === 'null') return 'null';
    return object.className ?? 'object';
  }
  return object.type;
}

/** True when the value has children worth a variablesReference. */
export function hasChildren(object: RemoteObject): boolean {
  return object.objectId !== undefined && (object.type === 'object' || object.type === 'function') && object.subtype !== 'null';
}

/** Number of indexed elements of an array or typed array, parsed from `Array(n)`. */
export function indexedLength(object: RemoteObject): number | undefined {
  if (object.subtype !== 'array' && object.subtype !== 'typedarray') return undefined;
  const match = /\((\d+)\)$/.exec(object.description ?? '');
  return match ? Number(match[1]) : undefined;
}

function formatUncapped(object: RemoteObject): string {
  switch (object.type) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return JSON.stringify(String(object.value));
    case 'number':
    case 'boolean':
    case 'bigint':
      return object.unserializableValue ?? object.description ?? String(object.value);
    case 'symbol':
      return object.description ?? 'Symbol()';
    case 'function':
      return formatFunction(object.description ?? '', object.className);
    case 'object':
      return formatObject(object);
    default:
      return object.description ?? String(object.value);
  }
}

function formatObject(object: RemoteObject): string {
  if (object.subtype === 'null') return 'null';
  const description = object.description ?? object.className ?? 'Object';
  // Errors carry their stack in the description: the first line is the message.
  if (object.subtype === 'error') return firstLine(description);
  if (!object.preview) return description;
  return formatPreview(object.preview, description);
}

/** One-line rendering of an object preview; `description` is the object's own label. */
function formatPreview(preview: ObjectPreview, description = preview.description ?? 'Object'): string {
  const more = preview.overflow ? ', …' : '';
  // Widened: V8 also sends subtypes the published protocol omits (`internal#entry` for a Map entry).
  switch (preview.subtype as V8Subtype | undefined) {
    case 'array':
    case 'typedarray': {
      const items = preview.properties.map((p) =>
        /^\d+$/.test(p.name) ? formatPropertyPreview(p) : `${p.name}: ${formatPropertyPreview(p)}`,
      );
      return `${description} [${items.join(', ')}${more}]`;
    }
    case 'map':
    case 'set':
    case 'weakmap':
    case 'weakset': {
      if (!preview.entries) return description;
      const items = preview.entries.map((e) =>
        e.key ? `${formatNestedPreview(e.key)} => ${formatNestedPreview(e.value)}` : formatNestedPreview(e.value),
      );
      return `${description} {${items.join(', ')}${more}}`;
    }
    case 'regexp':
    case 'date':
    case 'promise':
    case 'proxy':
    case 'internal#entry':
    case 'node':
      return description;
    case 'error':
      return firstLine(description);
    default:
      break;
  }
  const props = preview.properties.map((p) => `${p.name}: ${formatPropertyPreview(p)}`).join(', ');
  // Plain objects print as `{…}` alone; instances get their class name first, like DevTools.
  const label = description === 'Object' ? '' : `${description} `;
  return `${label}{${props}${more}}`;
}

/** A value inside a preview (entries of a Map, nested one level). */
function formatNestedPreview(preview: ObjectPreview): string {
  switch (preview.type) {
    case 'string':
      return quote(preview.description ?? '');
    case 'object':
      if (preview.subtype === 'null') return 'null';
      return formatPreview(preview);
    case 'function':
      return 'ƒ';
    default:
      return preview.description ?? preview.type;
  }
}

function formatPropertyPreview(p: PropertyPreview): string {
  switch (p.type) {
    case 'string':
      return quote(p.value ?? '');
    case 'function':
      return 'ƒ';
    case 'accessor':
      return '(getter)';
    case 'undefined':
      return 'undefined';
    case 'object':
      if (p.subtype === 'null') return 'null';
      // Nested objects stay terse, like DevTools: `{…}` or their label (`Array(2)`, `Map(1)`).
      return p.value === 'Object' || p.value === undefined ? '{…}' : p.value;
    default:
      return p.value ?? p.type;
  }
}

/** `function foo(a, b) {…}` → `ƒ foo(a, b)`; `class Foo {…}` → `class Foo`. */
export function formatFunction(source: string, className?: string): string {
  const text = source.trimStart();
  const cls = /^class\b\s*([\w$]*)/.exec(text);
  if (cls) return cls[1] ? `class ${cls[1]}` : 'class';
  const fn = /^(async\s+)?function\b\s*\*?\s*([\w$]*)\s*\(([^)]*)\)/.exec(text);
  if (fn) return `${fn[1] ? 'async ' : ''}ƒ ${fn[2] ?? ''}(${compactParams(fn[3] ?? '')})`;
  const arrow = /^(async\s*)?(\(([^)]*)\)|[\w$]+)\s*=>/.exec(text);
  if (arrow) return `${arrow[1] ? 'async ' : ''}ƒ (${compactParams(arrow[3] ?? arrow[2] ?? '')}) => …`;
  const method = /^(async\s+)?(?:get\s+|set\s+|static\s+)?\*?\s*([\w$]+)\s*\(([^)]*)\)/.exec(text);
  if (method) return `${method[1] ? 'async ' : ''}ƒ ${method[2] ?? ''}(${compactParams(method[3] ?? '')})`;
  return `ƒ ${className === 'Function' || !className ? '' : className}`.trimEnd();
}

function compactParams(params: string): string {
  return truncate(params.replace(/\s+/g, ' ').trim(), 100);
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

/** Single-quoted like util.inspect, escaping what would break the one-line display. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}
