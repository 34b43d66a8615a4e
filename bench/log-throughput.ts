/**
 * Log throughput: a Node debuggee floods N lines (default 1,000,000; `npm run bench -- log-throughput N`).
 * Measures, in the same run: the debuggee's own pipe rate (no debugger, stdout read and dropped),
 * and the rate delivered through the server to one graphql-ws subscriber and to one SSE reader
 * of GET /sessions/:id/logs at the same time (both in a worker thread, off the server's loop); their ratio to the pipe rate; lines lost; the
 * server's peak RSS (the server runs in this process).
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { processCpu, threadCpu } from './lib/cpu.js';
import type { ReaderResult } from './lib/log-reader.js';
import { FIXTURES, gql, report, round, rssMiB, startBenchServer } from './support.js';

const N = Number(process.argv[2] ?? 1_000_000);
/** How the debuggee writes: `console` (console.log per line, the common case) or `chunks` (1000 lines per write). */
const MODE = process.argv[3] ?? 'console';
const PROGRAM = 'programs/flood.js';
const LAST = `line ${N} of the flood`;

/** The debuggee alone: time from its first output to its last line read from the pipe. */
async function pipeRate(): Promise<number> {
  let started = 0;
  const child = spawn(process.execPath, [path.join(FIXTURES, PROGRAM), String(N), MODE], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let lines = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    if (started === 0) started = performance.now();
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  });
  await new Promise((resolve) => child.on('close', resolve));
  if (lines !== N) throw new Error(`pipe delivered ${lines} of ${N} lines`);
  return N / ((performance.now() - started) / 1000);
}

/** A worker thread running a TypeScript module (workers do not inherit tsx's loader hooks). */
function tsWorker(script: URL, workerData: unknown): Worker {
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(script.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

async function throughServer(): Promise<Record<string, unknown>> {
  const server = await startBenchServer({ DEBUG_SERVER_LOG_BUFFER_LINES: '100000', DEBUG_SERVER_LOG_BUFFER_BYTES: String(64 * 2 ** 20) });
  let peakRss = rssMiB();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB())), 50);
  try {
    let started = Number.POSITIVE_INFINITY;
    const { createSession } = await gql<{ createSession: { id: string } }>(
      server.url,
      server.token,
      'mutation($p: String!, $a: [String!]) { createSession(input: { runtime: NODE, program: $p, args: $a, stopOnEntry: true }) { id } }',
      { p: PROGRAM, a: [String(N), MODE] },
    );
    const id = createSession.id;

    // The readers run in a worker thread, off the server's event loop, like remote clients.
    const worker = tsWorker(new URL('./lib/log-reader.ts', import.meta.url), { url: server.url, token: server.token, id, last: LAST });
    const results = new Map<string, ReaderResult>();
    const readersDone = new Promise<void>((resolve, reject) => {
      worker.on('message', (result: ReaderResult) => {
        results.set(result.transport, result);
        if (results.size === 2) resolve();
      });
      worker.on('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The clock starts when the program is let go: launch time is the create → first stop figure of step-latency.
    started = performance.now();
    const cpu0 = { main: threadCpu(), ...processCpu() };
    worker.postMessage('start');
    await gql(server.url, server.token, 'mutation($id: ID!) { continue(sessionId: $id) { state } }', { id });
    await readersDone;
    const main = threadCpu() - cpu0.main;
    // The debuggee's CPU is counted once it is reaped (the session has ended).
    const session = server.app.registry.find(id, 'bench');
    while (session && !session.ended) await new Promise((resolve) => setTimeout(resolve, 10));
    const cpu1 = processCpu();
    const readers = Math.max(...[...results.values()].map((r) => r.cpu));
    await worker.terminate();
    const elapsed = (r: ReaderResult | undefined) => ({
      ms: (r?.doneAt ?? NaN) - (performance.timeOrigin + started),
      lines: r?.lines ?? 0,
      lost: r?.lost ?? 0,
      messages: r?.messages ?? 0,
    });
    const wall = (Math.max(...[...results.values()].map((r) => r.doneAt)) - (performance.timeOrigin + started)) / 1000;
    // Where the run's CPU went (seconds, from the continue to the last line read), on a machine
    // with availableParallelism() cores.
    const cpu = {
      wallSeconds: round(wall, 2),
      cores: availableParallelism(),
      debuggee: round(cpu1.children - cpu0.children, 2),
      serverThread: round(main, 2),
      readersThread: round(readers, 2),
      otherThreads: round(cpu1.threads - cpu0.threads - main - readers, 2),
    };
    return { ws: elapsed(results.get('graphql-ws')), sse: elapsed(results.get('sse')), peakRssMiB: peakRss, cpu };
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
}

const pipe = await pipeRate();
const served = (await throughServer()) as {
  ws: { ms: number; lines: number; lost: number; messages: number };
  sse: { ms: number; lines: number; lost: number; messages: number };
  peakRssMiB: number;
  cpu: Record<string, number>;
};
const wsRate = served.ws.lines / (served.ws.ms / 1000);
const sseRate = served.sse.lines / (served.sse.ms / 1000);
report('log-throughput', {
  lines: N,
  mode: MODE,
  pipeLinesPerSec: Math.round(pipe),
  graphqlWs: {
    linesPerSec: Math.round(wsRate),
    ratioToPipe: round(wsRate / pipe, 2),
    received: served.ws.lines,
    lost: served.ws.lost,
    messages: served.ws.messages,
  },
  sse: {
    linesPerSec: Math.round(sseRate),
    ratioToPipe: round(sseRate / pipe, 2),
    received: served.sse.lines,
    lost: served.sse.lost,
    chunks: served.sse.messages,
  },
  serverPeakRssMiB: served.peakRssMiB,
  cpuSeconds: served.cpu,
});
process.exit(0);
