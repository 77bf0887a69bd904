import type { Frame } from '../capture/frame.js';
import { openCapture } from '../capture/open.js';

/**
 * Reads the capture files in turn, handing every frame to `onFrame`, at most
 * `count` in all. An unreadable file, or one with nothing readable, is one
 * warning line and exit status 2; a file cut short after some packets is a
 * warning and the run goes on. Returns the exit status.
 */
export function eachFrame(files: string[], count: number, warn: (msg: string) => void, onFrame: (frame: Frame) => void): number {
  let status = 0;
  let left = count;
  for (const path of files) {
    if (left <= 0) break;
    let source;
    try {
      source = openCapture(path);
    } catch (err) {
      warn((err as Error).message);
      status = 2;
      continue;
    }
    let read = 0;
    try {
      while (left > 0 && source.next()) {
        read++;
        left--;
        onFrame(source.frame);
      }
    } finally {
      source.close();
    }
    if (source.problem) {
      const name = path === '-' ? 'standard input' : path;
      if (read === 0) {
        warn(`${name}: ${source.problem.message}`);
        status = 2;
      } else warn(`warning: ${name}: ${source.problem.message}; ${read} packets read before it`);
    }
  }
  return status;
}
