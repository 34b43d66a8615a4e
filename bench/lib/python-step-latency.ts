/**
 * The Python rows of step-latency: debugpy's `next` → `stopped` and `evaluate` with the bare
 * runner (no server: stock debugpy, then with the runner's bootstrap), then the API's `step` and
 * `eval` over HTTP and graphql-ws, and the delay of the stop's snapshot after the step answer.
 */
import type { RunnerAdapter, StoppedEvent } from '../../src/runners/adapter.js';
import { createPythonRunner } from '../../src/runners/dap/debugpy.js';
import { FIXTURES, gql, round, startBenchServer, stats, wsClient } from '../support.js';

const PROGRAM = 'python/step_loop.py';
const WARMUP = 10;

type Stats = ReturnType<typeof stats>;

async function time(samples: number[], fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await fn();
  samples.push(performance.now() - started);
}

/** `next` → `stopped` and `evaluate` on the bare runner. */
async function rawRunner(speedups: boolean, iterations: number): Promise<{ next: Stats; evaluate: Stats }> {
  const runner: RunnerAdapter = createPythonRunner({ speedups });
  let waiter: ((e: StoppedEvent) => void) | undefined;
  runner.on('stopped', (e) => waiter?.(e));
  const stopped = (): Promise<StoppedEvent> => new Promise((resolve) => (waiter = resolve));
  try {
    const first = stopped();
    await runner.launch({ program: `${FIXTURES}${PROGRAM}`, args: [], cwd: FIXTURES, env: {}, stopOnEntry: true, breakpoints: new Map() });
    const { threadId } = await first;
    const step = async (): Promise<void> => {
      const next = stopped();
      await runner.next(threadId);
      await next;
    };
    const steps: number[] = [];
    const evals: number[] = [];
    for (let i = 0; i < WARMUP; i++) await step();
    for (let i = 0; i < iterations; i++) {
      await time(steps, step);
      await time(evals, () => runner.evaluate('x + 1'));
    }
    return { next: stats(steps), evaluate: stats(evals) };
  } finally {
    await runner.terminate();
  }
}

/** The API rows for Python. */
async function api(iterations: number): Promise<Record<string, Stats>> {
  const server = await startBenchServer();
  const ws = wsClient(server.url, server.token);
  const wsRequest = <T>(query: string, variables: Record<string, unknown>): Promise<T> =>
    new Promise((resolve, reject) => {
      let result: T | undefined;
      ws.subscribe<T>(
        { query, variables },
        { next: (r) => (result = r.data ?? undefined), error: reject, complete: () => resolve(result as T) },
      );
    });
  try {
    const { createSession } = await gql<{ createSession: { id: string } }>(
      server.url,
      server.token,
      'mutation($p: String!) { createSession(input: { runtime: PYTHON, program: $p, stopOnEntry: true }) { id } }',
      { p: PROGRAM },
    );
    const id = createSession.id;
    const STEP = 'mutation($id: ID!) { step(sessionId: $id) { stoppedAt { line } } }';
    const EVAL = 'mutation($id: ID!) { eval(sessionId: $id, expression: "x + 1") { value } }';
    const rows: Record<string, number[]> = { stepHttp: [], stepWs: [], evalHttp: [], evalWs: [], snapshotAfterStepAnswer: [] };
    for (let i = 0; i < WARMUP; i++) await gql(server.url, server.token, STEP, { id });
    for (let i = 0; i < iterations; i++) {
      await time(rows.stepHttp!, () => gql(server.url, server.token, STEP, { id }));
      await time(rows.stepWs!, () => wsRequest(STEP, { id }));
      await time(rows.evalHttp!, () => gql(server.url, server.token, EVAL, { id }));
      await time(rows.evalWs!, () => wsRequest(EVAL, { id }));
    }
    // Snapshot: a step answered over graphql-ws, then the snapshot's arrival on a subscription.
    let snapshotSeen: (() => void) | undefined;
    const dispose = ws.subscribe(
      {
        query: 'subscription($id: ID!) { variableSnapshots(sessionId: $id) { frame { line } variables { name value } } }',
        variables: { id },
      },
      { next: () => snapshotSeen?.(), error: () => undefined, complete: () => undefined },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < Math.min(iterations, 50); i++) {
      const seen = new Promise<void>((resolve) => (snapshotSeen = resolve));
      await wsRequest(STEP, { id });
      const answered = performance.now();
      await seen;
      rows.snapshotAfterStepAnswer!.push(performance.now() - answered);
    }
    dispose();
    return Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, stats(v)]));
  } finally {
    await ws.dispose();
    await server.stop();
  }
}

/** The python section: raw runner rows, API rows, and API/raw ratios. */
export async function pythonSection(
  iterations: number,
): Promise<{ raw: Record<string, unknown>; api: Record<string, unknown>; ratios: Record<string, number> }> {
  const stock = await rawRunner(false, Math.min(iterations, 50));
  const fast = await rawRunner(true, iterations);
  const apiRows = await api(iterations);
  return {
    raw: { debugpyStock: stock, debugpyWithBootstrap: fast },
    api: apiRows,
    ratios: {
      stepHttpToRawNext: round((apiRows.stepHttp?.p50 ?? NaN) / fast.next.p50, 2),
      stepWsToRawNext: round((apiRows.stepWs?.p50 ?? NaN) / fast.next.p50, 2),
      stepWsToStockNext: round((apiRows.stepWs?.p50 ?? NaN) / stock.next.p50, 2),
    },
  };
}
