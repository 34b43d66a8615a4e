/**
 * A seccomp filter (classic BPF, as bwrap's `--seccomp FD` loads it) that keeps a box from making
 * set-user-ID or set-group-ID files, as systemd's `RestrictSUIDSGID=` does. The workspace is the
 * host's file system: a program running as the server's uid could otherwise leave there a
 * set-uid binary that any local user runs with the server's privileges.
 *
 * Denied with EPERM: chmod/fchmod/fchmodat/fchmodat2 and mknod/mknodat with S_ISUID or S_ISGID
 * in the mode, creat and open/openat creating a file with them. Denied with ENOSYS (callers fall
 * back): openat2, whose mode is behind a pointer, io_uring_setup, which could open files past the
 * filter, and the x32 and i386 ABIs (32-bit programs do not run in a box). x86_64 only: elsewhere
 * {@link suidFilter} returns undefined.
 */

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const SUID_SGID = 0o6000;
const O_CREAT = 0o100;
const O_TMPFILE = 0o20000000;

const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;

/** x86_64 syscall numbers, and which argument holds the mode (and the open flags). */
const MODE_ARG: Record<number, number> = { 90: 1, 91: 1, 85: 1, 133: 1, 268: 2, 452: 2, 259: 2 }; // chmod fchmod creat mknod fchmodat fchmodat2 mknodat
const OPEN_ARGS: Record<number, { flags: number; mode: number }> = { 2: { flags: 1, mode: 2 }, 257: { flags: 2, mode: 3 } }; // open openat
const UNSUPPORTED = [437, 425]; // openat2 io_uring_setup

// Classic BPF opcodes.
const LD_ABS = 0x20;
const JEQ = 0x15;
const JGE = 0x35;
const JSET = 0x45;
const RET = 0x06;

interface Instruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** Offset in `struct seccomp_data` of the low 32 bits of argument `i` (little endian). */
const arg = (i: number): number => 16 + 8 * i;

/** The filter for this machine, or undefined where it is not built (not x86_64). */
export function suidFilter(arch: string = process.arch): Buffer | undefined {
  if (arch !== 'x64') return undefined;
  const program: Instruction[] = [];
  const emit = (code: number, k: number, jt = 0, jf = 0): void => void program.push({ code, jt, jf, k });
  const allow = (): void => emit(RET, RET_ALLOW);
  const deny = (errno: number): void => emit(RET, RET_ERRNO | errno);

  emit(LD_ABS, 4); // arch
  emit(JEQ, AUDIT_ARCH_X86_64, 1, 0);
  // Another ABI (i386 through int 0x80): its chmod would pass the checks below, so none of it.
  deny(ENOSYS);
  emit(LD_ABS, 0); // nr
  emit(JGE, X32_SYSCALL_BIT, 0, 1);
  deny(ENOSYS);
  for (const nr of UNSUPPORTED) {
    emit(JEQ, nr, 0, 1);
    deny(ENOSYS);
  }
  // Each check: if nr matches, load the mode and test the bits; else skip to the next check.
  for (const [nr, index] of Object.entries(MODE_ARG)) {
    emit(JEQ, Number(nr), 0, 4);
    emit(LD_ABS, arg(index));
    emit(JSET, SUID_SGID, 0, 1);
    deny(EPERM);
    allow();
  }
  for (const [nr, { flags, mode }] of Object.entries(OPEN_ARGS)) {
    emit(JEQ, Number(nr), 0, 6);
    emit(LD_ABS, arg(flags));
    emit(JSET, O_CREAT | O_TMPFILE, 0, 3); // Not creating: the mode argument means nothing.
    emit(LD_ABS, arg(mode));
    emit(JSET, SUID_SGID, 0, 1);
    deny(EPERM);
    allow();
  }
  allow();

  const out = Buffer.alloc(program.length * 8);
  program.forEach((ins, i) => {
    out.writeUInt16LE(ins.code, i * 8);
    out.writeUInt8(ins.jt, i * 8 + 2);
    out.writeUInt8(ins.jf, i * 8 + 3);
    out.writeUInt32LE(ins.k >>> 0, i * 8 + 4);
  });
  return out;
}
