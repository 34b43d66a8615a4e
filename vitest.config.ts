import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// graphql 17 publishes a "development" build beside the default one. Vite resolves our sources
// with the development condition while Node loads libraries (yoga, Pothos) with the default
// one: two graphql instances in one process. Resolve like Node does, so there is one.
const nodeConditions = ['module', 'node', 'import', 'default'];

// Compiles the TypeScript sample debuggees (skipped when their output is up to date). Only the
// tiers that run those samples pay for it.
const compiledSamples = ['test/support/compile-typescript.ts'];

/**
 * Test tiers (`npm test` runs them all; `npm test -- --project unit` one of them), by the
 * directories under test/ whose `*.test.ts` files they run:
 * - unit: pure modules, no child processes, no server (a couple of seconds);
 * - runners: the Node and Python runners against real debuggees, no server;
 * - conformance: one behaviour table run against every runtime through the API;
 * - api: the HTTP/WebSocket API, its clients and the browser UI against a real server, and the
 *   freshness of the generated schema and typed operations.
 */
const tiers = { unit: ['unit'], runners: ['runners'], conformance: ['conformance'], api: ['api', 'clients', 'browser'] };
const include = (dirs: string[]): string[] => dirs.map((dir) => `test/${dir}/**/*.test.ts`);

// A directory of tests in no tier would silently never run.
const tiered = new Set(Object.values(tiers).flat());
for (const entry of readdirSync(new URL('test/', import.meta.url), { recursive: true, encoding: 'utf8' })) {
  const dir = entry.split(/[/\\]/)[0] ?? '';
  if (entry.endsWith('.test.ts') && !tiered.has(dir)) throw new Error(`test/${dir} has tests but no tier in vitest.config.ts`);
}

export default defineConfig({
  resolve: { conditions: nodeConditions },
  ssr: { resolve: { conditions: nodeConditions, externalConditions: nodeConditions } },
  test: {
    // Shared by every tier (each project below `extends` this config).
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files run in parallel (forks); each starts its own server on an ephemeral port.
    pool: 'forks',
    fileParallelism: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: include(tiers.unit),
          // Pure modules: one thread pool without per-file isolation starts in a fraction of the
          // time. So unit tests must not mock modules or leave global state behind.
          pool: 'threads',
          isolate: false,
        },
      },
      { extends: true, test: { name: 'runners', include: include(tiers.runners), globalSetup: compiledSamples } },
      { extends: true, test: { name: 'conformance', include: include(tiers.conformance), globalSetup: compiledSamples } },
      { extends: true, test: { name: 'api', include: include(tiers.api) } },
    ],
  },
});
