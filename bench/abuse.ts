/**
 * `npm run bench -- abuse [cycles]`: a real server (its own process, so its RSS is its own) under
 * the abuse of issue 10, one phase at a time, while a prober asks `/healthz` every 20 ms:
 * - a 10 MB query with no token;
 * - three 90 MB WebSocket frames (one as `connection_init`);
 * - 5,000 subscriptions on one socket;
 * - `cycles` (default 300) create → terminate cycles, with a short ended-session TTL.
 * Prints, per phase, the server's RSS before and after (and its peak, from /proc), the /healthz
 * latency, and what the server answered. Targets: RSS +< 64 MiB, /healthz p99 < 100 ms, nothing
 * started by a refused request.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { TokenService } from '../src/auth/tokens.js';
import { ALL_SCOPES } from '../src/auth/scopes.js';
import { FIXTURES, gql, report, round, stats } from './support.js';

const CYCLES = Number(process.argv[2] ?? 300);
const SECRET = 'abuse-bench-secret-abuse-bench-secret-0000';
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Starts `debug-server serve` as a child process; resolves with its URL and pid. */
async function startServer(): Promise<{ url: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      DEBUG_SERVER_JWT_SECRET: SECRET,
      DEBUG_SERVER_WORKSPACE: FIXTURES,
      DEBUG_SERVER_LOG_LEVEL: 'silent',
      DEBUG_SERVER_ENDED_SESSION_TTL_SECONDS: '0.2',
      DEBUG_SERVER_MAX_SESSIONS_PER_OWNER: '1000',
    },
    // stderr: graphql-ws writes a line for each socket ws closes for an oversized message.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

/** Resident and peak resident memory of a process, in MiB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: round(kib('VmRSS') / 1024, 1), peak: round(kib('VmHWM') / 1024, 1) };
}

/**
 * Asks /healthz every 20 ms until stopped; resolves with the latencies. In a worker thread: the
 * clients here block this thread (masking a 90 MB frame), and that must not count as the server's.
 */
function probe(url: string): { stop: () => Promise<number[]> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
    let running = true;
    const samples = [];
    parentPort.once('message', () => (running = false));
    (async () => {
      while (running) {
        const started = performance.now();
        await fetch(workerData + '/healthz').then((r) => r.text());
        samples.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      parentPort.postMessage(samples);
    })();`,
    { eval: true, workerData: url },
  );
  return {
    stop: async () => {
      const samples = new Promise<number[]>((resolve) => worker.once('message', resolve));
      worker.postMessage('stop');
      const result = await samples;
      await worker.terminate();
      return result;
    },
  };
}

/** A raw POST (fetch would stream the body in chunks, without a length). */
function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: '/graphql',
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        // Answered before the body was read (and the socket then closed): the status is what counts.
        resolve(res.statusCode ?? 0);
        res.resume();
      },
    );
    // The server may answer and close before it has read the body.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve(-1) : reject(error),
    );
    req.end(body);
  });
}

async function phase<T>(server: { url: string; pid: number }, run: () => Promise<T>): Promise<Record<string, unknown>> {
  const before = memory(server.pid);
  const prober = probe(server.url);
  const started = performance.now();
  const outcome = await run();
  const ms = round(performance.now() - started, 1);
  await sleep(200);
  const healthz = stats(await prober.stop());
  const after = memory(server.pid);
  return {
    outcome,
    ms,
    rssBeforeMiB: before.rss,
    rssAfterMiB: after.rss,
    rssGrowthMiB: round(after.rss - before.rss, 1),
    peakRssMiB: after.peak,
    healthz,
  };
}

const server = await startServer();
const token = await new TokenService(SECRET).sign('abuse', ALL_SCOPES, 3600);
const wsUrl = `${server.url.replace('http', 'ws')}/graphql`;
const result: Record<string, unknown> = { cycles: CYCLES, targets: { rssGrowthMiB: 64, healthzP99Ms: 100 } };
try {
  // Payloads are built before each phase: building them blocks this process, /healthz prober included.
  const bigQuery = JSON.stringify({ query: `{ ${'a: sessions { id } '.repeat(500_000)} }`.slice(0, 10 * 1024 * 1024) });
  result.bigUnauthenticatedQuery = await phase(server, async () => ({
    status: await post(server.url, bigQuery, { 'content-type': 'application/json' }),
  }));
  const frames = [
    JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, pad: 'x'.repeat(90 * 1024 * 1024) } }),
    JSON.stringify({ type: 'ping', payload: { pad: 'y'.repeat(90 * 1024 * 1024) } }),
  ];

  result.hugeWebSocketFrames = await phase(server, async () => {
    const closes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const frame = frames[i === 0 ? 0 : 1]!;
      const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
      ws.on('error', () => {});
      ws.send(frame);
      closes.push(await closed);
    }
    return { closeCodes: closes };
  });

  result.manySubscriptionsOneSocket = await phase(server, async () => {
    const { createSession } = await gql<{ createSession: { id: string } }>(
      server.url,
      token,
      'mutation { createSession(input: { runtime: NODE, program: "programs/ticker.js", stopOnEntry: true }) { id } }',
    );
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    let accepted = 0;
    let refused = 0;
    let closeCode: number | undefined;
    await new Promise<void>((resolve) => {
      // A client that keeps asking past the cap is closed (1008) as a flood.
      ws.on('close', (code) => {
        closeCode = code;
        resolve();
      });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string; id?: string };
        if (message.type === 'connection_ack') {
          for (let i = 0; i < 5000; i++) {
            const query = `subscription { sessionEvents(sessionId: "${createSession.id}") { kind } }`;
            ws.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query } }));
          }
          // Those still running after a while were accepted.
          setTimeout(() => {
            accepted = 5000 - refused;
            resolve();
          }, 3000);
        }
        if (message.type === 'error') refused++;
      });
    });
    ws.close();
    await gql(server.url, token, `mutation { terminateSession(sessionId: "${createSession.id}") { state } }`);
    return closeCode === undefined ? { accepted, refused } : { refusedMessages: refused, closedWith: closeCode };
  });

  result.createTerminateCycles = await phase(server, async () => {
    const cycle: number[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const started = performance.now();
      const { createSession } = await gql<{ createSession: { id: string } }>(
        server.url,
        token,
        'mutation { createSession(input: { runtime: NODE, program: "programs/burst.js", args: ["2000"], stopOnEntry: true }) { id } }',
      );
      await gql(server.url, token, `mutation { terminateSession(sessionId: "${createSession.id}") { state } }`);
      cycle.push(performance.now() - started);
    }
    // Reaped after 0.2 s: none left.
    await sleep(1000);
    const { sessions } = await gql<{ sessions: unknown[] }>(server.url, token, '{ sessions { id } }');
    return { cycleMs: stats(cycle), sessionsLeft: sessions.length };
  });
} finally {
  server.stop();
}
report('abuse', result);
