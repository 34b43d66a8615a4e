/**
 * Ends a process: SIGTERM, then SIGKILL if it is still there after `graceMs`. Resolves with its
 * exit once it is gone.
 *
 * @param signal sends a signal to the process (or its group)
 * @param exit settles when the process is gone
 * @param done whether it is gone already (nothing is sent then)
 */
export async function killGracefully<T>(
  signal: (signal: NodeJS.Signals) => void,
  exit: Promise<T>,
  done: boolean,
  graceMs: number,
): Promise<T> {
  if (done) return exit;
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  timer.unref();
  try {
    return await exit;
  } finally {
    clearTimeout(timer);
  }
}
