import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';

describe('loadConfig', () => {
  it('has embedded defaults: loopback, port 8000, generated key, cwd as workspace', () => {
    const config = loadConfig({}, '/srv/work');
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8000, jwtSecret: undefined, workspace: '/srv/work' });
  });

  it('reads the environment', () => {
    const config = loadConfig(
      { PORT: '9000', HOST: '0.0.0.0', DEBUG_SERVER_WORKSPACE: 'sub', DEBUG_SERVER_JWT_SECRET: 'x'.repeat(32) },
      '/srv',
    );
    expect(config).toMatchObject({ host: '0.0.0.0', port: 9000, workspace: '/srv/sub', jwtSecret: 'x'.repeat(32) });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DEBUG_SERVER_JWT_SECRET: 'short' })).toThrow(
      /PORT.*DEBUG_SERVER_JWT_SECRET|DEBUG_SERVER_JWT_SECRET.*PORT/,
    );
  });
});
