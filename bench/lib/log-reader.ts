/**
 * Worker thread for log-throughput: reads one session's log over graphql-ws and over the REST SSE
 * stream, off the server's thread (as remote clients would), and reports when each saw the last line.
 */
import { get, type IncomingMessage } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { threadCpu } from './cpu.js';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

interface Job {
  url: string;
  token: string;
  id: string;
  last: string;
}

const { url, token, id, last } = workerData as Job;

export interface ReaderResult {
  transport: 'graphql-ws' | 'sse';
  doneAt: number;
  lines: number;
  lost: number;
  /** Messages (graphql-ws) or chunks (SSE) the lines came in. */
  messages: number;
  /** CPU seconds this thread used since the clock started (both readers share the thread). */
  cpu: number;
}

// The parent says when its clock starts ('start'): CPU is counted from then.
let cpuAtStart = threadCpu();
parentPort!.on('message', (message) => {
  if (message === 'start') cpuAtStart = threadCpu();
});
/** The server's `[N log line(s) lost…]` notice has the seq of the last line lost: it is one of them. */
const isLostNotice = (line: { stream: string; text: string }): boolean => line.stream === 'SYSTEM' && /^\[\d+ log line/.test(line.text);

const post = (result: Omit<ReaderResult, 'cpu'>): void => parentPort!.postMessage({ ...result, cpu: threadCpu() - cpuAtStart });

const ws = createClient({
  url: `${url.replace('http', 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
});
let wsLines = 0;
let wsMessages = 0;
let wsLost = 0;
let lastSeq = 0;
ws.subscribe<{ logLines: Array<{ seq: string; stream: string; text: string }> }>(
  { query: 'subscription($id: ID!) { logLines(sessionId: $id, after: "0") { seq stream text } }', variables: { id } },
  {
    next: ({ data }) => {
      wsMessages++;
      for (const line of data?.logLines ?? []) {
        const seq = Number(line.seq);
        // Any jump in seq is lines this reader never got (the server also says so in a SYSTEM line).
        if (seq !== lastSeq + 1) wsLost += seq - lastSeq - (isLostNotice(line) ? 0 : 1);
        if (line.stream === 'STDOUT') wsLines++;
        lastSeq = seq;
        if (line.text.startsWith(last)) {
          post({
            transport: 'graphql-ws',
            doneAt: performance.timeOrigin + performance.now(),
            lines: wsLines,
            lost: wsLost,
            messages: wsMessages,
          });
          void ws.dispose();
        }
      }
    },
    error: (err) => {
      throw err instanceof Error ? err : new Error(JSON.stringify(err));
    },
    complete: () => undefined,
  },
);

// The SSE reader: plain node:http (fetch's web streams cost more CPU than the parsing itself).
const res = await new Promise<IncomingMessage>((resolve, reject) =>
  get(`${url}/sessions/${id}/logs`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, resolve).on(
    'error',
    reject,
  ),
);
res.setEncoding('utf8');
let sseLines = 0;
let sseChunks = 0;
let sseLost = 0;
let sseSeq = 0;
let sseDone = false;
let buffered = '';
const EVENT_LOG = '\nevent: log\ndata: ';
// Every event is parsed like a client would (its JSON decoded, its id checked against its seq,
// gaps counted), not just counted. Events are `id: <seq>\nevent: log\ndata: <json>\n\n`;
// heartbeats and the end event carry no log line.
res.on('data', (chunk: string) => {
  buffered += chunk;
  sseChunks++;
  let start = 0;
  for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n', start)) {
    const from = start;
    start = end + 2;
    const idEnd = buffered.indexOf(EVENT_LOG, from);
    if (!buffered.startsWith('id: ', from) || idEnd === -1 || idEnd > end) continue;
    const line = JSON.parse(buffered.slice(idEnd + EVENT_LOG.length, end)) as { seq: string; stream: string; text: string };
    if (buffered.slice(from + 4, idEnd) !== line.seq) throw new Error(`SSE id and seq differ at ${line.seq}`);
    const seq = Number(line.seq);
    if (seq !== sseSeq + 1) sseLost += seq - sseSeq - (isLostNotice(line) ? 0 : 1);
    sseSeq = seq;
    if (line.stream === 'STDOUT') sseLines++;
    if (line.text.startsWith(last)) {
      post({ transport: 'sse', doneAt: performance.timeOrigin + performance.now(), lines: sseLines, lost: sseLost, messages: sseChunks });
      sseDone = true;
      res.destroy();
      return;
    }
  }
  buffered = buffered.slice(start);
});
res.on('end', () => {
  if (!sseDone) throw new Error('SSE stream ended early');
});
