import { constants, lstatSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Every file the UI writes is made here: created new (O_EXCL), never
 * through a symbolic link (O_NOFOLLOW). Replacing a file the user agreed
 * to replace goes through a new file renamed over it, so a link planted
 * under that name is replaced, never followed.
 */
function createNew(path: string): number {
  return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
}

/**
 * Writes `path` by `fill(fd)` (which closes the fd); with `overwrite`, an
 * existing file is replaced once the new one is complete. Returns false
 * (nothing written) when the file exists and overwrite is not given.
 */
export function writeNewFile(path: string, overwrite: boolean, fill: (fd: number) => void): boolean {
  if (!overwrite) {
    if (lstatSync(path, { throwIfNoEntry: false })) return false; // a link, even a dangling one, counts
    fill(createNew(path));
    return true;
  }
  const tmp = `${path}.${randomBytes(6).toString('hex')}.part`;
  try {
    fill(createNew(tmp));
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // it was not made
    }
    throw err;
  }
  return true;
}
