import { pino, type Logger } from 'pino';

/** The server's own structured log (JSON lines on stderr, so stdout stays for the banner). */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}
