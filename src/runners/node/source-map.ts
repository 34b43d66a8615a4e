/**
 * One script's source map (TypeScript and other compiled-to-JavaScript code): loads it from a
 * `data:` URL or a file next to the script, and maps positions both ways. Parsing and lookups are
 * @jridgewell/trace-mapping's, the source map library of Babel, Vite, Vitest and esbuild's users.
 */
import { readFile, stat } from 'node:fs/promises';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  allGeneratedPositionsFor,
  LEAST_UPPER_BOUND,
  GREATEST_LOWER_BOUND,
  originalPositionFor,
  TraceMap,
  type SourceMapInput,
} from '@jridgewell/trace-mapping';

/** Source maps larger than this are not loaded (a map is a few times its script at most). */
export const MAX_SOURCE_MAP_BYTES = 64 * 2 ** 20;
/** How far below a line with no code a breakpoint may move to find some (as V8 does in scripts). */
const MAX_BREAKPOINT_SHIFT_LINES = 100;

/** A position in a script (V8's numbering: 0-based line and column). */
export interface GeneratedPosition {
  lineNumber: number;
  columnNumber: number;
}

/** A position in an original source file (1-based line, 0-based column). */
export interface OriginalPosition {
  /** Absolute path of the original file (or its URL when it is not a file). */
  source: string;
  line: number;
  column: number;
}

/** A loaded source map: which original files made a script, and position mapping both ways. */
export class SourceMap {
  /** Absolute paths (or URLs) of the original sources, in the map's order. */
  readonly sources: readonly string[];
  /** Path → trace-mapping's resolved URL, and back. */
  private readonly byPath: ReadonlyMap<string, string>;
  private readonly byResolved: ReadonlyMap<string, string>;

  private constructor(
    private readonly map: TraceMap,
    projectRoot: string,
  ) {
    const sources = map.resolvedSources.map((resolved) => toPath(resolved ?? '', projectRoot));
    this.sources = sources;
    // trace-mapping looks sources up by the URL it resolved; we are asked by path.
    this.byPath = new Map(sources.map((source, index) => [source, map.resolvedSources[index] ?? '']));
    this.byResolved = new Map(sources.map((source, index) => [map.resolvedSources[index] ?? '', source]));
  }

  /**
   * Loads the map a script names in its `sourceMappingURL` comment.
   *
   * @param scriptUrl the script's URL (relative map URLs resolve against it)
   * @param sourceMapUrl the comment's value: a `data:` URL, or a URL relative to the script
   * @param projectRoot where bundlers' `webpack://<name>/…` sources are relative to (the program's cwd)
   * @returns undefined when there is no usable map (missing, unreadable, too big, not a v3 map)
   */
  static async load(scriptUrl: string, sourceMapUrl: string, projectRoot: string): Promise<SourceMap | undefined> {
    try {
      const url = new URL(sourceMapUrl, scriptUrl);
      const text = url.protocol === 'data:' ? decodeDataUrl(url.href) : url.protocol === 'file:' ? await readMapFile(url) : undefined;
      if (text === undefined) return undefined;
      // A relative `sources` entry is relative to the map (the script, for an inline map).
      const map = new TraceMap(JSON.parse(text) as SourceMapInput, url.protocol === 'data:' ? scriptUrl : url.href);
      return new SourceMap(map, projectRoot);
    } catch {
      return undefined; // A broken map leaves the script debuggable as JavaScript.
    }
  }

  /**
   * What identifies the current content of a script's map: the `data:` URL itself, or the map
   * file's URL with its size and modification time (a rebuild changes them). Undefined when
   * there is no map file to read.
   */
  static async stamp(scriptUrl: string, sourceMapUrl: string): Promise<string | undefined> {
    try {
      const url = new URL(sourceMapUrl, scriptUrl);
      if (url.protocol === 'data:') return url.href;
      if (url.protocol !== 'file:') return undefined;
      const info = await stat(url);
      return `${url.href} ${info.size} ${info.mtimeMs}`;
    } catch {
      return undefined;
    }
  }

  /** Whether `source` (an absolute path) is one of the map's original files. */
  has(source: string): boolean {
    return this.byPath.has(source);
  }

  /** The original position of a script position; undefined for code with no mapping (helpers, glue). */
  original(position: GeneratedPosition): OriginalPosition | undefined {
    const needle = { line: position.lineNumber + 1, column: position.columnNumber };
    // V8 stops at statement starts, which compilers map; a position before the line's first
    // mapping (indentation) belongs to the code after it.
    for (const bias of [GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND] as const) {
      const found = originalPositionFor(this.map, { ...needle, bias });
      if (found.source !== null)
        return { source: this.byResolved.get(found.source) ?? found.source, line: found.line, column: found.column };
    }
    return undefined;
  }

  /**
   * Where a breakpoint on `line` of `source` goes in the script: the first code generated from that
   * line or, when the line made no code (a comment, a type), from the next line that did.
   */
  generated(source: string, line: number): GeneratedPosition | undefined {
    const resolved = this.byPath.get(source);
    if (resolved === undefined) return undefined;
    for (let candidate = line; candidate < line + MAX_BREAKPOINT_SHIFT_LINES; candidate++) {
      const positions = allGeneratedPositionsFor(this.map, { source: resolved, line: candidate, column: 0, bias: LEAST_UPPER_BOUND });
      let first: GeneratedPosition | undefined;
      for (const { line: genLine, column } of positions) {
        if (genLine === null || column === null) continue;
        if (!first || genLine - 1 < first.lineNumber || (genLine - 1 === first.lineNumber && column < first.columnNumber))
          first = { lineNumber: genLine - 1, columnNumber: column };
      }
      if (first) return first;
    }
    return undefined;
  }
}

async function readMapFile(url: URL): Promise<string | undefined> {
  const info = await stat(url);
  if (!info.isFile() || info.size > MAX_SOURCE_MAP_BYTES) return undefined;
  return readFile(url, 'utf8');
}

/** The text of a `data:` URL (base64 or percent-encoded). */
function decodeDataUrl(href: string): string | undefined {
  const comma = href.indexOf(',');
  if (comma === -1 || href.length > MAX_SOURCE_MAP_BYTES * 2) return undefined;
  const meta = href.slice('data:'.length, comma);
  const body = href.slice(comma + 1);
  return meta.endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
}

/** Bundlers' source URLs: `webpack://<project name>/./src/app.ts` means `<project>/src/app.ts`. */
const BUNDLER_SOURCE = /^webpack:\/\/[^/]*\/(?:\.\/)?(?!~\/|webpack\/|\(webpack\))(.+)$/;

/**
 * A resolved source URL as the API names files: a real path for `file:` URLs (and for a bundler's
 * URL of a file that exists in the project), else the URL.
 */
function toPath(resolved: string, projectRoot: string): string {
  const bundled = BUNDLER_SOURCE.exec(resolved)?.[1];
  if (bundled !== undefined) {
    const candidate = path.resolve(projectRoot, bundled.split('?')[0] ?? bundled);
    return existsSync(candidate) ? realPath(candidate) : resolved;
  }
  if (!resolved.startsWith('file:')) return resolved;
  try {
    return realPath(fileURLToPath(resolved));
  } catch {
    return resolved;
  }
}

/** Sessions name files by their real path (see src/sessions/workspace.ts). */
function realPath(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return file; // Not on disk (sources moved since the build): the name is all there is.
  }
}
