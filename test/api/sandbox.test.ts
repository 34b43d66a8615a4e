/**
 * The session box, tried as an attacker would: from inside a session (eval, the program itself)
 * and from the host (listening sockets, command lines, processes left behind). Real debuggees,
 * a real server, bubblewrap as installed by scripts/test.sh.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/sandbox.js';
import {
  CreateSessionDocument,
  EvalDocument,
  LogsDocument,
  RestartSessionDocument,
  TerminateSessionDocument,
} from '../generated/graphql.js';
import { boxProcesses, listenersOf } from '../support/box.js';
import { NODE_FORKER, PYTHON_FORKER } from '../support/box-programs.js';
import { processesRunning } from '../support/processes.js';
import { eventually, TestServer } from '../support/server.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const NODE_IDLE = 'console.log("ready");\nsetInterval(() => {}, 1000);\n';
const PYTHON_IDLE = 'import time\nprint("ready", flush=True)\nwhile True:\n    time.sleep(1)\n';

const NODE_DIAL = `
const port = Number(process.argv[2]);
require('node:net').connect(port, '127.0.0.1')
  .on('connect', function () { console.log('dial: connected'); this.destroy(); })
  .on('error', (e) => console.log('dial: ' + e.code));
setInterval(() => {}, 1000);
`;

// Writes an endless line into the inspector pipe (fd 3), as a hostile program can.
const NODE_PIPE_FLOOD = `
const fs = require('node:fs');
const chunk = Buffer.alloc(1 << 20, 120);
console.log('flooding');
let sent = 0;
while (sent < 200 * chunk.length) {
  try {
    sent += fs.writeSync(3, chunk);
  } catch (e) {
    if (e.code !== 'EAGAIN') break;
  }
}
setInterval(() => {}, 1000);
`;

const NODE_HOG = 'const held = [];\nsetInterval(() => { for (let i = 0; i < 16; i++) held.push(Buffer.alloc(1 << 20, 1)); }, 5);\n';
const PYTHON_HOG = 'held = []\nwhile True:\n    held.append(b"x" * (1 << 20))\n';
const NODE_FORK_BOMB = `
const { spawn } = require('node:child_process');
for (let i = 0; i < 200; i++) spawn('sleep', ['100'], { stdio: 'ignore' }).on('error', () => {});
setInterval(() => {}, 1000);
`;

type Runtime = 'NODE' | 'PYTHON';
const STATE = 'query State($id: ID!) { session(id: $id) { state } }';

describe('the session box', () => {
  let server: TestServer;
  let token: string;
  let workspace: string;
  let outside: string;

  beforeAll(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'debug-server-box-'));
    outside = mkdtempSync(path.join(tmpdir(), 'debug-server-home-'));
    const files: Record<string, string> = {
      'forker.js': NODE_FORKER,
      'forker.py': PYTHON_FORKER,
      'idle.js': NODE_IDLE,
      'idle.py': PYTHON_IDLE,
      'dial.js': NODE_DIAL,
      'pipe-flood.js': NODE_PIPE_FLOOD,
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(workspace, name), text);
    // A secret of the server's user outside the workspace, readable by that user only.
    writeFileSync(path.join(outside, 'secret'), 'top secret\n');
    chmodSync(path.join(outside, 'secret'), 0o600);
    server = await TestServer.start({ DEBUG_SERVER_WORKSPACE: workspace, DEBUG_SERVER_SANDBOX: 'bwrap' });
    token = await server.token('alice');
  });
  afterAll(async () => {
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const create = async (runtime: Runtime, program: string, extra: Record<string, unknown> = {}) => {
    const data = await server.ok(CreateSessionDocument, { input: { runtime, program, ...extra } }, token);
    return data.createSession;
  };
  const evaluate = async (id: string, expression: string) => (await server.ok(EvalDocument, { id, expression }, token)).eval;
  const terminate = (id: string) => server.ok(TerminateSessionDocument, { id }, token);
  const logText = async (id: string) => {
    const data = await server.ok(LogsDocument, { id, after: null, first: 1000 }, token);
    return data.session?.logs.lines.map((l) => l.text).join('\n') ?? '';
  };

  describe.each(['NODE', 'PYTHON'] as const)('%s', (runtime) => {
    const ext = runtime === 'NODE' ? 'js' : 'py';
    /** An expression that reads a file and answers its text, or the error's name. */
    const read = (file: string) =>
      runtime === 'NODE'
        ? `(() => { try { return require('fs').readFileSync(${JSON.stringify(file)}, 'utf8') } catch (e) { return 'error ' + e.code } })()`
        : `(lambda p: open(p).read() if __import__('os').path.exists(p) else 'error ENOENT')(${JSON.stringify(file)})`;

    it('no listener of the session is reachable from the host, and no secret is on a command line', async () => {
      const session = await create(runtime, `idle.${ext}`, { stopOnEntry: true });
      expect(session.state).toBe('PAUSED');
      const pids = boxProcesses(workspace);
      expect(pids.length).toBeGreaterThan(1);
      expect(listenersOf(pids).filter((l) => l.reachable)).toEqual([]);
      for (const pid of pids) {
        let argv: string;
        try {
          argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue; // Gone meanwhile.
        }
        expect(argv).not.toMatch(/access-token|DEBUG_SERVER_JWT_SECRET/);
      }
      await terminate(session.id);
    });

    it('sees neither the server process nor files outside the workspace, but writes its workspace and a private /tmp', async () => {
      const session = await create(runtime, `idle.${ext}`, { stopOnEntry: true });
      const marker = `written-${randomUUID()}`;
      const serverEnviron = await evaluate(session.id, read(`/proc/${process.pid}/environ`));
      expect(serverEnviron.value).toMatch(/error/);
      expect((await evaluate(session.id, read(path.join(outside, 'secret')))).value).toMatch(/error ENOENT/);
      expect((await evaluate(session.id, read(path.join(REPO, 'package.json')))).value).toMatch(/error ENOENT/);
      expect((await evaluate(session.id, read('/etc/shadow'))).value).toMatch(/error ENOENT/);
      // The host's kernel settings (core_pattern would run a program as root on the host).
      const sysctl =
        runtime === 'NODE'
          ? "(() => { try { require('fs').writeFileSync('/proc/sys/kernel/core_pattern', 'core'); return 'wrote' } catch (e) { return e.code } })()"
          : "__import__('subprocess').run(['sh', '-c', 'echo core > /proc/sys/kernel/core_pattern'], capture_output=True, text=True).stderr";
      expect((await evaluate(session.id, sysctl)).value).toMatch(/EROFS|Read-only file system/);
      // Only the box's own processes: the server's pid is not there to signal or trace.
      const seen =
        runtime === 'NODE'
          ? "require('fs').readdirSync('/proc').filter((n) => /^\\d+$/.test(n)).length"
          : "len([n for n in __import__('os').listdir('/proc') if n.isdigit()])";
      expect(Number((await evaluate(session.id, seen)).value)).toBeLessThan(10);
      const signal =
        runtime === 'NODE'
          ? `(() => { try { process.kill(${process.pid}, 0); return 'reached' } catch (e) { return e.code } })()`
          : `__import__('subprocess').run(['kill', '-0', '${process.pid}'], capture_output=True, text=True).stderr`;
      expect((await evaluate(session.id, signal)).value).toMatch(/ESRCH|No such process/);
      const write =
        runtime === 'NODE'
          ? `(require('fs').writeFileSync(${JSON.stringify(path.join(workspace, marker))}, 'x'), require('fs').writeFileSync('/tmp/${marker}', 'x'), 'ok')`
          : `[open(${JSON.stringify(path.join(workspace, marker))}, 'w').write('x'), open('/tmp/${marker}', 'w').write('x'), 'ok'][-1]`;
      expect((await evaluate(session.id, write)).value).toMatch(/ok/);
      expect(readFileSync(path.join(workspace, marker), 'utf8')).toBe('x');
      expect(() => readFileSync(path.join('/tmp', marker))).toThrow();
      await terminate(session.id);
    });

    it('cannot leave a set-uid or set-gid file in the workspace, and makes ordinary ones', async () => {
      const session = await create(runtime, `idle.${ext}`, { stopOnEntry: true });
      const file = path.join(workspace, `suid-${runtime}`);
      const attempts =
        runtime === 'NODE'
          ? `(() => { const fs = require('fs'); const out = []; fs.writeFileSync(${JSON.stringify(file)}, 'x'); fs.chmodSync(${JSON.stringify(file)}, 0o755); out.push('plain ok');
              for (const mode of [0o4755, 0o2755]) { try { fs.chmodSync(${JSON.stringify(file)}, mode); out.push('chmod ' + mode.toString(8)); } catch (e) { out.push(e.code); } }
              try { fs.closeSync(fs.openSync(${JSON.stringify(file + '-created')}, 'w', 0o4755)); out.push('created'); } catch (e) { out.push(e.code); }
              return out.join(' '); })()`
          : `[open(${JSON.stringify(file)}, 'w').write('x'), __import__('os').chmod(${JSON.stringify(file)}, 0o755), __import__('subprocess').run(['sh', '-c', 'chmod 4755 ${file}; chmod 2755 ${file}; echo done'], capture_output=True, text=True).stderr][-1]`;
      const answer = (await evaluate(session.id, attempts)).value;
      if (runtime === 'NODE') expect(answer).toBe('"plain ok EPERM EPERM EPERM"');
      else expect(answer).toMatch(/Operation not permitted[\s\S]*Operation not permitted/);
      const { statSync } = await import('node:fs');
      expect(statSync(file).mode & 0o7777).toBe(0o755);
      await terminate(session.id);
    });

    it('kills every process the program started, forks, setsid children and daemons, on terminate and on restart', async () => {
      const marker = `box-${randomUUID()}`;
      const session = await create(runtime, `forker.${ext}`, { args: [marker] });
      await eventually(async () => ((await logText(session.id)).includes('forked') ? true : undefined));
      // The program, its plain, setsid and double-forked children (node: a detached one too).
      const before = await eventually(() => {
        const found = processesRunning(`${marker}-`);
        return found.length >= 3 ? found : undefined;
      });
      await server.ok(RestartSessionDocument, { id: session.id }, token);
      await eventually(() => (before.every((pid) => !processesRunning(marker).includes(pid)) ? true : undefined), 2000);
      await eventually(async () => ((await logText(session.id)).split('forked').length > 2 ? true : undefined));
      expect(processesRunning(`${marker}-`).length).toBeGreaterThanOrEqual(3);
      await terminate(session.id);
      await eventually(() => (processesRunning(marker).length === 0 ? true : undefined), 2000);
    });

    it('with network: false, has loopback only and cannot reach the host', async () => {
      if (runtime === 'PYTHON') {
        // The debugger works without a network (its channels are a pipe and Unix sockets); what
        // the box's network is, the Node case shows.
        const session = await create('PYTHON', 'idle.py', { stopOnEntry: true, network: false });
        expect(session.state).toBe('PAUSED');
        const interfaces = await evaluate(session.id, "sorted(n for _, n in __import__('socket').if_nameindex())");
        expect(interfaces.value).toBe("['lo']");
        await terminate(session.id);
        return;
      }
      const host = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      const port = (host.address() as net.AddressInfo).port;
      try {
        const isolated = await create('NODE', 'dial.js', { args: [String(port)], network: false });
        await eventually(async () => (/dial: /.test(await logText(isolated.id)) ? true : undefined));
        expect(await logText(isolated.id)).toMatch(/dial: ECONNREFUSED/);
        const connected = await create('NODE', 'dial.js', { args: [String(port)] });
        await eventually(async () => (/dial: /.test(await logText(connected.id)) ? true : undefined));
        expect(await logText(connected.id)).toMatch(/dial: connected/);
        await terminate(isolated.id);
        await terminate(connected.id);
      } finally {
        host.close();
      }
    });
  });

  it('a program flooding its debugger channel ends its own session, not the server', async () => {
    const rss = process.memoryUsage().rss;
    const { createSession } = await server.ok(CreateSessionDocument, { input: { runtime: 'NODE', program: 'pipe-flood.js' } }, token);
    const state = await eventually(async () => {
      const s = (await server.raw<{ session: { state: string } | null }>(STATE, { id: createSession.id }, `Bearer ${token}`)).data?.session;
      return s && ['FAILED', 'EXITED', 'TERMINATED'].includes(s.state) ? s.state : undefined;
    }, 20_000);
    expect(state).toBe('FAILED');
    expect(await logText(createSession.id)).toContain('process killed: inspector message limit 64 MiB');
    // 200 MiB went into the pipe; the server kept at most the 64 MiB a message may have.
    expect(process.memoryUsage().rss - rss).toBeLessThan(160 * 1024 * 1024);
  });

  it('refuses loader, interpreter and debugger variables and NUL bytes with BAD_USER_INPUT, naming them', async () => {
    const error = async (input: Record<string, unknown>) => {
      const res = await server.raw(
        CreateSessionDocument.toString(),
        { input: { runtime: 'NODE', program: 'idle.js', ...input } },
        `Bearer ${token}`,
      );
      return res.errors?.[0];
    };
    for (const name of [
      'LD_AUDIT',
      'LD_PRELOAD',
      'NODE_PATH',
      'NODE_V8_COVERAGE',
      'NODE_OPTIONS',
      'PYTHONPATH',
      'PYTHONWARNINGS',
      'DEBUGPY_LOG_DIR',
      'PYDEVD_DEBUG',
      'GCONV_PATH',
      'BASH_ENV',
      'ENV',
      'DEBUG_SERVER_JWT_SECRET',
    ]) {
      const e = await error({ env: [{ name, value: '/tmp' }] });
      expect(e?.extensions?.code, name).toBe('BAD_USER_INPUT');
      expect(e?.message).toContain(name);
    }
    for (const input of [{ args: ['a\0b'] }, { env: [{ name: 'A', value: 'x\0y' }] }, { program: 'idle.js\0.txt' }]) {
      const e = await error(input);
      expect(e?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(e?.message).toMatch(/NUL/);
    }
    // Plain application variables and the printing ones pass, and nothing else of the server's environment.
    const ok = await create('NODE', 'idle.js', {
      stopOnEntry: true,
      env: [
        { name: 'NODE_ENV', value: 'production' },
        { name: 'PYTHONUNBUFFERED', value: '1' },
        { name: 'APP_MODE', value: 'debug' },
      ],
    });
    const env = await evaluate(ok.id, 'JSON.stringify(Object.keys(process.env).sort())');
    const names = JSON.parse(JSON.parse(env.value) as string) as string[];
    expect(names).toEqual(expect.arrayContaining(['NODE_ENV', 'PYTHONUNBUFFERED', 'APP_MODE']));
    expect(names.filter((n) => n.startsWith('DEBUG_SERVER_') && n !== 'DEBUG_SERVER_INSPECTOR_FD')).toEqual([]);
    expect(names).not.toContain('VITEST');
    await terminate(ok.id);
  });
});

