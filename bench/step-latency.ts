/**
 * Step latency, raw protocol against the API, in one run:
 *   npm run bench -- step-latency [iterations=200] [sections=node,python]
 *
 * Node section (debuggee: test/fixtures/node/step-loop.js, an endless loop):
 * - raw: `Debugger.stepOver` → `Debugger.paused` and `Debugger.evaluateOnCallFrame` round trips of
 *   bare CDP clients, no server in between:
 *   - `tcpNaive`: `node --inspect-brk` + plain `ws` with default options (Nagle meets delayed ACK);
 *   - `tcpAckNudge`: the same socket, but the client writes a tiny CDP request whenever a message
 *     arrives while more is expected, so the ACK leaves at once (option (a) of docs/debugging.md);
 *   - `pipe`: the runner's own technique (inspector-preload.cjs + pipe-transport.ts), no TCP.
 * - api: the `step` mutation (→ response with `stoppedAt { line }`) and `eval` over HTTP and
 *   graphql-ws; the variable snapshot's delay after the stop (the session's STOPPED event, seen
 *   in-process) and after the step response, both on a graphql-ws `variableSnapshots`
 *   subscription; `createSession` with stopOnEntry until it answers stopped, for that program and
 *   for the TypeScript sample (test/fixtures/conformance/node/typescript, compiled here first: its
 *   source maps are loaded and its prologue stepped through before the first stop).
 * - noop: `{ __typename }` over HTTP and graphql-ws, the transports' own share.
 * - ratios: API p50 / best raw p50.
 *
 * Python section (bench/lib/python-step-latency.ts, debuggee test/fixtures/python/step_loop.py):
 * the bare runner's `next` → `stopped` and `evaluate` with stock debugpy and with the runner's
 * bootstrap, the same API rows, and API ÷ raw ratios.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CdpConnection } from '../src/runners/node/cdp-connection.js';
import { INSPECTOR_FD_VARIABLE, PRELOAD_PATH } from '../src/runners/node/pipe-channel.js';
import { pipeTransport } from '../src/runners/node/pipe-transport.js';
import { compileSamples } from '../test/support/compile-typescript.js';
import { pythonSection } from './lib/python-step-latency.js';
import { FIXTURES, gql, report, round, startBenchServer, stats, wsClient } from './support.js';

const ITERATIONS = Number(process.argv[2] ?? 200);
const SELECTED = (process.argv[3] ?? 'node,python').split(',');
/** Untimed iterations first: JIT, caches and sockets warm up. */
const WARMUP = 20;
/** `createSession` → first stop is measured on this many sessions. */
const CREATE_SAMPLES = Math.min(ITERATIONS, 20);
const CREATE_WARMUP = 3;
const LOOP_PROGRAM = 'node/step-loop.js';
const LOOP_PATH = `${FIXTURES}${LOOP_PROGRAM}`;
const TYPESCRIPT_PROGRAM = 'conformance/node/typescript/dist/main.js';

type Stats = ReturnType<typeof stats>;
/** Raw round trips of one client. */
interface RawRow {
  stepOver: Stats;
  evaluateOnCallFrame: Stats;
  [extra: string]: unknown;
}
/** One runtime's figures: raw protocol baselines, the API's, and API p50 / best raw p50. */
interface Section {
  raw: Record<string, unknown>;
  api: Record<string, unknown>;
  /** The same API figures with DEBUG_SERVER_SANDBOX=off, and what the box costs against them. */
  apiWithoutBox?: Record<string, unknown>;
  boxCost?: Record<string, number>;
  ratios: Record<string, number>;
}

/** Runtime sections by name (argv[3] picks some, comma-separated). */
const SECTIONS: Record<string, (iterations: number) => Promise<Section>> = {
  node: nodeSection,
  python: pythonSection,
};

async function timed(samples: number[], fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await fn();
  samples.push(performance.now() - started);
}

