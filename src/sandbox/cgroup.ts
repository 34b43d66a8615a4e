/**
 * Per-box cgroups: a memory and a process-count limit that the kernel enforces on a whole process
 * tree, and the counters that tell afterwards which limit was hit. Works with cgroup v2 (a
 * delegated subtree with the memory and pids controllers) and with v1 (the memory and pids
 * hierarchies); where neither is writable, {@link CgroupFactory.detect} returns undefined and the
 * box falls back to rlimits.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from './process-tree.js';

const ROOT = '/sys/fs/cgroup';

/** Which limit the kernel enforced. */
export interface LimitEvents {
  /** Processes the OOM killer ended in this group. */
  oomKills: number;
  /** Forks refused because the process limit was reached. */
  forkRefusals: number;
}

/** One box's cgroup(s). */
export interface BoxCgroup {
  /** `cgroup.procs` files to write the box's first process into (children inherit them). */
  readonly procsFiles: readonly string[];
  /** What the kernel counted so far. */
  events(): LimitEvents;
  /** Kills whatever is still in the group and removes it. Never rejects. */
  remove(): Promise<void>;
}

/** Makes one cgroup per box under the server's own cgroup. */
export interface CgroupFactory {
  readonly version: 1 | 2;
  /** The directories the boxes' groups are made in. */
  readonly bases: readonly string[];
  create(name: string, limits: { memoryBytes: number; maxProcesses: number }): BoxCgroup;
}

/** Finds a writable cgroup hierarchy for the memory and pids controllers, or undefined. */
export function detectCgroups(): CgroupFactory | undefined {
  let lines: string[];
  try {
    lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  } catch {
    return undefined;
  }
  const own = new Map<string, string>();
  for (const line of lines) {
    const [, controllers = '', where = '/'] = line.split(':');
    for (const controller of controllers.split(',')) own.set(controller, where);
  }
  return tryV2(own.get('')) ?? tryV1(own.get('memory'), own.get('pids'));
}

function tryV2(where: string | undefined): CgroupFactory | undefined {
  if (where === undefined) return undefined;
  const base = path.join(ROOT, where);
  try {
    const enabled = readFileSync(path.join(base, 'cgroup.subtree_control'), 'utf8');
    // Enabling controllers for children fails while this group has processes of its own (the
    // "no internal processes" rule), unless they are on already (a delegated, empty parent).
    if (!/\bmemory\b/.test(enabled) || !/\bpids\b/.test(enabled)) writeFileSync(path.join(base, 'cgroup.subtree_control'), '+memory +pids');
  } catch {
    return undefined;
  }
  return probe({
    version: 2,
    bases: [base],
    create(name, limits) {
      const dir = path.join(base, name);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryBytes));
      tryWrite(path.join(dir, 'memory.swap.max'), '0');
      writeFileSync(path.join(dir, 'pids.max'), String(limits.maxProcesses));
      return {
        procsFiles: [path.join(dir, 'cgroup.procs')],
        events: () => ({
          oomKills: counter(path.join(dir, 'memory.events'), 'oom_kill'),
          forkRefusals: counter(path.join(dir, 'pids.events'), 'max'),
        }),
        remove: async () => {
          // cgroup.kill (Linux 5.14) ends every process at once; older kernels: one by one.
          if (!tryWrite(path.join(dir, 'cgroup.kill'), '1')) killAll(path.join(dir, 'cgroup.procs'));
          await removeDir(dir);
        },
      };
    },
  });
}

function tryV1(memoryWhere: string | undefined, pidsWhere: string | undefined): CgroupFactory | undefined {
  if (memoryWhere === undefined || pidsWhere === undefined) return undefined;
  const memoryBase = path.join(ROOT, 'memory', memoryWhere);
  const pidsBase = path.join(ROOT, 'pids', pidsWhere);
  return probe({
    version: 1,
    bases: [memoryBase, pidsBase],
    create(name, limits) {
      const memory = path.join(memoryBase, name);
      const pids = path.join(pidsBase, name);
      mkdirSync(memory);
      try {
        mkdirSync(pids);
        writeFileSync(path.join(memory, 'memory.limit_in_bytes'), String(limits.memoryBytes));
        // Swap counts too where the kernel accounts it (memsw), so swapping does not dodge the limit.
        tryWrite(path.join(memory, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
        writeFileSync(path.join(pids, 'pids.max'), String(limits.maxProcesses));
      } catch (error) {
        void removeDir(memory);
        void removeDir(pids);
        throw error;
      }
      return {
        procsFiles: [path.join(memory, 'cgroup.procs'), path.join(pids, 'cgroup.procs')],
        events: () => ({
          oomKills: counter(path.join(memory, 'memory.oom_control'), 'oom_kill'),
          forkRefusals: counter(path.join(pids, 'pids.events'), 'max'),
        }),
        remove: async () => {
          killAll(path.join(pids, 'cgroup.procs'));
          await Promise.all([removeDir(memory), removeDir(pids)]);
        },
      };
    },
  });
}

/** Makes and removes one group, so a hierarchy that is there but read-only counts as absent. */
function probe(factory: CgroupFactory): CgroupFactory | undefined {
  try {
    // Empty, so its removal is immediate.
    void factory.create(`debug-server-probe-${process.pid}`, { memoryBytes: 64 * 1024 * 1024, maxProcesses: 8 }).remove();
    sweepStale(factory.bases);
    return factory;
  } catch {
    return undefined;
  }
}

/** Groups of a server that was killed (named `debug-server-<its pid>-…`): empty by now, removed. */
function sweepStale(bases: readonly string[]): void {
  for (const base of bases) {
    let names: string[];
    try {
      names = readdirSync(base);
    } catch {
      continue;
    }
    for (const name of names) {
      const owner = /^debug-server-(?:probe-)?(\d+)/.exec(name)?.[1];
      if (owner === undefined || Number(owner) === process.pid || isAlive(Number(owner))) continue;
      try {
        rmdirSync(path.join(base, name));
      } catch {
        /* still busy, or not ours to remove */
      }
    }
  }
}

/** The number after `key` in a flat-keyed cgroup file ("oom_kill 1"); 0 when absent. */
function counter(file: string, key: string): number {
  try {
    const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function tryWrite(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

function killAll(procsFile: string): void {
  let pids: number[];
  try {
    pids = readFileSync(procsFile, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** rmdir fails while the last killed processes are still being torn down: retry briefly. */
async function removeDir(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY') return;
      await sleep(20);
    }
  }
}
