import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * isatty(fd), loading node:tty only where the answer needs it: node:tty brings node:net and the streams, about 5 ms
 * and 140 fresh pages of a run's start. Only a character device can be a terminal, and Linux's memory devices
 * (major 1: /dev/null, /dev/zero...), where output is most often thrown away, are none.
 */
export function isTerminal(fd: number): boolean {
  let rdev: number;
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    rdev = st.rdev;
  } catch {
    return false; // not open: no terminal, as isatty() says
  }
  if (process.platform === 'linux' && Math.floor(rdev / 256) % 4096 === 1) return false;
  return (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(fd);
}