describe('a workspace that contains the server itself (the default: the directory it starts in)', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await TestServer.start({ DEBUG_SERVER_WORKSPACE: REPO, DEBUG_SERVER_SANDBOX_READONLY_PATHS: '' });
    token = await server.token('alice');
  });
  afterAll(() => server.stop());

  it('hides the server’s own files from a session, and shows the samples', async () => {
    const { createSession } = await server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'examples/hello.js', stopOnEntry: true } },
      token,
    );
    expect(createSession.state).toBe('PAUSED');
    const list = (dir: string) =>
      server.ok(
        EvalDocument,
        { id: createSession.id, expression: `require('fs').readdirSync(${JSON.stringify(path.join(REPO, dir))}).join(',')` },
        token,
      );
    expect((await list('examples')).eval.value).toMatch(/hello\.js/);
    for (const dir of ['src', 'node_modules', '.git', 'test']) expect((await list(dir)).eval.value).toBe('""');
    const read = await server.ok(
      EvalDocument,
      {
        id: createSession.id,
        expression: `(() => { try { return require('fs').readFileSync(${JSON.stringify(path.join(REPO, 'package.json'))}, 'utf8') } catch (e) { return e.code } })()`,
      },
      token,
    );
    expect(read.eval.value).not.toMatch(/debug-server/);
    await server.ok(TerminateSessionDocument, { id: createSession.id }, token);
  });
});

