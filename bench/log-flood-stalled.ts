/**
 * A flood with a stalled subscriber: a Node debuggee writes N lines (default 10,000,000;
 * `npm run bench -- log-flood-stalled N`) while one graphql-ws subscriber never reads its socket.
 * Prints the server's RSS before and at peak (the server runs in this process, the stalled
 * client in a child process that stops reading), lines the debuggee wrote, and what the stalled
 * subscriber is told it skipped once it reads again. Bound checked: live heap growth < 64 MiB
 * (after a GC; `npm run bench` passes --expose-gc); peak RSS is printed too.
 */
import { spawn } from 'node:child_process';
import { gql, report, rssMiB, startBenchServer } from './support.js';

const N = Number(process.argv[2] ?? 10_000_000);
/**
 * The bound: the live heap (measured after a GC, the client still stalled) grows by less than
 * this. Peak RSS is printed too; it mostly measures how long V8 leaves the flood's garbage.
 */
const BOUND_MIB = 64;

const server = await startBenchServer();
/**
 * The live heap: after a full GC, and once V8's concurrent sweeper is done (read earlier, pages
 * it has not swept yet still count their garbage), which a second GC a moment later ensures.
 */
const heapMiB = async (): Promise<number> => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc?.();
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
};
const heapBefore = await heapMiB();
const before = rssMiB();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 100);

const { createSession } = await gql<{ createSession: { id: string } }>(
  server.url,
  server.token,
  'mutation($a: [String!]) { createSession(input: { runtime: NODE, program: "programs/flood.js", args: $a, stopOnEntry: true }) { id } }',
  { a: [String(N), 'chunks'] },
);
const id = createSession.id;

// The stalled client: a raw graphql-ws peer in another process that subscribes, then stops
// reading for `stallMs`, then reads everything and reports what it got.
const clientCode = `
const WebSocket = require(${JSON.stringify(new URL('../node_modules/ws/index.js', import.meta.url).pathname)});
const ws = new WebSocket(process.argv[1], 'graphql-transport-ws');
let lines = 0, skipped = 0, lastSeq = 0;
ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer ' + process.argv[2] } })));
ws.on('message', (data) => {
  const msg = JSON.parse(data);
  if (msg.type === 'connection_ack') {
    ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription($id: ID!) { logLines(sessionId: $id) { seq stream text } }', variables: { id: process.argv[3] } } }));
    setTimeout(() => { ws._socket.pause(); process.send('stalled'); }, 200);
  }
  if (msg.type === 'next') for (const l of msg.payload.data.logLines) {
    // The lost-lines notice takes the seq of the last line lost: it counts as one of the skipped.
    const seq = Number(l.seq); if (seq > lastSeq + 1) skipped += seq - lastSeq - (l.stream === 'SYSTEM' && l.text.includes(' log line(s) lost') ? 0 : 1); lastSeq = seq;
    if (l.stream === 'STDOUT') lines++;
    if (l.text.startsWith('process exited')) { process.send({ lines, skipped }); ws.close(); }
  }
});
process.on('message', (m) => { if (m === 'resume') ws._socket.resume(); });
`;
const client = spawn(process.execPath, ['-e', clientCode, `${server.url.replace('http', 'ws')}/graphql`, server.token, id], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
client.on('error', () => undefined); // the client may be gone first when we kill it
await new Promise<void>((resolve) => client.once('message', () => resolve()));

const started = performance.now();
await gql(server.url, server.token, 'mutation($id: ID!) { continue(sessionId: $id) { state } }', { id });
// Wait for the program to end while the client is stalled.
for (;;) {
  const { session } = await gql<{ session: { state: string } }>(
    server.url,
    server.token,
    'query($id: ID!) { session(id: $id) { state } }',
    { id },
  );
  if (session.state !== 'RUNNING') break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const floodSeconds = (performance.now() - started) / 1000;
const stalledPeak = peak;
// What the server still holds, garbage aside, with the client still stalled.
const heapAfterGcMiB = await heapMiB();
client.send('resume');
const got = await new Promise<{ lines: number; skipped: number }>((resolve) =>
  client.once('message', (m) => resolve(m as { lines: number; skipped: number })),
);
clearInterval(sampler);
client.kill();
await server.stop();

report('log-flood-stalled', {
  lines: N,
  floodSeconds: Math.round(floodSeconds * 10) / 10,
  debuggeeLinesPerSec: Math.round(N / floodSeconds),
  liveHeapMiB: {
    before: heapBefore,
    afterFloodWhileStalled: heapAfterGcMiB,
    growth: Math.round((heapAfterGcMiB - heapBefore) * 10) / 10,
    bound: BOUND_MIB,
  },
  withinBound: heapAfterGcMiB - heapBefore < BOUND_MIB,
  serverRssMiB: { before, peakWhileStalled: stalledPeak },
  stalledSubscriber: { linesReceived: got.lines, linesSkippedAndReported: got.skipped, total: got.lines + got.skipped },
});
process.exit(0);
