import { parseArgs } from 'node:util';
import { ALL_SCOPES } from './auth/scopes.js';

// The server (and the runners the configuration names) load only for the command that needs
// them: help answers at once.
const loadServer = async () => ({
  ...(await import('./app.js')),
  ...(await import('./config/config.js')),
  ...(await import('./logger.js')),
  ...(await import('./auth/tokens.js')),
});

const USAGE = `usage: debug-server <command> [options]

commands:
  serve (default)   start the API server; configured by the environment (HOST, PORT,
                    DEBUG_SERVER_*: see the README's configuration table)
  token             print a token signed with DEBUG_SERVER_JWT_SECRET
  help [command]    this text, or a command's

examples:
  debug-server                                  # on 127.0.0.1:8000, a dev key and a dev token printed
  PORT=9000 DEBUG_SERVER_WORKSPACE=~/code debug-server serve
  DEBUG_SERVER_JWT_SECRET=$SECRET debug-server token --sub alice --ttl 8h

run "debug-server <command> --help" for a command's options.`;

const SERVE_USAGE = `usage: debug-server serve

Starts the API server: GraphQL on /graphql (HTTP, SSE, graphql-ws, GraphiQL in a browser), the
session WebSockets /sessions/:id/debug and /sessions/:id/logs, GET /sessions/:id/logs,
/metrics and /healthz. No options: the environment configures it (HOST, PORT, DEBUG_SERVER_*;
see the README). Without DEBUG_SERVER_JWT_SECRET it signs with a random key and prints a dev token.

examples:
  debug-server serve
  HOST=0.0.0.0 DEBUG_SERVER_ALLOWED_HOSTS=debug.example.com DEBUG_SERVER_JWT_SECRET=$SECRET debug-server serve`;

const TOKEN_USAGE = `usage: debug-server token [--sub NAME] [--scope "SCOPE ..."] [--ttl DURATION]

Prints a JWT signed with DEBUG_SERVER_JWT_SECRET (the server must use the same secret).

options:
  --sub NAME       the subject: it owns the sessions it creates (default: dev)
  --scope "..."    space-separated scopes (default: all of them)
  --ttl DURATION   lifetime: 90s, 30m, 8h, 1d (default: 1h; at most DEBUG_SERVER_MAX_TOKEN_TTL_SECONDS)
  -h, --help       this text

scopes: ${ALL_SCOPES.join(' ')}

examples:
  DEBUG_SERVER_JWT_SECRET=$SECRET debug-server token --sub alice --ttl 8h
  DEBUG_SERVER_JWT_SECRET=$SECRET debug-server token --sub prometheus --scope metrics:read --ttl 24h
  DEBUG_SERVER_JWT_SECRET=$SECRET debug-server token --sub ci --scope "sessions:read sessions:write debug:control logs:read"`;

/** A usage mistake: the message and the usage go to stderr, exit status 2. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** `--help` / `-h` anywhere in a command's arguments. */
function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

const DEV_TOKEN_TTL = 12 * 3600;

async function serve(): Promise<void> {
  const { createApp, createLogger, loadConfig } = await loadServer();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = createApp(config, logger);
  await app.server.listen(config.port, config.host);
  const url = app.server.url();
  const lines = [`debug-server listening on ${url}`, `  GraphiQL:  ${url}/graphql`, `  workspace: ${config.workspace}`];
  const box = app.sandbox.sandbox;
  lines.push(`  sandbox:   ${box ? box.description : 'off'}`);
  // Loud: an operator who expected isolation must not miss that there is none.
  if (app.sandbox.warning) process.stderr.write(`\nWARNING: ${app.sandbox.warning}\n\n`);
  if (config.jwtSecret === undefined) {
    const token = await app.tokens.sign('dev', ALL_SCOPES, DEV_TOKEN_TTL);
    lines.push(
      '',
      'No DEBUG_SERVER_JWT_SECRET set: using a random dev signing key (tokens die with this process).',
      'Dev token (sub "dev", every scope, valid 12 h). In GraphiQL, Headers tab:',
      `  {"Authorization": "Bearer ${token}"}`,
      'or in a shell:',
      `  export TOKEN=${token}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function token(argv: string[]): Promise<void> {
  let values: { sub?: string; scope?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sub: { type: 'string', default: 'dev' },
        scope: { type: 'string', default: ALL_SCOPES.join(' ') },
        ttl: { type: 'string', default: '1h' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), TOKEN_USAGE);
  }
  const { loadConfig, parseTtl, TokenService } = await loadServer();
  const config = loadConfig();
  if (config.jwtSecret === undefined) {
    throw new Error(
      'DEBUG_SERVER_JWT_SECRET is not set: the server would sign with a random key that this command cannot know. Set it for both.',
    );
  }
  const scopes = (values.scope ?? '').split(/\s+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown scope(s): ${unknown.join(', ')}`);
  const ttl = parseTtl(values.ttl ?? '1h');
  if (ttl > config.maxTokenTtlSeconds) {
    throw new Error(
      `--ttl ${values.ttl} is longer than the server accepts (DEBUG_SERVER_MAX_TOKEN_TTL_SECONDS=${config.maxTokenTtlSeconds})`,
    );
  }
  const signed = await new TokenService(config.jwtSecret, config.maxTokenTtlSeconds).sign(values.sub ?? 'dev', scopes, ttl);
  process.stdout.write(`${signed}\n`);
}

/** What the command line asks for: a command to run, or a text to print. */
function dispatch(argv: readonly string[]): Promise<void> | string {
  const [first, ...rest] = argv;
  if (first === undefined) return serve();
  if (first === '--help' || first === '-h') return USAGE;
  if (first === 'help') return rest[0] === 'token' ? TOKEN_USAGE : rest[0] === 'serve' ? SERVE_USAGE : USAGE;
  if (first === 'serve') {
    if (wantsHelp(rest)) return SERVE_USAGE;
    if (rest.length > 0)
      throw new UsageError(`serve takes no arguments (got ${rest.join(' ')}); the environment configures it`, SERVE_USAGE);
    return serve();
  }
  if (first === 'token') return wantsHelp(rest) ? TOKEN_USAGE : token(rest);
  throw new UsageError(`unknown command "${first}"`, USAGE);
}

function fail(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof UsageError) {
    process.stderr.write(`debug-server: ${message}\n\n${err.usage}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`debug-server: ${message}\n`);
  process.exitCode = 1;
}

try {
  const outcome = dispatch(process.argv.slice(2));
  if (typeof outcome === 'string') process.stdout.write(`${outcome}\n`);
  else outcome.catch(fail);
} catch (err) {
  fail(err);
}
