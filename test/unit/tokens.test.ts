import { describe, expect, it } from 'vitest';
import { AuthError, parseTtl, TokenService } from '../../src/auth/tokens.js';

describe('TokenService', () => {
  it('signs and verifies a token into a principal', async () => {
    const tokens = new TokenService('0123456789abcdef0123456789abcdef');
    const token = await tokens.sign('alice', ['sessions:read', 'debug:eval'], 60);
    const principal = await tokens.verifyHeader(`Bearer ${token}`);
    expect(principal.subject).toBe('alice');
    expect([...principal.scopes]).toEqual(['sessions:read', 'debug:eval']);
    expect(principal.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('generates a random key when none is given: its tokens fail elsewhere', async () => {
    const a = new TokenService();
    const b = new TokenService();
    const token = await a.sign('dev', [], 60);
    await expect(a.verify(token)).resolves.toMatchObject({ subject: 'dev' });
    await expect(b.verify(token)).rejects.toThrow(AuthError);
  });

  it.each(['', 'Bearer', 'Token abc', 'Bearer a b'])('refuses the header %j', async (header) => {
    await expect(new TokenService().verifyHeader(header)).rejects.toThrow(AuthError);
  });
});

describe('parseTtl', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['2d', 172_800],
  ])('%s → %d s', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });
  it.each(['', '0', '-1h', '1w', 'soon'])('refuses %j', (text) => {
    expect(() => parseTtl(text)).toThrow();
  });
});