/** Runs `fn` WARMUP times untimed, then `iterations` times timed. */
async function sample(iterations: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP; i++) await fn();
  for (let i = 0; i < iterations; i++) await timed(samples, fn);
  return samples;
}

// ---- raw CDP clients -------------------------------------------------------------------------

/** What the raw measurement needs of a CDP client, paused in the loop. */
interface RawClient {
  stepOver(): Promise<unknown>;
  evaluate(callFrameId: string, expression: string): Promise<unknown>;
  /** The next `Debugger.paused`: its top frame's callFrameId. */
  nextPause(): Promise<string>;
}

async function measureRaw(client: RawClient, pausedAt: string, iterations: number): Promise<RawRow> {
  let callFrameId = pausedAt;
  const step = async (): Promise<void> => {
    const paused = client.nextPause();
    void client.stepOver();
    callFrameId = await paused;
  };
  const evaluate = (): Promise<unknown> => client.evaluate(callFrameId, 'x + 1');
  const steps: number[] = [];
  const evals: number[] = [];
  for (let i = 0; i < WARMUP; i++) await step();
  for (let i = 0; i < iterations; i++) {
    await timed(steps, step);
    await timed(evals, evaluate);
  }
  return { stepOver: stats(steps), evaluateOnCallFrame: stats(evals) };
}

/** `node --inspect-brk` on the loop; resolves with its WebSocket URL. */
async function startInspectBrk(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--inspect-brk=127.0.0.1:0', LOOP_PATH], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /ws:\/\/\S+/.exec(text);
      if (match) resolve(match[0]);
    });
    child.once('exit', () => reject(new Error(`node exited before printing its inspector URL: ${text}`)));
  });
  return { child, url };
}

/**
 * A bare CDP client over `ws` with default options. With `nudge`, every message that arrives
 * while an answer or a pause is still due is followed by a tiny request (answered, ignored):
 * data going out carries the ACK, so the inspector's Nagle-held next message leaves at once.
 * Nudge answers nudge again while something is due, backing off (0, 0, ¼, ½, 1 … 8 ms) so that
 * a long wait costs few nudges.
 */
class RawWebSocketClient implements RawClient {
  nudges = 0;
  private nextId = 1;
  private nudgeId = 0;
  private streak = 0;
  /** Cancels the scheduled nudge, if any. */
  private cancelNudge: (() => void) | undefined;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private pauseWaiter: ((callFrameId: string) => void) | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly nudge: boolean,
  ) {
    ws.on('message', (data: Buffer) => this.receive(data.toString()));
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  stepOver(): Promise<unknown> {
    return this.send('Debugger.stepOver');
  }

  evaluate(callFrameId: string, expression: string): Promise<unknown> {
    return this.send('Debugger.evaluateOnCallFrame', { callFrameId, expression });
  }

  nextPause(): Promise<string> {
    return new Promise<string>((resolve) => (this.pauseWaiter = resolve));
  }

  close(): void {
    this.clearTimer();
    this.ws.terminate();
  }

  private clearTimer(): void {
    this.cancelNudge?.();
    this.cancelNudge = undefined;
  }

  private get due(): boolean {
    return this.pending.size > 0 || this.pauseWaiter !== undefined;
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as { id?: number; method?: string; result?: unknown; params?: unknown };
    const isNudge = typeof message.id === 'number' && message.id < 0;
    if (typeof message.id === 'number' && !isNudge) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    } else if (message.method === 'Debugger.paused') {
      const { callFrames } = message.params as { callFrames: Array<{ callFrameId: string }> };
      const waiter = this.pauseWaiter;
      this.pauseWaiter = undefined;
      waiter?.(callFrames[0]?.callFrameId ?? '');
    }
    if (!this.nudge || !this.due) {
      this.streak = 0;
    } else if (!isNudge) {
      this.streak = 0;
      this.sendNudge();
    } else if (!this.cancelNudge) {
      const delay = this.streak < 2 ? 0 : Math.min(8, 0.25 * 2 ** (this.streak - 2));
      this.streak++;
      // setTimeout(0) would wait 1 ms: the first retries go out on the next turn of the loop.
      if (delay === 0) {
        const immediate = setImmediate(() => this.sendNudge());
        this.cancelNudge = () => clearImmediate(immediate);
      } else {
        const timeout = setTimeout(() => this.sendNudge(), delay);
        this.cancelNudge = () => clearTimeout(timeout);
      }
    }
  }

  private sendNudge(): void {
    this.clearTimer();
    if (!this.due) return;
    this.nudges++;
    this.ws.send(JSON.stringify({ id: --this.nudgeId, method: 'Runtime.getIsolateId' }));
  }
}

