/** The command line as a user meets it: help for every command, usage mistakes exit 2. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const { status, stdout, stderr } = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
  });
  return { status, stdout, stderr };
}

describe('debug-server CLI', () => {
  it('prints help for the program and each command, with examples, and exits 0', () => {
    for (const args of [['--help'], ['help']]) {
      const out = cli(args);
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(/^usage: debug-server <command>/);
      expect(out.stdout).toContain('examples:');
    }
    for (const args of [
      ['token', '--help'],
      ['token', '-h'],
      ['help', 'token'],
    ]) {
      const out = cli(args);
      expect(out.status).toBe(0);
      expect(out.stdout).toContain('--ttl DURATION');
      expect(out.stdout).toContain('metrics:read');
    }
    expect(cli(['serve', '--help']).stdout).toMatch(/^usage: debug-server serve/);
  });

  it('answers a usage mistake with the message and the usage on stderr, exit 2', () => {
    const unknown = cli(['frob']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frob"');
    expect(unknown.stderr).toContain('usage: debug-server <command>');
    const option = cli(['token', '--frob']);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("Unknown option '--frob'");
    expect(option.stderr).toContain('usage: debug-server token');
  });

  it('prints a token, and explains a missing secret (exit 1)', () => {
    const noSecret = cli(['token']);
    expect(noSecret.status).toBe(1);
    expect(noSecret.stderr).toContain('DEBUG_SERVER_JWT_SECRET is not set');
    const out = cli(['token', '--sub', 'alice', '--ttl', '5m'], { DEBUG_SERVER_JWT_SECRET: 'x'.repeat(40) });
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('.')).toHaveLength(3);
  });
});
