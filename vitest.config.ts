import { defineConfig } from 'vitest/config';

// graphql 17 publishes a "development" build beside the default one. Vite resolves our sources
// with the development condition while Node loads libraries (yoga, Pothos) with the default
// one: two graphql instances in one process. Resolve like Node does, so there is one.
const nodeConditions = ['module', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions: nodeConditions },
  ssr: { resolve: { conditions: nodeConditions, externalConditions: nodeConditions } },
  test: {
    include: ['test/**/*.test.ts'],
    // Compiles the TypeScript sample debuggees once, before any test file runs.
    globalSetup: ['test/support/compile-typescript.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Test files run in parallel (forks); each starts its own server on an ephemeral port.
    pool: 'forks',
    fileParallelism: true,
  },
});