async function rawTcp(nudge: boolean, iterations: number): Promise<RawRow> {
  const { child, url } = await startInspectBrk();
  const ws = new WebSocket(url);
  const client = new RawWebSocketClient(ws, nudge);
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await client.send('Runtime.enable');
    await client.send('Debugger.enable');
    const first = client.nextPause(); // Node's "Break on start", at the loop file's first statement.
    await client.send('Runtime.runIfWaitingForDebugger');
    const nudgesBefore = client.nudges;
    const row = await measureRaw(client, await first, iterations);
    const roundTrips = 2 * iterations + WARMUP;
    return nudge ? { ...row, nudgesPerRoundTrip: round((client.nudges - nudgesBefore) / roundTrips, 1) } : row;
  } finally {
    client.close();
    child.kill('SIGKILL');
  }
}

/** The runner's technique without the runner: preload + relay, CdpConnection over the pipe. */
async function rawPipe(iterations: number): Promise<RawRow> {
  const child = spawn(process.execPath, ['--require', PRELOAD_PATH, LOOP_PATH], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
    env: { ...process.env, [INSPECTOR_FD_VARIABLE]: '3' },
  });
  const cdp = new CdpConnection(pipeTransport(child.stdio[3] as Duplex));
  let pauseWaiter: ((callFrameId: string) => void) | undefined;
  cdp.on('Debugger.paused', ({ callFrames }) => {
    const waiter = pauseWaiter;
    pauseWaiter = undefined;
    waiter?.(callFrames[0]?.callFrameId ?? '');
  });
  const client: RawClient = {
    stepOver: () => cdp.send('Debugger.stepOver', {}),
    evaluate: (callFrameId, expression) => cdp.send('Debugger.evaluateOnCallFrame', { callFrameId, expression }),
    nextPause: () => new Promise<string>((resolve) => (pauseWaiter = resolve)),
  };
  try {
    await cdp.send('Runtime.enable', {});
    await cdp.send('Debugger.enable', {});
    // No "Break on start" here: a breakpoint in the loop body (0-based line 4) stops it.
    await cdp.send('Debugger.setBreakpointByUrl', { url: pathToFileURL(LOOP_PATH).href, lineNumber: 4 });
    const first = client.nextPause();
    await cdp.send('Runtime.runIfWaitingForDebugger', {});
    return await measureRaw(client, await first, iterations);
  } finally {
    child.kill('SIGKILL');
    await cdp.close();
  }
}

// ---- through the API -------------------------------------------------------------------------

const CREATE = `mutation Create($program: String!) {
  createSession(input: { runtime: NODE, program: $program, stopOnEntry: true }) { id state stoppedAt { line } }
}`;
const STEP = 'mutation Step($id: ID!) { step(sessionId: $id, kind: OVER) { stoppedAt { line } } }';
const EVAL = 'mutation Eval($id: ID!) { eval(sessionId: $id, expression: "x + 1") { value } }';
const TERMINATE = 'mutation Terminate($id: ID!) { terminateSession(sessionId: $id) { state } }';
/** The transport's own cost: an operation that touches no session. */
const NOOP = 'query Noop { __typename }';
const SNAPSHOTS = 'subscription Snapshots($id: ID!) { variableSnapshots(sessionId: $id) { frame { line } } }';

interface Created {
  createSession: { id: string; state: string; stoppedAt: { line: number } | null };
}

