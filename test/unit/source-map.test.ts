import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceMap } from '../../src/runners/node/source-map.js';

// A TypeScript file compiled by tsc into dist/, with its map beside it, in a temporary directory.
const TS_SOURCE = [
  "import { readFileSync } from 'node:fs';", // 1
  '', // 2
  'interface Point {', // 3: a type, no code
  '  x: number;', // 4
  '}', // 5
  '', // 6
  'export function norm(p: Point): number {', // 7
  '  return Math.abs(p.x);', // 8
  '}', // 9
  'export const size = readFileSync.length;', // 10
].join('\n');
const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'source-map-')));
const src = path.join(dir, 'src', 'app.ts');
const script = path.join(dir, 'dist', 'app.js');
const scriptUrl = pathToFileURL(script).href;
const compiled = ts.transpileModule(TS_SOURCE, {
  compilerOptions: { sourceMap: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  fileName: 'app.ts',
});
const mapJson = { ...(JSON.parse(compiled.sourceMapText ?? '{}') as object), sources: ['../src/app.ts'] };
const js = compiled.outputText.split('\n');
/** The 0-based script line holding `text`. */
const jsLine = (text: string) => js.findIndex((line) => line.includes(text));
mkdirSync(path.dirname(src));
mkdirSync(path.dirname(script));
writeFileSync(src, TS_SOURCE);
writeFileSync(script, compiled.outputText);
writeFileSync(`${script}.map`, JSON.stringify(mapJson));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SourceMap.load', () => {
  it('reads a map file named relative to the script, with sources relative to the map', async () => {
    const map = await SourceMap.load(scriptUrl, 'app.js.map', dir);
    expect(map?.sources).toEqual([src]);
    expect(map?.has(src)).toBe(true);
    expect(map?.has(script)).toBe(false);
  });

  it('reads inline maps, base64 or percent-encoded, relative to the script', async () => {
    const text = JSON.stringify(mapJson);
    const base64 = await SourceMap.load(scriptUrl, `data:application/json;base64,${Buffer.from(text).toString('base64')}`, dir);
    const encoded = await SourceMap.load(scriptUrl, `data:application/json,${encodeURIComponent(text)}`, dir);
    expect(base64?.sources).toEqual([src]);
    expect(encoded?.sources).toEqual([src]);
  });

  it('names sources by their real path (sessions name files that way)', async () => {
    const link = path.join(dir, 'linked');
    symlinkSync(path.join(dir, 'src'), link);
    const map = await SourceMap.load(
      scriptUrl,
      `data:application/json,${encodeURIComponent(JSON.stringify({ ...mapJson, sources: ['../linked/app.ts'] }))}`,
      dir,
    );
    expect(map?.sources).toEqual([src]);
  });

  it("resolves a bundler's webpack:// sources against the project, when the file is there", async () => {
    const sources = ['webpack://my-app/./src/app.ts', 'webpack://my-app/src/gone.ts', 'webpack://my-app/webpack/bootstrap'];
    const inline = `data:application/json,${encodeURIComponent(JSON.stringify({ ...mapJson, sources }))}`;
    const map = await SourceMap.load(scriptUrl, inline, dir);
    expect(map?.sources).toEqual([src, 'webpack://my-app/src/gone.ts', 'webpack://my-app/webpack/bootstrap']);
  });

  it.each([
    ['a missing file', 'missing.js.map'],
    ['a directory', '.'],
    ['text that is not JSON', 'data:application/json,not%20json'],
    ['JSON that is not a source map', `data:application/json,${encodeURIComponent('{"version":3}')}`],
    ['a URL that is not a file', 'https://example.com/app.js.map'],
    ['a malformed data URL', 'data:application/json;base64'],
  ])('gives nothing for %s', async (_, url) => {
    expect(await SourceMap.load(scriptUrl, url, dir)).toBeUndefined();
  });
});

describe('SourceMap.stamp', () => {
  it('changes when the map file is rebuilt, and is the URL itself for an inline map', async () => {
    const first = await SourceMap.stamp(scriptUrl, 'app.js.map');
    writeFileSync(`${script}.map`, `${JSON.stringify(mapJson)}\n`);
    expect(await SourceMap.stamp(scriptUrl, 'app.js.map')).not.toBe(first);
    expect(await SourceMap.stamp(scriptUrl, 'data:application/json,{}')).toBe('data:application/json,{}');
    expect(await SourceMap.stamp(scriptUrl, 'missing.js.map')).toBeUndefined();
  });
});

describe('SourceMap positions', () => {
  const load = async () => {
    const map = await SourceMap.load(scriptUrl, 'app.js.map', dir);
    if (!map) throw new Error('no map');
    return map;
  };

  it('maps script positions back to TypeScript lines', async () => {
    const map = await load();
    expect(map.original({ lineNumber: jsLine('return Math.abs'), columnNumber: 4 })).toMatchObject({ source: src, line: 8 });
    // Indentation before the statement belongs to it.
    expect(map.original({ lineNumber: jsLine('return Math.abs'), columnNumber: 0 })).toMatchObject({ source: src, line: 8 });
  });

  it('has no original position for glue the compiler added', async () => {
    const map = await load();
    expect(map.original({ lineNumber: jsLine('__esModule'), columnNumber: 0 })).toBeUndefined();
  });

  it('puts a breakpoint on a TypeScript line at the first code made from it', async () => {
    const map = await load();
    expect(map.generated(src, 8)).toEqual({ lineNumber: jsLine('return Math.abs'), columnNumber: expect.any(Number) as number });
    expect(map.generated(src, 10)?.lineNumber).toBe(jsLine('readFileSync.length'));
  });

  it('moves a breakpoint on a line with no code down to the next code', async () => {
    const map = await load();
    // Lines 3–6 are a type and blanks: the next code is the function on line 7.
    expect(map.generated(src, 3)).toEqual(map.generated(src, 7));
  });

  it('places nothing past the last code, or in a file the map does not know', async () => {
    const map = await load();
    expect(map.generated(src, 11)).toBeUndefined();
    expect(map.generated(script, 1)).toBeUndefined();
  });
});