describe('session limits', () => {
  let server: TestServer;
  let token: string;
  let workspace: string;
  const hasCgroups = createSandbox({
    mode: 'auto',
    workspace: tmpdir(),
    memoryMb: 64,
    maxProcesses: 64,
    maxOpenFiles: 64,
    readOnlyPaths: [],
  }).sandbox?.description.includes('cgroup');

  beforeAll(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'debug-server-limits-'));
    mkdirSync(path.join(workspace, 'p'));
    writeFileSync(path.join(workspace, 'p', 'hog.js'), NODE_HOG);
    writeFileSync(path.join(workspace, 'p', 'hog.py'), PYTHON_HOG);
    writeFileSync(path.join(workspace, 'p', 'bomb.js'), NODE_FORK_BOMB);
    writeFileSync(path.join(workspace, 'p', 'idle.js'), NODE_IDLE);
    server = await TestServer.start({
      DEBUG_SERVER_WORKSPACE: workspace,
      DEBUG_SERVER_SANDBOX: 'bwrap',
      DEBUG_SERVER_SESSION_MEMORY_MB: '160',
      DEBUG_SERVER_SESSION_MAX_PROCESSES: '64',
      DEBUG_SERVER_SESSION_MAX_OPEN_FILES: '100',
    });
    token = await server.token('alice');
  });
  afterAll(async () => {
    await server.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const endState = async (runtime: Runtime, program: string) => {
    const { createSession } = await server.ok(CreateSessionDocument, { input: { runtime, program } }, token);
    const session = await eventually(async () => {
      const s = (await server.raw<{ session: { state: string } | null }>(STATE, { id: createSession.id }, `Bearer ${token}`)).data?.session;
      return s && ['FAILED', 'EXITED'].includes(s.state) ? s : undefined;
    }, 20_000);
    const logs = await server.ok(LogsDocument, { id: createSession.id, after: null, first: 1000 }, token);
    return { state: session.state, system: logs.session?.logs.lines.filter((l) => l.stream === 'SYSTEM').map((l) => l.text) ?? [] };
  };

  it.skipIf(!hasCgroups).each(['NODE', 'PYTHON'] as const)(
    '%s: a program over the memory limit ends FAILED, saying so',
    async (runtime) => {
      const { state, system } = await endState(runtime, runtime === 'NODE' ? 'p/hog.js' : 'p/hog.py');
      expect(state).toBe('FAILED');
      expect(system).toContain('process killed: memory limit 160 MiB');
    },
  );

  it.skipIf(!hasCgroups)('a program over the process limit ends FAILED, saying so', async () => {
    const { state, system } = await endState('NODE', 'p/bomb.js');
    expect(state).toBe('FAILED');
    expect(system).toContain('process killed: process limit 64');
  });

  it('the open-files limit is the configured one', async () => {
    const { createSession } = await server.ok(
      CreateSessionDocument,
      { input: { runtime: 'NODE', program: 'p/idle.js', stopOnEntry: true } },
      token,
    );
    const limits = await server.ok(
      EvalDocument,
      { id: createSession.id, expression: "require('fs').readFileSync('/proc/self/limits', 'utf8')" },
      token,
    );
    expect(limits.eval.value).toMatch(/Max open files\s+100\s+100/);
    await server.ok(TerminateSessionDocument, { id: createSession.id }, token);
  });
});

