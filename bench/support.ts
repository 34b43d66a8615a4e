/** Shared pieces of the benchmarks: a real server on loopback, clients, statistics. */
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import WebSocket from 'ws';
import { createApp, type App } from '../src/app.js';
import { ALL_SCOPES } from '../src/auth/scopes.js';
import { loadConfig } from '../src/config/config.js';

export const FIXTURES = fileURLToPath(new URL('../test/fixtures/', import.meta.url));

/** A debug-server in this process on an ephemeral loopback port, workspace = test/fixtures. */
export async function startBenchServer(
  env: Record<string, string> = {},
): Promise<{ app: App; url: string; token: string; stop: () => Promise<void> }> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DEBUG_SERVER_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0000',
    DEBUG_SERVER_WORKSPACE: FIXTURES,
    ...env,
  });
  const app = createApp(config, pino({ level: 'silent' }));
  await app.server.listen(0, '127.0.0.1');
  const token = await app.tokens.sign('bench', ALL_SCOPES, 3600);
  return { app, url: app.server.url(), token, stop: () => app.server.close() };
}

/** POSTs a GraphQL operation; throws on errors. */
export async function gql<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A graphql-ws client with the token in connectionParams. */
export function wsClient(url: string, token: string): Client {
  return createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
  });
}

/** Percentiles (ms, 3 decimals) of a sample. */
export function stats(samples: number[]): { n: number; p50: number; p90: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted[sorted.length - 1] ?? NaN) };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Resident set size of this process, MiB. */
export function rssMiB(): number {
  return round(process.memoryUsage().rss / 2 ** 20, 1);
}

/** Prints the benchmark's result as JSON (the one thing a bench writes to stdout). */
export function report(name: string, result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: name, node: process.version, ...result }, null, 2)}\n`);
}