/** One operation over graphql-ws; rejects on errors. */
function wsRequest<T>(client: Client, query: string, variables: Record<string, unknown>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let data: T | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length) reject(new Error(JSON.stringify(result.errors)));
          else data = result.data as T;
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => (data === undefined ? reject(new Error('no data')) : resolve(data)),
      },
    );
  });
}

/**
 * Steps over graphql-ws, each followed by its snapshot on a `variableSnapshots` subscription
 * before the next step (a snapshot still being read when the program moves on is dropped).
 * Delays from the session's STOPPED event (in-process: the runner's stop, its top frame known)
 * and from the step's response (negative: the snapshot came first).
 */
async function snapshotDelays(
  events: AsyncIterableIterator<{ kind: string }>,
  ws: Client,
  id: string,
  iterations: number,
): Promise<Record<string, Stats>> {
  let stoppedAt = 0;
  void (async () => {
    for await (const event of events) if (event.kind === 'STOPPED') stoppedAt = performance.now();
  })();
  let waiter: ((at: number) => void) | undefined;
  const nextSnapshot = (): Promise<number> => new Promise<number>((resolve) => (waiter = resolve));
  const current = nextSnapshot(); // The subscription starts with the current stop's snapshot.
  const unsubscribe = ws.subscribe(
    { query: SNAPSHOTS, variables: { id } },
    { next: () => waiter?.(performance.now()), error: () => {}, complete: () => {} },
  );
  const afterStop: number[] = [];
  const afterResponse: number[] = [];
  try {
    await current;
    for (let i = 0; i < WARMUP + iterations; i++) {
      const snapshot = nextSnapshot();
      await wsRequest(ws, STEP, { id });
      const respondedAt = performance.now();
      const snapshotAt = await snapshot;
      if (i < WARMUP) continue;
      afterStop.push(snapshotAt - stoppedAt);
      afterResponse.push(snapshotAt - respondedAt);
    }
  } finally {
    unsubscribe();
    void events.return?.();
  }
  return { snapshotAfterStop: stats(afterStop), snapshotAfterStepResponse: stats(afterResponse) };
}

type BenchServer = Awaited<ReturnType<typeof startBenchServer>>;

/**
 * `createSession` (stopOnEntry) → its answer at the first stop, in ms, on fresh sessions: one
 * list per server, the servers taking turns, so that a busy moment of the machine falls on each
 * alike (the box's cost is the difference of two such lists).
 */
async function createSamples(servers: BenchServer[], program: string): Promise<number[][]> {
  const samples = servers.map((): number[] => []);
  // Untimed first ones: the server's own code warms up (JIT).
  for (let i = -CREATE_WARMUP; i < CREATE_SAMPLES; i++) {
    for (const [n, server] of servers.entries()) {
      let created: Created | undefined;
      const create = async () => (created = await gql<Created>(server.url, server.token, CREATE, { program }));
      if (i < 0) await create();
      else await timed(samples[n]!, create);
      if (created?.createSession.state !== 'PAUSED') throw new Error(`not stopped on entry: ${JSON.stringify(created)}`);
      await gql(server.url, server.token, TERMINATE, { id: created.createSession.id });
    }
  }
  return samples;
}

async function nodeApi(iterations: number, server: BenchServer): Promise<Record<string, unknown>> {
  const ws = wsClient(server.url, server.token);
  try {
    const { createSession } = await gql<Created>(server.url, server.token, CREATE, { program: LOOP_PROGRAM });
    const id = createSession.id;
    const stepHttp = await sample(iterations, () => gql(server.url, server.token, STEP, { id }));
    const evalHttp = await sample(iterations, () => gql(server.url, server.token, EVAL, { id }));
    const evalWs = await sample(iterations, () => wsRequest(ws, EVAL, { id }));

    const stepWs = await sample(iterations, () => wsRequest(ws, STEP, { id }));
    const noopHttp = await sample(iterations, () => gql(server.url, server.token, NOOP));
    const noopWs = await sample(iterations, () => wsRequest(ws, NOOP, {}));
    const snapshots = await snapshotDelays(server.app.registry.get(id, 'bench').events.subscribe(), ws, id, iterations);
    await gql(server.url, server.token, TERMINATE, { id });

    return {
      stepHttp: stats(stepHttp),
      stepWs: stats(stepWs),
      evalHttp: stats(evalHttp),
      evalWs: stats(evalWs),
      // For scale: what HTTP and graphql-ws cost by themselves here (fetch + Yoga, no debugger).
      noopHttp: stats(noopHttp),
      noopWs: stats(noopWs),
      ...snapshots,
    };
  } finally {
    await ws.dispose();
  }
}

