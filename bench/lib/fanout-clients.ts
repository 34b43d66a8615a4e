/**
 * Worker thread for fanout: opens `subscribers` graphql-ws connections, each subscribed to
 * `logLines` of one session (sessions[i % sessions.length] after the first `hot` go to sessions[0]),
 * and reports per-line delivery latency (now − the time the debuggee stamped in the line).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

interface Job {
  url: string;
  token: string;
  /** Session ids; the first is the hot one. */
  sessions: string[];
  /** Subscribers on the hot session. */
  hot: number;
  durationMs: number;
}

const { url, token, sessions, hot, durationMs } = workerData as Job;
const latencies: number[] = [];
const clients: Client[] = [];
let measuring = false;

const targets = [...Array.from({ length: hot }, () => sessions[0]!), ...sessions.slice(1)];
let ready = 0;
for (const id of targets) {
  const client = createClient({
    url: `${url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    on: { connected: () => void ready++ },
  });
  clients.push(client);
  client.subscribe<{ logLines: Array<{ text: string }> }>(
    { query: 'subscription($id: ID!) { logLines(sessionId: $id) { text } }', variables: { id } },
    {
      next: ({ data }) => {
        if (!measuring) return;
        const now = performance.timeOrigin + performance.now();
        for (const line of data?.logLines ?? []) {
          const stamp = /^stamp (\d+\.\d+)/.exec(line.text);
          if (stamp) latencies.push(now - Number(stamp[1]));
        }
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
}
while (ready < targets.length) await new Promise((resolve) => setTimeout(resolve, 50));
await new Promise((resolve) => setTimeout(resolve, 500));
measuring = true;
await new Promise((resolve) => setTimeout(resolve, durationMs));
measuring = false;
parentPort!.postMessage({ latencies, connections: targets.length });
for (const client of clients) void client.dispose();
