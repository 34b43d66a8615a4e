/**
 * The session box (bubblewrap): finds and checks `bwrap` once at start, works out which system
 * files a box shows, and makes one {@link Box} per session run. See docs/security.md.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants as fsConstants,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Box, hardOpenFilesLimit, type BoxSettings, type BoxSpec } from './box.js';
import { detectCgroups } from './cgroup.js';
import { suidFilter } from './seccomp.js';

/** `DEBUG_SERVER_SANDBOX`: auto (bwrap when it works, else a warning), bwrap (required), off. */
export type SandboxMode = 'auto' | 'bwrap' | 'off';

export interface SandboxOptions {
  mode: SandboxMode;
  /** The directory every session may read and write (bound read-write at the same path). */
  workspace: string;
  memoryMb: number;
  maxProcesses: number;
  maxOpenFiles: number;
  /** Extra host paths shown read-only at the same path (e.g. an interpreter outside /usr). */
  readOnlyPaths: readonly string[];
  /** The bwrap executable; default: `bwrap` on PATH. */
  bwrap?: string;
}

/** Makes boxes. */
export interface Sandbox {
  /** One line for logs and /healthz, e.g. "bwrap (cgroup v1 limits)". */
  readonly description: string;
  box(spec: BoxSpec): Box;
}

/** What {@link createSandbox} found. */
export interface SandboxSetup {
  /** Undefined: sessions run unboxed (mode off, or auto without a working bwrap). */
  sandbox: Sandbox | undefined;
  /** Set when sessions are not isolated although the mode did not say off. */
  warning: string | undefined;
}

/** System directories shown read-only (or as the same symlink, on merged-/usr systems). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/**
 * What of /etc a program needs to run, resolve names and check certificates; not the rest (it
 * holds the host's secrets: shadow, ssh keys, credentials of services).
 */
const ETC_ENTRIES = [
  'alternatives',
  'ca-certificates',
  'ca-certificates.conf',
  'gai.conf',
  'group',
  'host.conf',
  'hosts',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'mime.types',
  'nsswitch.conf',
  'os-release',
  'passwd',
  'protocols',
  'resolv.conf',
  'services',
  'ssl',
  'timezone',
];
/** /etc entries of interpreters (Debian's python3 keeps sitecustomize there). */
const ETC_PREFIXES = ['python3'];

/** Checks the mode against what this machine has; throws when mode is bwrap and it cannot work. */
export function createSandbox(options: SandboxOptions): SandboxSetup {
  if (options.mode === 'off') return { sandbox: undefined, warning: undefined };
  const bwrap = options.bwrap ?? findOnPath('bwrap');
  const systemArgs = systemBinds();
  const problem = bwrap ? probe(bwrap, systemArgs) : 'bubblewrap (bwrap) is not installed';
  if (problem !== undefined || !bwrap) {
    const message = `${problem ?? 'bwrap unusable'}: sessions are NOT isolated from the server or each other`;
    if (options.mode === 'bwrap') throw new Error(`DEBUG_SERVER_SANDBOX=bwrap, but ${message}`);
    return { sandbox: undefined, warning: `${message} (install bubblewrap, or set DEBUG_SERVER_SANDBOX=off to silence this)` };
  }
  const cgroups = detectCgroups();
  const seccompFile = writeSeccompFilter();
  const standIns = writeStandIns();
  const hardFiles = readHardOpenFiles();
  const settings: BoxSettings = {
    bwrap,
    workspace: options.workspace,
    systemArgs,
    hidden: serverFilesIn(options.workspace),
    standIns,
    readOnlyPaths: options.readOnlyPaths,
    memoryBytes: options.memoryMb * 1024 * 1024,
    maxProcesses: options.maxProcesses,
    maxOpenFiles: hardFiles === undefined ? options.maxOpenFiles : Math.min(options.maxOpenFiles, hardFiles),
    cgroups,
    seccompFile,
  };
  const limits = [
    cgroups ? `cgroup v${cgroups.version} limits` : 'rlimits only: no writable cgroup, so no process limit',
    seccompFile ? 'no set-uid files' : 'no seccomp filter on this architecture',
  ].join(', ');
  return {
    sandbox: { description: `bwrap (${limits})`, box: (spec) => new Box(settings, spec) },
    warning: undefined,
  };
}

/** This server's own installation (the package root: src/, node_modules/, package.json, …). */
const SERVER_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What of the server's installation a workspace containing it still shows: the samples. */
const SERVER_SHOWN = new Set(['examples']);

/**
 * The server's own files when the workspace contains them (the default workspace is the directory
 * the server starts in, which may be its checkout): a session must not read or change the server.
 */
function serverFilesIn(workspace: string): string[] {
  const relative = path.relative(workspace, SERVER_ROOT);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return [];
  let entries: string[];
  try {
    entries = readdirSync(SERVER_ROOT);
  } catch {
    return [];
  }
  return entries.filter((name) => !SERVER_SHOWN.has(name)).map((name) => path.join(SERVER_ROOT, name));
}

/** bwrap options that show the system's runtime files read-only. */
function systemBinds(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const kind = kindOf(dir);
    if (kind === 'symlink') args.push('--symlink', readlinkSync(dir), dir);
    else if (kind === 'directory') args.push('--ro-bind', dir, dir);
  }
  let etc: string[] = [];
  try {
    etc = readdirSync('/etc');
  } catch {
    /* no /etc: nothing to show */
  }
  for (const name of etc) {
    if (ETC_ENTRIES.includes(name) || ETC_PREFIXES.some((p) => name.startsWith(p)))
      args.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`);
  }
  return args;
}

function kindOf(file: string): 'symlink' | 'directory' | 'other' | undefined {
  try {
    const stat = lstatSync(file);
    return stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : 'other';
  } catch {
    return undefined;
  }
}

/** Runs `true` in a box like the sessions' ones; undefined when that works, else why not. */
function probe(bwrap: string, systemArgs: string[]): string | undefined {
  const args = [
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-net',
    ...systemArgs,
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    'true',
  ];
  const result = spawnSync(bwrap, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error) return `bwrap cannot run (${result.error.message})`;
  if (result.status !== 0) return `bwrap cannot make a sandbox here (${result.stderr.trim() || `exit ${result.status}`})`;
  return undefined;
}

/** The seccomp filter in a file of its own (0600 in a 0700 directory), read by each box's shim. */
function writeSeccompFilter(): string | undefined {
  const filter = suidFilter();
  if (!filter) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'debug-server-'));
  const file = path.join(dir, 'suid-filter.bpf');
  writeFileSync(file, filter, { mode: 0o600 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/**
 * What a hidden file shows instead: an empty file, and `{}` for a package.json (Node 24 looks up
 * the nearest package.json above a program and fails on one it cannot read or parse; an empty
 * object says nothing of the server's). 0600 files in a 0700 directory, removed at exit.
 */
function writeStandIns(): { empty: string; packageJson: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'debug-server-hidden-'));
  const empty = path.join(dir, 'empty');
  const packageJson = path.join(dir, 'package.json');
  writeFileSync(empty, '', { mode: 0o600 });
  writeFileSync(packageJson, '{}\n', { mode: 0o600 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { empty, packageJson };
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

function readHardOpenFiles(): number | undefined {
  try {
    return hardOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return undefined;
  }
}
