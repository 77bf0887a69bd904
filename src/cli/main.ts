import { closeSync, openSync, readFileSync } from 'node:fs';
import { isTerminal } from '../util/terminal.js';
import { parseCli, USAGE, UsageError, type CliOptions } from './args.js';
import { PartialError } from '../merge/errors.js';
import { checkFilter, fileFilter } from './drive.js';
import { runRead } from './read.js';
import { DisplayFilterError } from './display-filter.js';
import { FieldOptionError } from '../output/field-columns.js';
import { PcapError } from '../capture/libpcap.js';
import { openCapture } from '../capture/open.js';
import { CompressionError } from '../capture/compressed.js';
import { OutputClosed } from '../output/sink.js';
import { SaFileError } from '../ipsec/sa-file.js';
import { setTimeFormat } from '../output/timestamp.js';
import { WriteError } from '../capture/pcap-writer.js';
import { visible } from '../output/escape.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Every error and warning: what came from a file or a packet (names, fields) reaches the terminal escaped. */
// Each line made visible on its own: a filter's error puts the filter and a caret on lines of their own.
const say = (msg: string) => process.stderr.write(`gredump: ${msg.split('\n').map(visible).join('\n')}\n`);

/**
 * The UI only for a person at a terminal: never in CI, in a pipe, or for JSON. The choice is made before anything
 * renders.
 * isTerminal() (isatty) and not process.stdout.isTTY: making the stream would put a pipe into non-blocking mode,
 * and every full pipe would then cost a sleep instead of a blocking write (test/cli.test.ts checks the flag). For
 * the same reason the audit's colours come from chalk (it imports node:process, which makes the streams) only on a
 * terminal.
 */
function wantsTui(opts: CliOptions): boolean {
  // -w - writes the capture to standard output: no UI there either.
  const copying = opts.write !== undefined && (opts.files.length > 0 || opts.write === '-');
  const printing =
    opts.fieldColumns !== null || opts.detail || opts.hexDump || opts.quiet || opts.statistics.length > 0;
  if (printing || !isTerminal(1) || process.env.CI || opts.noTui || opts.json || copying) return false;
  // -r - on a terminal: packets from the pipe, keys from the terminal itself (/dev/tty).
  if (opts.files.includes('-')) return !isTerminal(0) && terminalForKeys();
  return isTerminal(0);
}

/** Whether the controlling terminal can be opened for keys. */
function terminalForKeys(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}

/**
 * ink and React load only when the UI runs, so text and JSON modes start
 * fast. Unreadable files, and a filter that does not compile for a file's
 * link type, are said before the UI opens: one line, exit 2.
 */
async function runTuiLazily(opts: CliOptions): Promise<number> {
  // Files that cannot be read are said here and left out; the UI opens on the others (and says them too).
  const unreadable: string[] = [];
  const readable = opts.files.filter((path) => {
    if (path === '-') return true; // the pipe is read by the UI only
    try {
      openCapture(path).close();
      return true;
    } catch (err) {
      say((err as Error).message);
      unreadable.push((err as Error).message);
      return false;
    }
  });
  if (readable.length === 0 && opts.files.length > 0) return 2;
  const filter = readable.length ? fileFilter(opts) : null;
  if (filter) checkFilter(filter, readable);
  // React's development build checks and profiles every render: several times slower, for nothing a user sees.
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('./tui.js');
  if (readable.includes('-')) {
    const { installStdinQueue, StdinQueue } = await import('../capture/stdin-queue.js');
    installStdinQueue(new StdinQueue());
  }
  const status = await runTui({ ...opts, files: readable }, unreadable);
  // q before the pipe ends: stop reading it, or the open pipe would keep the process alive.
  if (readable.includes('-')) process.stdin.destroy();
  // As in text mode: a file that could not be read makes the run's status 2.
  return readable.length < opts.files.length ? 2 : status;
}

/**
 * Runs the command line and resolves to the exit status; never throws. `uiElsewhere` is given to the CommonJS
 * build (bin/gredump.js), which cannot load ink: the UI's runs are handed to the ES module build, whole.
 */
export async function main(argv: string[], uiElsewhere?: (argv: string[]) => Promise<number>): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const opts = parseCli(argv);
    setTimeFormat(opts.timeFormat);
    switch (opts.mode) {
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case 'version':
        process.stdout.write(`gredump ${version()}\n`);
        return 0;
      // Live capture (and the tunnel table it brings) loads only for a live run: -r starts without it.
      case 'list-interfaces':
        return (await import('./live.js')).runListInterfaces();
      case 'live':
        if (wantsTui(opts)) return uiElsewhere ? await uiElsewhere(argv) : await runTuiLazily(opts);
        return await (await import('./live.js')).runLive(opts, say);
      case 'read':
        if (wantsTui(opts)) return uiElsewhere ? await uiElsewhere(argv) : await runTuiLazily(opts);
        return await runRead(opts, say);
      case 'audit':
        return opts.interface !== undefined
          ? await (await import('./live.js')).runLive(opts, say)
          : await (await import('./audit.js')).runAudit(opts, say);
      case 'merge':
        return await (await import('./merge.js')).runMerge(opts);
    }
  } catch (err) {
    if (err instanceof OutputClosed) return 0;
    if (
      err instanceof SaFileError ||
      err instanceof PcapError ||
      err instanceof CompressionError ||
      err instanceof WriteError ||
      err instanceof DisplayFilterError ||
      err instanceof FieldOptionError ||
      err instanceof PartialError
    ) {
      say(err.message);
      return 2;
    }
    if (err instanceof UsageError) {
      say(err.message); // one line; --help has the rest
      return 2;
    }
    say(
      debug ? String((err as Error).stack) : `internal error: ${(err as Error).message} (run with --debug for details)`,
    );
    return 2;
  }
}