async function nodeSection(iterations: number): Promise<Section> {
  const raw = {
    tcpNaive: await rawTcp(false, iterations),
    tcpAckNudge: await rawTcp(true, iterations),
    pipe: await rawPipe(iterations),
  };
  // Before any server: a compile blocks the event loop long enough to outlive keep-alive sockets.
  compileSamples();
  // The API in session boxes (what the server runs by default) and without, for the box's cost.
  const boxedServer = await startBenchServer({ DEBUG_SERVER_SANDBOX: 'bwrap' });
  const unboxedServer = await startBenchServer({ DEBUG_SERVER_SANDBOX: 'off' });
  let api: Record<string, unknown>;
  let unboxed: Record<string, unknown>;
  try {
    const [boxedCreate = [], unboxedCreate = []] = await createSamples([boxedServer, unboxedServer], LOOP_PROGRAM);
    const [boxedTs = [], unboxedTs = []] = await createSamples([boxedServer, unboxedServer], TYPESCRIPT_PROGRAM);
    unboxed = {
      ...(await nodeApi(iterations, unboxedServer)),
      createToFirstStop: stats(unboxedCreate),
      createToFirstStopTypeScript: stats(unboxedTs),
    };
    api = {
      ...(await nodeApi(iterations, boxedServer)),
      createToFirstStop: stats(boxedCreate),
      createToFirstStopTypeScript: stats(boxedTs),
    };
  } finally {
    await boxedServer.stop();
    await unboxedServer.stop();
  }
  const best = raw.pipe;
  const p50 = (key: string): number => (api[key] as Stats).p50;
  const unboxedP50 = (key: string): number => (unboxed[key] as Stats).p50;
  return {
    raw,
    api,
    apiWithoutBox: unboxed,
    // Targets: ≤ 1.10 on step p50, ≤ 20 ms more for create → first stop.
    boxCost: {
      stepWsP50Ratio: round(p50('stepWs') / unboxedP50('stepWs'), 2),
      stepHttpP50Ratio: round(p50('stepHttp') / unboxedP50('stepHttp'), 2),
      createToFirstStopP50DeltaMs: round(p50('createToFirstStop') - unboxedP50('createToFirstStop'), 1),
    },
    ratios: {
      stepHttpToRawStep: round(p50('stepHttp') / best.stepOver.p50, 2),
      stepWsToRawStep: round(p50('stepWs') / best.stepOver.p50, 2),
      evalHttpToRawEval: round(p50('evalHttp') / best.evaluateOnCallFrame.p50, 2),
      evalWsToRawEval: round(p50('evalWs') / best.evaluateOnCallFrame.p50, 2),
    },
  };
}

const result: Record<string, unknown> = {
  iterations: ITERATIONS,
  targetsMs: { stepWsP50: 2, stepHttpP50: 3, evalP50: 1.5, snapshotAfterStop: 5, createToFirstStop: 150 },
};
const runtimes: Record<string, Section> = {};
for (const name of SELECTED) {
  const section = SECTIONS[name];
  if (!section) throw new Error(`unknown section ${name}; known: ${Object.keys(SECTIONS).join(', ')}`);
  runtimes[name] = await section(ITERATIONS);
}
result.runtimes = runtimes;
report('step-latency', result);
