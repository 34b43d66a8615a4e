import path from 'node:path';
import { z } from 'zod';
import { readRuntimeSettings, type RuntimeSettings } from '../runners/runtimes.js';
import type { SandboxMode } from '../sandbox/sandbox.js';
import type { SessionLimits } from '../sessions/types.js';

/** Server configuration, read from the environment (see README "Configuration"); sessions' tunables included. */
export interface Config extends SessionLimits {
  host: string;
  port: number;
  /** HS256 key; undefined means "generate a dev key at start". */
  jwtSecret: string | undefined;
  /** Absolute directory that programs and their `cwd` must be inside. */
  workspace: string;
  /** Each runtime's own settings (see src/runners/runtimes.ts), validated. */
  runtimeSettings: RuntimeSettings;
  /** pino log level for the server's own logs. */
  logLevel: string;
  /** The session box (see src/sandbox and docs/security.md). */
  sandbox: SandboxMode;
  /** Per-session limits (the whole process tree of one run). */
  sessionMemoryMb: number;
  sessionMaxProcesses: number;
  sessionMaxOpenFiles: number;
  /** Extra host paths every box shows read-only (an interpreter outside /usr, say). */
  sandboxReadOnlyPaths: string[];
  /** Host names accepted besides loopback ones (DNS-rebinding guard). */
  allowedHosts: string[];
  /** Browser origins allowed to call the API (CORS); empty: none cross-origin. */
  corsOrigins: string[];
  /** Largest HTTP request body and WebSocket message. */
  maxBodyBytes: number;
  /** Bounds of one operation, and of the operations one WebSocket runs at once. */
  maxTokens: number;
  maxAliases: number;
  maxDepth: number;
  maxSubscriptionsPerSocket: number;
  /** Longest token lifetime accepted. */
  maxTokenTtlSeconds: number;
  /** How long an ended session is kept before it is removed with its logs. */
  endedSessionTtlSeconds: number;
  /** Live sessions allowed per owner (`sub`) and in all. */
  maxSessionsPerOwner: number;
  maxSessions: number;
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DEBUG_SERVER_JWT_SECRET: z.string().min(32, 'DEBUG_SERVER_JWT_SECRET must be at least 32 characters (256 bits for HS256)').optional(),
  DEBUG_SERVER_WORKSPACE: z.string().min(1).optional(),
  DEBUG_SERVER_LOG_BUFFER_LINES: positiveInt(10_000),
  DEBUG_SERVER_LOG_BUFFER_BYTES: positiveInt(8 * 1024 * 1024),
  DEBUG_SERVER_MAX_LINE_LENGTH: positiveInt(16 * 1024),
  DEBUG_SERVER_STOP_WAIT_MS: positiveInt(30_000),
  DEBUG_SERVER_EVAL_TIMEOUT_MS: positiveInt(5_000),
  DEBUG_SERVER_SNAPSHOT_MAX_VARIABLES: positiveInt(100),
  DEBUG_SERVER_SNAPSHOT_MAX_VALUE_LENGTH: positiveInt(200),
  DEBUG_SERVER_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEBUG_SERVER_SANDBOX: z.enum(['auto', 'bwrap', 'off']).default('auto'),
  DEBUG_SERVER_SESSION_MEMORY_MB: positiveInt(2048),
  DEBUG_SERVER_SESSION_MAX_PROCESSES: positiveInt(256),
  DEBUG_SERVER_SESSION_MAX_OPEN_FILES: positiveInt(4096),
  DEBUG_SERVER_ALLOWED_HOSTS: z.string().default(''),
  DEBUG_SERVER_CORS_ORIGINS: z.string().default(''),
  DEBUG_SERVER_MAX_BODY_BYTES: positiveInt(1024 * 1024),
  DEBUG_SERVER_MAX_TOKEN_TTL_SECONDS: positiveInt(86_400),
  DEBUG_SERVER_MAX_TOKENS: positiveInt(10_000),
  DEBUG_SERVER_MAX_ALIASES: positiveInt(50),
  DEBUG_SERVER_MAX_DEPTH: positiveInt(20),
  DEBUG_SERVER_MAX_SUBSCRIPTIONS_PER_SOCKET: positiveInt(100),
  DEBUG_SERVER_ENDED_SESSION_TTL_SECONDS: z.coerce.number().positive().default(3600),
  DEBUG_SERVER_MAX_SESSIONS_PER_OWNER: positiveInt(20),
  DEBUG_SERVER_MAX_SESSIONS: positiveInt(200),
  DEBUG_SERVER_SANDBOX_READONLY_PATHS: z
    .string()
    .default('')
    .refine((v) => v.split(':').every((p) => p === '' || path.isAbsolute(p)), 'paths must be absolute, separated by ":"'),
});