describe('DEBUG_SERVER_SANDBOX', () => {
  const options = { workspace: tmpdir(), memoryMb: 64, maxProcesses: 64, maxOpenFiles: 64, readOnlyPaths: [] };

  it('bwrap refuses to start without bubblewrap; auto warns; off is silent', () => {
    expect(() => createSandbox({ ...options, mode: 'bwrap', bwrap: '/nonexistent/bwrap' })).toThrow(
      /DEBUG_SERVER_SANDBOX=bwrap.*NOT isolated/,
    );
    const auto = createSandbox({ ...options, mode: 'auto', bwrap: '/nonexistent/bwrap' });
    expect(auto.sandbox).toBeUndefined();
    expect(auto.warning).toMatch(/NOT isolated/);
    expect(createSandbox({ ...options, mode: 'off' })).toEqual({ sandbox: undefined, warning: undefined });
    expect(createSandbox({ ...options, mode: 'auto' }).sandbox?.description).toMatch(/^bwrap/);
  });

  it('/healthz says when sessions are not isolated', async () => {
    const unboxed = await TestServer.start({ DEBUG_SERVER_SANDBOX: 'off' });
    const boxed = await TestServer.start({ DEBUG_SERVER_SANDBOX: 'bwrap' });
    try {
      // Nothing about sessions for anyone who asks; whether they are isolated, always.
      expect(await (await fetch(`${unboxed.url}/healthz`)).json()).toEqual({ status: 'ok', isolated: false });
      expect(await (await fetch(`${boxed.url}/healthz`)).json()).toEqual({ status: 'ok', isolated: true });
    } finally {
      await unboxed.stop();
      await boxed.stop();
    }
  });
});
