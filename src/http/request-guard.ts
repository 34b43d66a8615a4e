/**
 * Checks a request must pass before anything reads it: the Host it names (a page on another
 * origin that rebinds its DNS name to 127.0.0.1 reaches a loopback server under its own name) and
 * the size of its body.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export interface RequestGuardOptions {
  /** Host names (or addresses) accepted besides the loopback ones; empty: only those. */
  allowedHosts: readonly string[];
  /** Largest request body (and WebSocket message) in bytes. */
  maxBodyBytes: number;
}

/** Why a request is refused: an HTTP status and a short reason, or undefined when it may go on. */
export type Refusal = { status: number; reason: string } | undefined;

/** The metrics label of a refusal. */
export function refusalReason(refusal: NonNullable<Refusal>): 'host' | 'content_length_required' | 'body_too_large' {
  if (refusal.status === 411) return 'content_length_required';
  if (refusal.status === 413) return 'body_too_large';
  return 'host';
}

/** Builds the guard for a server listening on `listenAddress`. */
export function requestGuard(options: RequestGuardOptions, listenAddress: () => string | undefined): (req: IncomingMessage) => Refusal {
  const allowed = new Set(options.allowedHosts.map((h) => h.toLowerCase()));
  return (req) => {
    const host = hostName(req.headers.host);
    const onLoopback = isLoopback(listenAddress() ?? '');
    // On loopback, only loopback names (and the configured ones); elsewhere, the configured ones
    // when there are any.
    const hostOk =
      host !== undefined &&
      (allowed.has(host) || (onLoopback ? isLoopback(host) || host === 'localhost' || host.endsWith('.localhost') : allowed.size === 0));
    if (!hostOk) return { status: 421, reason: `this server does not answer to host ${JSON.stringify(req.headers.host ?? '')}` };
    if (req.method === 'POST') {
      const length = req.headers['content-length'];
      if (length === undefined) return { status: 411, reason: 'a request body needs a Content-Length' };
      if (Number(length) > options.maxBodyBytes)
        return { status: 413, reason: `request bodies are limited to ${options.maxBodyBytes} bytes` };
    }
    return undefined;
  };
}

/** The host name of a Host header, without port or IPv6 brackets, lower case. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

function isLoopback(address: string): boolean {
  if (isIP(address) === 4) return address.startsWith('127.');
  if (isIP(address) === 6) return address === '::1' || address.startsWith('::ffff:127.');
  return false;
}
