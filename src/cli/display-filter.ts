import { DisplayFilter, describeFilterError } from '../filter/compile.js';
import { FilterError } from '../filter/parse.js';
import type { CliOptions } from './args.js';

/** A display filter that does not compile: said with a caret under the mistake, exit 2, before anything is read. */
export class DisplayFilterError extends Error {}

/** -Y compiled once, or null without it. */
export function displayFilter(opts: CliOptions): DisplayFilter | null {
  if (opts.displayFilter === undefined) return null;
  try {
    return new DisplayFilter(opts.displayFilter);
  } catch (err) {
    if (err instanceof FilterError) throw new DisplayFilterError(`-Y: ${describeFilterError(err, opts.displayFilter)}`);
    throw err;
  }
}
