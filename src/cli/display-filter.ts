import { DisplayFilter, describeFilterError } from '../filter/compile.js';
import { FilterError } from '../filter/parse.js';
import type { CliOptions } from './args.js';

/** A display filter that does not compile: said with a caret under the mistake, exit 2, before anything is read. */
export class DisplayFilterError extends Error {}

/** -Y compiled once, or null without it. */
export function displayFilter(opts: CliOptions): DisplayFilter | null {
  return opts.displayFilter === undefined ? null : compileFilter(opts.displayFilter, '-Y');
}

/** A display filter given to `option` (-Y, -z's), compiled; one that does not compile is a DisplayFilterError. */
export function compileFilter(text: string, option: string): DisplayFilter {
  try {
    return new DisplayFilter(text);
  } catch (err) {
    if (err instanceof FilterError) throw new DisplayFilterError(`${option}: ${describeFilterError(err, text)}`);
    throw err;
  }
}
