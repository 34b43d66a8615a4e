/**
 * Compiles the TypeScript sample debuggees (every `tsconfig*.json` under
 * test/fixtures/**\/typescript/) with the TypeScript compiler API, as `tsc -p` would. Their
 * output (dist*, git-ignored) is what the tests run; the `.ts` files are what they debug.
 *
 * A project whose inputs (its directory's files outside dist*, and the compiler version) hash to
 * what they were at its last compile, and whose output files all still exist, is skipped: the
 * compile takes seconds, the check milliseconds (and does not even load the compiler).
 *
 * Runs before the test tiers that debug these samples (vitest `globalSetup` in vitest.config.ts),
 * or alone: `node --import tsx test/support/compile-typescript.ts`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type TypeScript from 'typescript';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** Input hashes and output files of the last compile of each project (a cache: safe to delete). */
const STAMPS = fileURLToPath(new URL('../../node_modules/.cache/debug-server/compiled-samples.json', import.meta.url));

const require = createRequire(import.meta.url);
let loaded: typeof TypeScript | undefined;
/** The compiler, loaded on first use (loading it alone takes over a second). */
function typescript(): typeof TypeScript {
  return (loaded ??= require('typescript') as typeof TypeScript);
}

/** What one project's last compile saw and wrote. */
interface Stamp {
  inputs: string;
  outputs: string[];
}

/**
 * Compiles one project; throws with the compiler's diagnostics when it does not compile cleanly.
 * Returns the files it wrote.
 */
export function compileProject(configPath: string): string[] {
  const ts = typescript();
  const host: TypeScript.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) };
  const config = ts.getParsedCommandLineOfConfigFile(configPath, { listEmittedFiles: true }, host);
  if (!config) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0 || emitted.emitSkipped) fail(diagnostics);
  return emitted.emittedFiles ?? [];
}

function fail(diagnostics: readonly TypeScript.Diagnostic[]): never {
  const ts = typescript();
  const text = ts.formatDiagnostics(diagnostics, { ...ts.sys, getCanonicalFileName: (f) => f, getNewLine: () => '\n' });
  throw new Error(`TypeScript sample does not compile:\n${text}`);
}

/** Hash of everything a sample directory's output can depend on: its other files, and the compiler. */
function inputsHash(dir: string): string {
  const hash = createHash('sha256');
  hash.update(`typescript ${(require('typescript/package.json') as { version: string }).version}\0`);
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !/^dist[^/\\]*[/\\]/.test(file))
    .sort();
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(path.join(dir, file)))
      .update('\0');
  return hash.digest('hex');
}

function readStamps(): Record<string, Stamp> {
  try {
    return JSON.parse(readFileSync(STAMPS, 'utf8')) as Record<string, Stamp>;
  } catch {
    return {}; // None yet, or unreadable: compile everything.
  }
}

function writeStamps(stamps: Record<string, Stamp>): void {
  mkdirSync(path.dirname(STAMPS), { recursive: true });
  // Renamed into place, so a concurrent reader never sees half a file.
  const temporary = `${STAMPS}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(stamps, null, 2)}\n`);
  renameSync(temporary, STAMPS);
}

/** Compiles every TypeScript sample project whose output is missing or out of date. */
export function compileSamples(): void {
  // (Node 20 has no fs.glob.)
  const configs = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((file) => /(?:^|\/)typescript\/tsconfig[^/]*\.json$/.test(file.split(path.sep).join('/')))
    .map((file) => path.join(FIXTURES, file));
  const stamps = readStamps();
  const hashes = new Map<string, string>();
  let changed = false;
  for (const config of configs) {
    const dir = path.dirname(config);
    const inputs = hashes.get(dir) ?? inputsHash(dir);
    hashes.set(dir, inputs);
    const key = path.relative(FIXTURES, config);
    const stamp = stamps[key];
    if (stamp?.inputs === inputs && stamp.outputs.length > 0 && stamp.outputs.every((file) => existsSync(path.join(dir, file)))) continue;
    delete stamps[key];
    const outputs = compileProject(config).map((file) => path.relative(dir, file));
    stamps[key] = { inputs, outputs };
    changed = true;
  }
  if (changed) writeStamps(stamps);
}

/** vitest globalSetup entry. */
export default function setup(): void {
  compileSamples();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) compileSamples();
