import { readFileSync } from 'node:fs';
import { parseCli, USAGE, UsageError } from './args.js';
import { runAudit } from './audit.js';
import { runRead } from './read.js';
import { OutputClosed } from '../output/sink.js';
import { SaFileError } from '../ipsec/sa-file.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const say = (msg: string) => process.stderr.write(`gredump: ${msg}\n`);

/** Runs the command line and returns the exit status; never throws. */
export function main(argv: string[]): number {
  const debug = argv.includes('--debug');
  try {
    const opts = parseCli(argv);
    switch (opts.mode) {
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case 'version':
        process.stdout.write(`gredump ${version()}\n`);
        return 0;
      case 'read':
        return runRead(opts, say);
      case 'audit':
        return runAudit(opts, say);
      default:
        say('live capture (-i, -D) is not available in this build yet: read a capture file with -r');
        return 2;
    }
  } catch (err) {
    if (err instanceof OutputClosed) return 0;
    if (err instanceof SaFileError) {
      say(err.message);
      return 2;
    }
    if (err instanceof UsageError) {
      say(`${err.message}\n${USAGE}`);
      return 2;
    }
    say(debug ? String((err as Error).stack) : `internal error: ${(err as Error).message} (run with --debug for details)`);
    return 2;
  }
}
