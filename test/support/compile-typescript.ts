/**
 * Compiles the TypeScript sample debuggees (every `tsconfig*.json` under
 * test/fixtures/**\/typescript/) with the TypeScript compiler API, as `tsc -p` would. Their
 * output (dist*, git-ignored) is what the tests run; the `.ts` files are what they debug.
 *
 * Runs once before all test files (vitest `globalSetup`), or alone: `node --import tsx test/support/compile-typescript.ts`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Compiles one project; throws with the compiler's diagnostics when it does not compile cleanly. */
export function compileProject(configPath: string): void {
  const host: ts.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) };
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, host);
  if (!config) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const emitted = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  if (diagnostics.length > 0 || emitted.emitSkipped) fail(diagnostics);
}

function fail(diagnostics: readonly ts.Diagnostic[]): never {
  const text = ts.formatDiagnostics(diagnostics, { ...ts.sys, getCanonicalFileName: (f) => f, getNewLine: () => '\n' });
  throw new Error(`TypeScript sample does not compile:\n${text}`);
}

/** Compiles every TypeScript sample project. */
export function compileSamples(): void {
  // (Node 20 has no fs.glob.)
  const configs = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((file) =>
    /(?:^|\/)typescript\/tsconfig[^/]*\.json$/.test(file.split(path.sep).join('/')),
  );
  for (const config of configs) compileProject(path.join(FIXTURES, config));
}

/** vitest globalSetup entry. */
export default function setup(): void {
  compileSamples();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) compileSamples();
