import type { Logger } from 'pino';
import { TokenService } from './auth/tokens.js';
import type { Config } from './config/config.js';
import { createDebugServer, type DebugServer } from './http/server.js';
import { createRunnerFactories } from './runners/index.js';
import { SessionRegistry } from './sessions/registry.js';
import { Workspace } from './sessions/workspace.js';

/** Everything a running debug-server is made of. */
export interface App {
  config: Config;
  tokens: TokenService;
  registry: SessionRegistry;
  server: DebugServer;
}

/** Wires config → auth, sessions, runners and transports (not yet listening). */
export function createApp(config: Config, logger: Logger): App {
  const tokens = new TokenService(config.jwtSecret);
  const registry = new SessionRegistry(createRunnerFactories({ pythonPath: config.pythonPath }), new Workspace(config.workspace), {
    logBufferLines: config.logBufferLines,
    logBufferBytes: config.logBufferBytes,
    maxLineLength: config.maxLineLength,
    stopWaitMs: config.stopWaitMs,
    evalTimeoutMs: config.evalTimeoutMs,
    snapshotMaxVariables: config.snapshotMaxVariables,
    snapshotMaxValueLength: config.snapshotMaxValueLength,
  });
  const server = createDebugServer({ registry, tokens, logger });
  return { config, tokens, registry, server };
}
