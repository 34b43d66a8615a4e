import type { Logger } from 'pino';
import { TokenService } from './auth/tokens.js';
import type { Config } from './config/config.js';
import { createDebugServer, type DebugServer } from './http/server.js';
import { ApiMetrics } from './metrics/metrics.js';
import { createRunnerFactories } from './runners/runtimes.js';
import { createSandbox, type SandboxSetup } from './sandbox/sandbox.js';
import { SessionRegistry } from './sessions/registry.js';
import { Workspace } from './sessions/workspace.js';

/** Everything a running debug-server is made of. */
export interface App {
  config: Config;
  tokens: TokenService;
  registry: SessionRegistry;
  server: DebugServer;
  /** The session box, or why sessions run without one. */
  sandbox: SandboxSetup;
  metrics: ApiMetrics;
}

/** Wires config → auth, sessions, runners and transports (not yet listening). */
export function createApp(config: Config, logger: Logger): App {
  const tokens = new TokenService(config.jwtSecret, config.maxTokenTtlSeconds);
  const workspace = new Workspace(config.workspace);
  const sandbox = createSandbox({
    mode: config.sandbox,
    workspace: workspace.root,
    memoryMb: config.sessionMemoryMb,
    maxProcesses: config.sessionMaxProcesses,
    maxOpenFiles: config.sessionMaxOpenFiles,
    readOnlyPaths: config.sandboxReadOnlyPaths,
  });
  if (sandbox.warning) logger.warn({ sandbox: config.sandbox }, sandbox.warning);
  const runners = createRunnerFactories(config.runtimeSettings, { sandbox: sandbox.sandbox });
  // The census reads the registry at scrape time (after it exists); the registry reports to the
  // metrics as it works.
  const metrics: ApiMetrics = new ApiMetrics({
    sessions: () => registry.all().map((s) => ({ runtime: s.spec.runtime, state: s.state, live: !s.ended })),
  });
  const registry: SessionRegistry = new SessionRegistry(
    runners,
    workspace,
    {
      logBufferLines: config.logBufferLines,
      logBufferBytes: config.logBufferBytes,
      maxLineLength: config.maxLineLength,
      stopWaitMs: config.stopWaitMs,
      evalTimeoutMs: config.evalTimeoutMs,
      snapshotMaxVariables: config.snapshotMaxVariables,
      snapshotMaxValueLength: config.snapshotMaxValueLength,
    },
    { perOwner: config.maxSessionsPerOwner, total: config.maxSessions },
    { endedTtlMs: config.endedSessionTtlSeconds * 1000 },
    metrics,
  );
  const server = createDebugServer({
    registry,
    tokens,
    logger,
    sandbox,
    metrics,
    guard: { allowedHosts: config.allowedHosts, maxBodyBytes: config.maxBodyBytes },
    corsOrigins: config.corsOrigins,
    limits: {
      maxTokens: config.maxTokens,
      maxAliases: config.maxAliases,
      maxDepth: config.maxDepth,
      maxSubscriptionsPerSocket: config.maxSubscriptionsPerSocket,
    },
  });
  return { config, tokens, registry, server, sandbox, metrics };
}
