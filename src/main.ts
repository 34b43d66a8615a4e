import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { ALL_SCOPES } from './auth/scopes.js';
import { TokenService, parseTtl } from './auth/tokens.js';
import { loadConfig } from './config/config.js';
import { createLogger } from './logger.js';

const USAGE = `usage:
  debug-server [serve]                       start the API server (HOST, PORT, DEBUG_SERVER_* from the environment)
  debug-server token [--sub NAME] [--scope "s1 s2"] [--ttl 1h]
                                             print a token signed with DEBUG_SERVER_JWT_SECRET
scopes: ${ALL_SCOPES.join(' ')}`;

const DEV_TOKEN_TTL = 12 * 3600;

async function serve(): Promise<void> {
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
  const { values } = parseArgs({
    args: argv,
    options: {
      sub: { type: 'string', default: 'dev' },
      scope: { type: 'string', default: ALL_SCOPES.join(' ') },
      ttl: { type: 'string', default: '1h' },
    },
    strict: true,
  });
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

const [command = 'serve', ...rest] = process.argv.slice(2);
const run =
  command === 'serve' ? serve() : command === 'token' ? token(rest) : Promise.reject(new Error(`unknown command "${command}"\n${USAGE}`));
run.catch((err: unknown) => {
  process.stderr.write(`debug-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
