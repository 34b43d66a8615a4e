/**
 * How a DAP runner reaches its adapter once the adapter process runs: over the process's stdio
 * (debugpy), or over a TCP or Unix socket the adapter listens on (Delve's `dlv dap --listen`).
 */
import { connect, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterProcess } from './adapter-process.js';

/** The two directions of a DAP connection. */
export interface DapStreams {
  /** What the adapter sends. */
  input: Readable;
  /** Where our messages go. */
  output: Writable;
}

/** The adapter's stdin and stdout. */
export function stdioStreams(adapter: AdapterProcess): DapStreams {
  return { input: adapter.child.stdout, output: adapter.child.stdin };
}

/** Where an adapter listens: a TCP port on a host, or a Unix socket path. */
export type SocketAddress = { host: string; port: number } | { path: string };

/** How often a connection is tried while the adapter is starting. */
const RETRY_MS = 25;

/**
 * Connects to an adapter that listens on `address`, trying again while nothing listens yet (the
 * adapter is starting) until `timeoutMs`; gives up at once when the adapter process ends.
 */
export async function connectSocket(address: SocketAddress, timeoutMs: number, adapter?: AdapterProcess): Promise<DapStreams> {
  let ended = false;
  void adapter?.exit.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const socket = await attempt(address);
      return { input: socket, output: socket };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const starting = code === 'ECONNREFUSED' || code === 'ENOENT';
      if (!starting || ended || Date.now() + RETRY_MS > deadline) {
        const where = 'path' in address ? address.path : `${address.host}:${address.port}`;
        throw new Error(`cannot connect to the debug adapter at ${where}: ${ended ? 'it exited' : (error as Error).message}`, {
          cause: error,
        });
      }
      await sleep(RETRY_MS);
    }
  }
}

function attempt(address: SocketAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(address);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}
