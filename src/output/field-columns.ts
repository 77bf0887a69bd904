import { lookupField, readField, type FieldEntry } from '../dissect/field-index.js';
import { Values } from '../dissect/field.js';
import type { PacketCtx } from '../dissect/packet.js';
import { writeFieldValue } from './field-format.js';
import type { TextOut } from '../util/text-out.js';

/** tshark's -E options for -T fields, with its defaults. */
export interface FieldColumnOptions {
  header: boolean;
  separator: string;
  /** 'a' all occurrences, 'f' first, 'l' last, or a 1-based occurrence number. */
  occurrence: 'a' | 'f' | 'l' | number;
  aggregator: string;
  quote: 'n' | 'd' | 's';
}

export const DEFAULT_COLUMN_OPTIONS: FieldColumnOptions = {
  header: false,
  separator: '\t',
  occurrence: 'a',
  aggregator: ',',
  quote: 'n',
};

/** Thrown for a field name or -E option that is not ours to print (a usage error). */
export class FieldOptionError extends Error {}

/** Parses one -E option as tshark writes it: header=y, separator=/t, occurrence=f, aggregator=;, quote=d. */
export function parseColumnOption(spec: string, into: FieldColumnOptions): void {
  const eq = spec.indexOf('=');
  const key = spec.slice(0, eq);
  const value = spec.slice(eq + 1);
  const escapes: Record<string, string> = { '/t': '\t', '/s': ' ' };
  switch (key) {
    case 'header':
      if (value !== 'y' && value !== 'n') throw new FieldOptionError(`-E header takes y or n, not "${value}"`);
      into.header = value === 'y';
      return;
    case 'separator':
      into.separator = escapes[value] ?? value;
      return;
    case 'aggregator':
      into.aggregator = escapes[value] ?? value;
      return;
    case 'occurrence':
      if (value === 'a' || value === 'f' || value === 'l') into.occurrence = value;
      else if (/^[1-9][0-9]{0,5}$/.test(value)) into.occurrence = Number(value);
      else throw new FieldOptionError(`-E occurrence takes a, f, l or a number, not "${value}"`);
      return;
    case 'quote':
      if (value !== 'n' && value !== 'd' && value !== 's')
        throw new FieldOptionError(`-E quote takes d, s or n, not "${value}"`);
      into.quote = value;
      return;
    default:
      throw new FieldOptionError(
        `-E ${key}: not an option of -T fields (header, separator, occurrence, aggregator, quote)`,
      );
  }
}

/** Whether an -E argument is a -T fields option rather than an ESP secret (tcpdump's -E). */
export const isColumnOption = (spec: string): boolean => /^(header|separator|occurrence|aggregator|quote)=/.test(spec);

/** Writes the -e fields of each packet as a line of columns, as tshark -T fields does. */
export class FieldColumns {
  private readonly entries: FieldEntry[];
  private readonly values: Values[];
  private readonly quote: string;

  constructor(
    names: readonly string[],
    private readonly opts: FieldColumnOptions,
    nearest: (name: string) => string,
  ) {
    this.entries = names.map((name) => {
      const e = lookupField(name);
      if (!e) throw new FieldOptionError(`-e ${name}: no such field${nearest(name)}`);
      return e;
    });
    this.values = names.map(() => new Values());
    this.quote = opts.quote === 'd' ? '"' : opts.quote === 's' ? "'" : '';
  }

  /** Whether a column reads TCP's or UDP's conversations (tcp.stream): the engine must keep them. */
  readsConversations(): boolean {
    return this.entries.some((e) => e.field.conversation);
  }

  /** The fields' names, never quoted (as tshark's header). */
  header(): string {
    return this.entries.map((e) => e.field.name).join(this.opts.separator);
  }

  write(ctx: PacketCtx, out: TextOut): void {
    const { occurrence, separator, aggregator } = this.opts;
    for (let c = 0; c < this.entries.length; c++) {
      if (c > 0) out.str(separator);
      const e = this.entries[c]!;
      const v = this.values[c]!;
      readField(e, ctx, v);
      if (v.n === 0) continue;
      out.str(this.quote);
      if (occurrence === 'a') {
        for (let i = 0; i < v.n; i++) {
          if (i > 0) out.str(aggregator);
          writeFieldValue(e.field, v, i, out);
        }
      } else {
        const i = occurrence === 'f' ? 0 : occurrence === 'l' ? v.n - 1 : occurrence - 1;
        if (i < v.n) writeFieldValue(e.field, v, i, out);
      }
      out.str(this.quote);
    }
  }
}
