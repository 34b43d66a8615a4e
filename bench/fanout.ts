/**
 * Fan-out: 100 live sessions (each a debuggee printing a timestamped line every 50 ms), one of them
 * watched by 1,000 graphql-ws subscribers and each of the others by one, all at once on this
 * machine. Prints p50/p99 delivery latency (debuggee's stamp → subscriber's message) for the hot
 * session and for all, and the server's RSS. `npm run bench -- fanout [sessions] [subscribers] [seconds]`;
 * `DEBUG_SERVER_SANDBOX=off` in the environment measures without the session box.
 */
import { Worker } from 'node:worker_threads';
import { gql, report, rssMiB, startBenchServer, stats } from './support.js';

const SESSIONS = Number(process.argv[2] ?? 100);
const HOT_SUBSCRIBERS = Number(process.argv[3] ?? 1000);
const SECONDS = Number(process.argv[4] ?? 10);

// One owner holds every session: lift the per-owner and server quotas to the bench's size.
const server = await startBenchServer({
  DEBUG_SERVER_MAX_SESSIONS_PER_OWNER: String(Math.max(20, SESSIONS)),
  DEBUG_SERVER_MAX_SESSIONS: String(Math.max(200, SESSIONS)),
  ...(process.env.DEBUG_SERVER_SANDBOX ? { DEBUG_SERVER_SANDBOX: process.env.DEBUG_SERVER_SANDBOX } : {}),
});
const rssBefore = rssMiB();
let peak = rssBefore;
const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 100);
const ids: string[] = [];
try {
  for (let i = 0; i < SESSIONS; i++) {
    const { createSession } = await gql<{ createSession: { id: string } }>(
      server.url,
      server.token,
      'mutation { createSession(input: { runtime: NODE, program: "programs/stamp.js", args: ["50"] }) { id } }',
    );
    ids.push(createSession.id);
  }
  const clients = (file: string, workerData: unknown): Worker =>
    new Worker(
      `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL(file, import.meta.url).href)}); })`,
      {
        eval: true,
        workerData,
      },
    );
  // Hot session's subscribers and the other sessions' in one worker, off the server's thread.
  const worker = clients('./lib/fanout-clients.ts', {
    url: server.url,
    token: server.token,
    sessions: ids,
    hot: HOT_SUBSCRIBERS,
    durationMs: SECONDS * 1000,
  });
  const result = await new Promise<{ latencies: number[]; connections: number }>((resolve, reject) => {
    worker.on('message', resolve);
    worker.on('error', reject);
  });
  await worker.terminate();
  report('fanout', {
    sessions: SESSIONS,
    hotSessionSubscribers: HOT_SUBSCRIBERS,
    connections: result.connections,
    seconds: SECONDS,
    deliveries: result.latencies.length,
    latencyMs: stats(result.latencies),
    targetP99Ms: 50,
    serverRssMiB: { before: rssBefore, peak },
  });
} finally {
  clearInterval(sampler);
  await server.stop();
}
process.exit(0);
