import { spawnSync } from 'node:child_process';

/** tmux, as the UI tests and the benches drive it: send-keys types, capture-pane reads the screen. */
export const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });

/** A detached session of that name (an old one ended first) running `command` in a `cols` x `rows` terminal. */
export function newSession(name: string, command: string, [cols, rows]: [number, number] = [100, 30]) {
  tmux('kill-session', '-t', name);
  return tmux('new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), command);
}
