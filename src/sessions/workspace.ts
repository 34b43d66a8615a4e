import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { SessionError } from './errors.js';

/**
 * The directory programs must live in. Paths are resolved through symlinks before the check,
 * so a link inside the workspace cannot point a session outside it.
 */
export class Workspace {
  readonly root: string;

  constructor(root: string) {
    this.root = realpathSync(root);
  }

  /** Resolves `p` (absolute, or relative to `base`) to a real path inside the workspace. */
  resolve(p: string, what: string, kind: 'file' | 'directory', base = this.root): string {
    if (p.includes('\0')) throw new SessionError('BAD_USER_INPUT', `${what} contains a NUL character`);
    const wanted = path.resolve(base, p);
    let real: string;
    try {
      real = realpathSync(wanted);
    } catch {
      throw new SessionError('BAD_USER_INPUT', `${what} "${p}" does not exist in the workspace`);
    }
    if (!this.contains(real)) {
      throw new SessionError('BAD_USER_INPUT', `${what} "${p}" is outside the workspace`);
    }
    const stat = statSync(real);
    if (kind === 'file' && !stat.isFile()) throw new SessionError('BAD_USER_INPUT', `${what} "${p}" is not a file`);
    if (kind === 'directory' && !stat.isDirectory()) {
      throw new SessionError('BAD_USER_INPUT', `${what} "${p}" is not a directory`);
    }
    return real;
  }

  contains(realPath: string): boolean {
    const rel = path.relative(this.root, realPath);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }
}
