/**
 * Worker thread for log-throughput: reads one session's log over graphql-ws and over the REST SSE
 * stream, off the server's thread (as remote clients would), and reports when each saw the last line.
 */
import { parentPort, workerData } from 'node:worker_threads';
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
}

const post = (result: ReaderResult): void => parentPort!.postMessage(result);

const ws = createClient({
  url: `${url.replace('http', 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
});
let wsLines = 0;
let wsLost = 0;
let lastSeq = 0;
ws.subscribe<{ logLines: Array<{ seq: string; stream: string; text: string }> }>(
  { query: 'subscription($id: ID!) { logLines(sessionId: $id, after: "0") { seq stream text } }', variables: { id } },
  {
    next: ({ data }) => {
      for (const line of data?.logLines ?? []) {
        const seq = Number(line.seq);
        // Any jump in seq is lines this reader never got (the server also says so in a SYSTEM line).
        if (seq !== lastSeq + 1) wsLost += seq - lastSeq - 1;
        if (line.stream === 'STDOUT') wsLines++;
        lastSeq = seq;
        if (line.text.startsWith(last)) {
          post({ transport: 'graphql-ws', doneAt: performance.timeOrigin + performance.now(), lines: wsLines, lost: wsLost });
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

const res = await fetch(`${url}/sessions/${id}/logs`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
let sseLines = 0;
let buffered = '';
for (;;) {
  const { value, done } = await reader.read();
  if (done) throw new Error('SSE stream ended early');
  buffered += value;
  const cut = buffered.lastIndexOf('\n\n');
  if (cut === -1) continue;
  const events = buffered.slice(0, cut);
  buffered = buffered.slice(cut + 2);
  for (let i = events.indexOf('event: log'); i !== -1; i = events.indexOf('event: log', i + 1)) sseLines++;
  if (events.includes(last)) {
    post({ transport: 'sse', doneAt: performance.timeOrigin + performance.now(), lines: sseLines, lost: 0 });
    await reader.cancel();
    break;
  }
}
