import { randomBytes } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Principal } from './scopes.js';

const ALGORITHM = 'HS256';

/** Why a token was refused; the message is safe to show to the caller. */
export class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** How far in the future a token's `iat` may be (clocks differ a little). */
const CLOCK_SKEW_SECONDS = 60;
/** Default longest lifetime accepted (`DEBUG_SERVER_MAX_TOKEN_TTL_SECONDS`). */
export const DEFAULT_MAX_TOKEN_TTL_SECONDS = 86_400;

/** Signs and verifies the server's bearer tokens (HS256). */
export class TokenService {
  readonly #key: Uint8Array;

  /**
   * @param secret the HS256 key; a random 256-bit key when omitted (dev mode).
   * @param maxTtlSeconds longest lifetime accepted: `exp - iat` (or `exp - now` without `iat`).
   */
  constructor(
    secret?: string,
    readonly maxTtlSeconds = DEFAULT_MAX_TOKEN_TTL_SECONDS,
  ) {
    this.#key = secret === undefined ? randomBytes(32) : new TextEncoder().encode(secret);
  }

  /** Signs a token for `subject` with the given scopes, valid for `ttlSeconds`. */
  async sign(subject: string, scopes: readonly string[], ttlSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: scopes.join(' ') })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(this.#key);
  }

  /** Verifies a compact JWT into a {@link Principal}; throws {@link AuthError} when it is not valid. */
  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.#key, { algorithms: [ALGORITHM], requiredClaims: ['sub', 'exp'] });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new AuthError('token has no subject');
      // A stolen long-lived token is a long-lived key: refuse lifetimes over the maximum, and
      // tokens dated in the future (which would outlive their stated lifetime).
      const now = Math.floor(Date.now() / 1000);
      const exp = payload.exp ?? now;
      if (payload.iat !== undefined && payload.iat > now + CLOCK_SKEW_SECONDS) throw new AuthError('token is issued in the future');
      if (exp - (payload.iat ?? now) > this.maxTtlSeconds) {
        throw new AuthError(`token lifetime exceeds the ${this.maxTtlSeconds} s this server accepts`);
      }
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      return {
        subject: payload.sub,
        scopes: new Set(scope.split(' ').filter(Boolean)),
        expiresAt: payload.exp,
      };
    } catch (err) {
      throw toAuthError(err);
    }
  }

  /** Verifies an `Authorization` header value (`Bearer <jwt>`). */
  async verifyHeader(header: string): Promise<Principal> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw new AuthError('expected "Authorization: Bearer <token>"');
    return this.verify(match[1]);
  }
}

function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof joseErrors.JWTExpired) return new AuthError('token expired');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return new AuthError('token signature is not valid');
  if (err instanceof joseErrors.JWTClaimValidationFailed) return new AuthError(`token claim "${err.claim}" is not valid`);
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return new AuthError('token algorithm is not allowed');
  // Anything else (bad base64, bad JSON, wrong shape) is a malformed token; do not echo details.
  return new AuthError('token is malformed');
}

/** Parses a duration like `90s`, `15m`, `1h`, `2d` (or plain seconds) into seconds. */
export function parseTtl(text: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!match?.[1]) throw new Error(`invalid duration "${text}" (use e.g. 90s, 15m, 1h, 2d)`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] ?? ''] ?? 1;
  const seconds = Number(match[1]) * unit;
  if (seconds <= 0) throw new Error('duration must be positive');
  return seconds;
}
