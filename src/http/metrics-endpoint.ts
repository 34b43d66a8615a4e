import type { IncomingMessage, ServerResponse } from 'node:http';
import { SCOPES } from '../auth/scopes.js';
import type { TokenService } from '../auth/tokens.js';
import type { ApiMetrics } from '../metrics/metrics.js';

/**
 * `GET /metrics`: the Prometheus exposition, for a bearer token with the `metrics:read` scope
 * (Prometheus sends one with `authorization.credentials` in its scrape config). Never anonymous:
 * the figures describe every owner's sessions.
 */
export async function handleMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { tokens: TokenService; metrics: ApiMetrics },
): Promise<void> {
  const fail = (status: number, error: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify({ error }));
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'only GET is allowed', { allow: 'GET, HEAD' });
  const header = req.headers.authorization;
  if (!header) return fail(401, 'a bearer token is required', { 'www-authenticate': 'Bearer' });
  let scopes: ReadonlySet<string>;
  try {
    scopes = (await deps.tokens.verifyHeader(header)).scopes;
  } catch (err) {
    return fail(401, err instanceof Error ? err.message : 'invalid token', { 'www-authenticate': 'Bearer' });
  }
  if (!scopes.has(SCOPES.METRICS_READ)) return fail(403, `this needs the "${SCOPES.METRICS_READ}" scope`);
  const { contentType, body } = await deps.metrics.expose();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