/** Reads and validates the configuration; throws an Error that names every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  const runtimes = readRuntimeSettings(env);
  if (!parsed.success || !runtimes.settings) {
    const issues = [...(parsed.success ? [] : parsed.error.issues), ...runtimes.issues];
    const problems = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    jwtSecret: e.DEBUG_SERVER_JWT_SECRET,
    workspace: path.resolve(cwd, e.DEBUG_SERVER_WORKSPACE ?? '.'),
    logBufferLines: e.DEBUG_SERVER_LOG_BUFFER_LINES,
    logBufferBytes: e.DEBUG_SERVER_LOG_BUFFER_BYTES,
    maxLineLength: e.DEBUG_SERVER_MAX_LINE_LENGTH,
    stopWaitMs: e.DEBUG_SERVER_STOP_WAIT_MS,
    evalTimeoutMs: e.DEBUG_SERVER_EVAL_TIMEOUT_MS,
    snapshotMaxVariables: e.DEBUG_SERVER_SNAPSHOT_MAX_VARIABLES,
    snapshotMaxValueLength: e.DEBUG_SERVER_SNAPSHOT_MAX_VALUE_LENGTH,
    runtimeSettings: runtimes.settings,
    logLevel: e.DEBUG_SERVER_LOG_LEVEL,
    sandbox: e.DEBUG_SERVER_SANDBOX,
    sessionMemoryMb: e.DEBUG_SERVER_SESSION_MEMORY_MB,
    sessionMaxProcesses: e.DEBUG_SERVER_SESSION_MAX_PROCESSES,
    sessionMaxOpenFiles: e.DEBUG_SERVER_SESSION_MAX_OPEN_FILES,
    sandboxReadOnlyPaths: e.DEBUG_SERVER_SANDBOX_READONLY_PATHS.split(':').filter(Boolean),
    allowedHosts: list(e.DEBUG_SERVER_ALLOWED_HOSTS),
    corsOrigins: list(e.DEBUG_SERVER_CORS_ORIGINS),
    maxBodyBytes: e.DEBUG_SERVER_MAX_BODY_BYTES,
    maxTokenTtlSeconds: e.DEBUG_SERVER_MAX_TOKEN_TTL_SECONDS,
    maxTokens: e.DEBUG_SERVER_MAX_TOKENS,
    maxAliases: e.DEBUG_SERVER_MAX_ALIASES,
    maxDepth: e.DEBUG_SERVER_MAX_DEPTH,
    maxSubscriptionsPerSocket: e.DEBUG_SERVER_MAX_SUBSCRIPTIONS_PER_SOCKET,
    endedSessionTtlSeconds: e.DEBUG_SERVER_ENDED_SESSION_TTL_SECONDS,
    maxSessionsPerOwner: e.DEBUG_SERVER_MAX_SESSIONS_PER_OWNER,
    maxSessions: e.DEBUG_SERVER_MAX_SESSIONS,
  };
}

/** A comma-separated list, trimmed, without empty items. */
function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
