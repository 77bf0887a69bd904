import { lookupField, readField, type FieldEntry } from '../dissect/field-index.js';
import { Values } from '../dissect/field.js';
import type { PacketCtx } from '../dissect/packet.js';
import { visible } from './escape.js';
import type { LineSink } from './sink.js';
import type { StatisticsTap } from './statistics-types.js';
import { calendar, type TimeFormat } from './timestamp.js';
import { printfFixed } from '../util/printf.js';

/**
 * tshark's `-z io,stat,INTERVAL[,COLUMN]...` (its ui/cli/tap-iostat.c), in tshark 4.0's text table: the capture cut
 * into intervals from its first frame, and for each column (a display filter, or a calculation on a field of the
 * frames it picks: `COUNT(gre.key)gre`, `SUM(ip.len)ip`, `MIN`, `MAX`, `AVG`, `FRAMES()`, `BYTES()`) the frames and
 * bytes, or the value, of each interval: when a tunnel carried what, and when it went quiet. Widths, rounding and the
 * odd corners of tshark's layout (a 5-digit cap on the seconds' width, the header `-t u` leaves out) are tshark's.
 * Unlike tshark 4.0, a calculation reads its field whether or not the column's filter names it (tshark prints 0
 * there, and its manual asks for the field in the filter).
 */

/** tshark's calculations (its calc_type_table); `FRAMES BYTES` is a plain column's, a filter's frames and bytes. */
type Calculation = 'FRAMES' | 'BYTES' | 'FRAMES BYTES' | 'COUNT' | 'SUM' | 'MIN' | 'MAX' | 'AVG';

/** How a calculation reads its field: tshark's integer, double and relative-time types; `other` can only be counted. */
type ValueKind = 'int' | 'double' | 'reltime' | 'other';

/** Intervals a table keeps and prints (a capture that spans years in microseconds must not take all memory). */
const MAX_ROWS = 1_000_000;
const US = 1_000_000;

/** A column's text is wrong (its calculation, field or filter): said in one line, before anything is read. */
export class IoStatColumnError extends Error {}

interface Column {
  /** As given and as printed (tshark's `Col 1:` lines); null for an empty column, all frames and bytes. */
  readonly text: string | null;
  readonly calc: Calculation;
  readonly field: FieldEntry | null;
  readonly kind: ValueKind;
  readonly passes: ((ctx: PacketCtx) => boolean) | null;
  /** Per interval: frames it counted, its counter (bytes, a sum, a minimum...), and values read (AVG). */
  frames: Float64Array;
  counter: Float64Array;
  num: Float64Array;
  /** The last interval a frame fell in (-1: none); a frame earlier than it counts there, as in tshark. */
  last: number;
  /** tshark's widest frames and values, which its widths are made from, as it keeps them frame by frame. */
  maxFrames: number;
  maxValue: number;
}

/**
 * Parses the columns after the interval: comma-separated, each trimmed; as newer tsharks do, a comma that leaves a
 * column unreadable (`ip.proto in {47, 50}`) is taken as part of it.
 */
export function ioStatColumns(text: string, compile: (filter: string) => (ctx: PacketCtx) => boolean): Column[] {
  if (text === '') return [column(null, 'FRAMES BYTES', null, null)];
  const pieces = text.split(',');
  const columns: Column[] = [];
  for (let i = 0; i < pieces.length; ) {
    let firstError: unknown = null;
    for (let j = i; ; j++) {
      const candidate = pieces
        .slice(i, j + 1)
        .join(',')
        .trim();
      try {
        columns.push(parseColumn(candidate, compile));
        i = j + 1;
        break;
      } catch (err) {
        firstError ??= err;
        if (j + 1 === pieces.length) throw firstError;
      }
    }
  }
  return columns;
}

function parseColumn(text: string, compile: (filter: string) => (ctx: PacketCtx) => boolean): Column {
  if (text === '') return column(null, 'FRAMES BYTES', null, null);
  // `FRAMES` or `BYTES` alone, with no parentheses, counts every frame (tshark drops the filter there).
  if (text === 'FRAMES' || text === 'BYTES' || text === 'FRAMES BYTES') return column(text, text, null, null);
  const m = /^(FRAMES|BYTES|COUNT|SUM|MIN|MAX|AVG|LOAD)\(([^)]*)(\)?)(.*)$/s.exec(text);
  if (!m) return column(text, 'FRAMES BYTES', null, compile(text));
  const [, name, fieldName, closed, filter] = m as unknown as [string, string, string, string, string];
  if (!closed) throw new IoStatColumnError(`${name}(: the closing parenthesis is missing`);
  if (name === 'LOAD')
    throw new IoStatColumnError(
      `LOAD(${fieldName}): LOAD reads a response time (tshark's smb.time); gredump reads none`,
    );
  const calc = name as Calculation;
  const passes = filter.trim() === '' ? null : compile(filter);
  if (calc === 'FRAMES' || calc === 'BYTES') {
    if (fieldName !== '') throw new IoStatColumnError(`${calc}() counts frames: it takes no field, not "${fieldName}"`);
    return column(text, calc, null, passes);
  }
  if (fieldName === '') throw new IoStatColumnError(`${calc}() needs a field: ${calc}(gre.key)gre`);
  const field = lookupField(fieldName);
  if (!field) throw new IoStatColumnError(`${calc}(${fieldName}): there is no field "${fieldName}"`);
  if (kindOf(field) === 'other' && calc !== 'COUNT')
    throw new IoStatColumnError(`${calc}(${fieldName}): ${fieldName} has no numbers to add up; COUNT() counts it`);
  return column(text, calc, field, passes);
}

function kindOf(entry: FieldEntry): ValueKind {
  switch (entry.field.type) {
    case 'uint':
    case 'int':
      return 'int';
    case 'double':
    case 'float':
      return 'double';
    case 'reltime':
      return 'reltime';
    default:
      return 'other';
  }
}

function column(
  text: string | null,
  calc: Calculation,
  field: FieldEntry | null,
  passes: ((ctx: PacketCtx) => boolean) | null,
): Column {
  const rows = 64;
  return {
    text,
    calc,
    field,
    kind: field ? kindOf(field) : 'int',
    passes,
    frames: new Float64Array(rows),
    counter: new Float64Array(rows),
    num: new Float64Array(rows),
    last: -1,
    maxFrames: 0,
    maxValue: 0,
  };
}

/** The interval as tshark reads it: microseconds (0: the whole capture) and the decimals its table shows. */
export interface IoStatInterval {
  readonly us: number;
  readonly precision: number;
}

/** How the intervals are named: tshark's -t r (the default), a, ad, adoy, u, ud, udoy. */
type Clock = 'relative' | 'clock' | 'date' | 'doy' | 'utc-clock' | 'utc-date' | 'utc-doy';
const CLOCKS: readonly TimeFormat[] = ['relative', 'clock', 'date', 'doy', 'utc-clock', 'utc-date', 'utc-doy'];

/** The time format io,stat names its intervals by, or null where tshark refuses it (-t d, dd, e). */
export function ioStatClock(format: TimeFormat): Clock | null {
  if (format === 'default') return 'relative';
  return CLOCKS.includes(format) ? (format as Clock) : null;
}

export class IoStatistics implements StatisticsTap {
  private readonly values = new Values();
  /** The capture's span so far: the greatest time of a frame since the first (tshark's elapsed time). */
  private elapsedSec = 0;
  private elapsedNsec = 0;
  /** The last time since the first frame, in microseconds, that a column counted (a frame earlier counts there). */
  private lastRelative = 0;
  /** The whole second the intervals' clock times are told from (NaN: no frame counted yet). */
  private startSec = NaN;
  private uncounted = 0;
  /** A column reads a field of TCP's or UDP's streams (tcp.stream): the engine must keep them. */
  readonly readsConversations: boolean;

  constructor(
    /** As given (`io,stat,1,gre`), for the note of what it could not count. */
    private readonly spec: string,
    private readonly interval: IoStatInterval,
    private readonly columns: readonly Column[],
    private readonly clock: Clock,
  ) {
    this.readsConversations = columns.some((c) => c.field?.field.conversation === true);
  }

  observe(ctx: PacketCtx): void {
    let s = ctx.tsSec - ctx.firstSec;
    let ns = ctx.tsNsec - ctx.firstNsec;
    if (ns < 0) {
      s--;
      ns += 1e9;
    }
    if (ctx.hasTs && (s > this.elapsedSec || (s === this.elapsedSec && ns > this.elapsedNsec))) {
      this.elapsedSec = s;
      this.elapsedNsec = ns;
    }
    let relative = -1;
    for (const c of this.columns) {
      if (c.passes && !c.passes(ctx)) continue;
      if (relative < 0) {
        // A frame earlier than the first (or with no time) counts at the last time counted, as tshark's.
        if (ctx.hasTs && s >= 0) this.lastRelative = s * US + Math.floor((ns + 500) / 1000);
        relative = this.lastRelative;
        if (Number.isNaN(this.startSec)) this.startSec = ctx.tsSec - s;
      }
      this.count(c, ctx, relative);
    }
  }

  private count(c: Column, ctx: PacketCtx, relative: number): void {
    const row = Math.max(c.last, this.interval.us === 0 ? 0 : Math.floor(relative / this.interval.us));
    if (row >= MAX_ROWS) {
      this.uncounted++;
      return;
    }
    if (row >= c.frames.length) grow(c, row);
    c.last = row;
    const frames = ++c.frames[row]!;
    const v = this.values;
    if (c.field) readField(c.field, ctx, v);
    switch (c.calc) {
      case 'FRAMES':
      case 'BYTES':
      case 'FRAMES BYTES':
        c.counter[row]! += ctx.len;
        break;
      case 'COUNT':
        c.counter[row]! += v.n;
        break;
      case 'SUM':
        for (let i = 0; i < v.n; i++) c.counter[row]! += valueOf(c.kind, v, i);
        break;
      case 'MIN':
        // tshark's minimum starts from the first value of the interval's first frame: one with no value leaves it 0.
        for (let i = 0; i < v.n; i++) {
          const x = valueOf(c.kind, v, i);
          if ((frames === 1 && i === 0) || x < c.counter[row]!) c.counter[row] = x;
        }
        break;
      case 'MAX':
        for (let i = 0; i < v.n; i++) c.counter[row] = Math.max(c.counter[row]!, valueOf(c.kind, v, i));
        break;
      case 'AVG':
        for (let i = 0; i < v.n; i++) c.counter[row]! += valueOf(c.kind, v, i);
        c.num[row]! += v.n;
        break;
    }
    c.maxFrames = Math.max(c.maxFrames, frames);
    c.maxValue = Math.max(c.maxValue, widest(c, row));
  }

  uncountedNote(): string | null {
    if (this.uncounted === 0) return null;
    return (
      `-z ${visible(this.spec)}: ${this.uncounted} frames past the table's ${MAX_ROWS} intervals were not counted ` +
      '(a longer interval takes them in)'
    );
  }

  print(sink: LineSink): void {
    let duration = this.elapsedSec * US + Math.floor((this.elapsedNsec + 500) / 1000);
    const whole = this.interval.us === 0 || this.interval.us > duration;
    let interval = whole ? duration : this.interval.us;
    let durMag = magnitude(Math.floor(duration / US), 5);
    // The times are printed as wide as the span's seconds before rounding; the widths follow the rounded span.
    const timeDigits = durMag;
    const durationSecText = pad(Math.floor(duration / US), durMag);
    const durationUsText = String(duration % US).padStart(6);
    const invlMag = magnitude(Math.floor(interval / US), 5);
    let precision: number;
    let border: number;
    if (interval === duration) {
      // The whole capture in one interval: as many decimals as suit the span.
      precision = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
      border = 30 + durMag + precision + 1;
    } else {
      precision = this.interval.precision;
      border = 25 + Math.max(invlMag, durMag) + (precision === 0 ? 0 : precision + 1);
    }
    const unit = 10 ** (6 - precision);
    if (duration % unit > 5 * Math.floor(unit / 10)) {
      duration = Math.floor((duration + 5 * Math.floor(unit / 10)) / unit) * unit;
      durMag = magnitude(Math.floor(duration / US), 5);
    }
    if (whole) interval = duration;

    const dated =
      this.clock === 'date' || this.clock === 'doy' || this.clock === 'utc-date' || this.clock === 'utc-doy';
    const timeWidth = Math.max(precision === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * precision + 10, dated ? 23 : 12);
    border = Math.max(border, timeWidth);
    const widths = this.columns.map(columnWidths);
    const rowWidth = widths.reduce((sum, w) => sum + w.total, timeWidth);
    border = Math.max(border, rowWidth);
    const widestText = Math.max(...this.columns.map((c) => (c.text === null ? 26 : visible(c.text).length + 11)));
    if (widestText > border && border < 102) border = Math.min(widestText, 102);
    // No double right border: one column of filler is made two.
    if (border - rowWidth === 1) border++;

    const fill = (n: number) => ' '.repeat(Math.max(0, n));
    const sec = (us: number) => pad(Math.floor(us / US), timeDigits);
    const fraction = (us: number) => String(Math.floor((us % US) / unit)).padStart(precision, '0');
    sink.line('');
    sink.line('='.repeat(border));
    sink.line(`| IO Statistics${fill(border - 16)}|`);
    sink.line(`|${fill(border - 2)}|`);
    if (precision === 0) {
      sink.line(`| Duration: ${durationSecText}.${durationUsText} secs${fill(border - 25 - durMag)}|`);
      sink.line(`| Interval: ${sec(interval)} secs${fill(border - 18 - durMag)}|`);
    } else {
      const tail = fill(border - 19 - durMag - precision);
      sink.line(`| Duration: ${sec(duration)}.${fraction(duration)} secs${tail}|`);
      sink.line(`| Interval: ${sec(interval)}.${fraction(interval)} secs${tail}|`);
    }
    sink.line(`|${fill(border - 2)}|`);
    this.columns.forEach((c, j) => printColumnText(sink, c, j, border));
    sink.line(`|-${'-'.repeat(border - 3)}|`);

    const filler = rowWidth < border ? `${fill(border - rowWidth - 1)}|` : '';
    let numbers = `|${fill(timeWidth - 2)}|`;
    let labels = '';
    this.columns.forEach((c, j) => {
      const w = widths[j]!;
      const span = c.calc === 'FRAMES BYTES' ? w.frames + w.value + 3 : c.calc === 'FRAMES' ? w.frames : w.value;
      numbers += `${String(j + 1).padEnd(2)}${fill(span)}|`;
      if (c.calc === 'FRAMES BYTES') labels += centred('Frames', w.frames) + centred('Bytes', w.value);
      else labels += centred(c.calc, c.calc === 'FRAMES' ? w.frames : w.value);
    });
    const title = TIME_TITLES[this.clock];
    const titled = `${fill(timeWidth - (title === '' ? 11 : title.length + 1))}|${labels}${filler}`;
    // tshark names no time column under -t u: its two header lines run together.
    if (title === '') sink.line(`${numbers}${filler}${titled}`);
    else {
      sink.line(`${numbers}${filler}`);
      sink.line(`${title}${titled}`);
    }
    sink.line(`|-${'-'.repeat(rowWidth - 3)}|${filler}`);

    const rows = Math.min(interval === 0 ? 0 : Math.ceil(duration / interval), MAX_ROWS);
    // With no frame counted, tshark tells the intervals' times from 1970.
    const start = Number.isNaN(this.startSec) ? 0 : this.startSec;
    for (let i = 0, t = 0; i < rows; i++, t += interval) {
      const last = i === rows - 1 && t + interval >= duration;
      const end = last ? duration : t + interval;
      let line: string;
      if (this.clock === 'relative') {
        const open = precision === 0 && durMag === 1 ? '|  ' : '| ';
        if (precision !== 0) line = `| ${sec(t)}.${fraction(t)} <> ${sec(end)}.${fraction(end)} |`;
        else if (last) line = `${open}${sec(t)} <> ${'Dur'.padEnd(durMag >= 3 ? durMag + 1 : 3)}|`;
        else line = `${open}${sec(t)} <> ${sec(end)}${durMag === 1 ? '  |' : ' |'}`;
      } else line = `| ${this.clockText(start + Math.floor(t / US))} |`;
      this.columns.forEach((c, j) => {
        line += cell(c, widths[j]!, i);
      });
      sink.line(line + filler);
    }
    sink.line('='.repeat(border));
  }

  private clockText(sec: number): string {
    const utc = this.clock.startsWith('utc-');
    const day = calendar(sec, utc);
    switch (this.clock) {
      case 'date':
      case 'utc-date':
        return `${day.date} ${day.clock}`;
      case 'doy':
      case 'utc-doy':
        return `${day.doy} ${day.clock}`;
      default:
        return day.clock;
    }
  }
}

/** The head of the time column, by -t (with its leading `| `). */
const TIME_TITLES: Record<Clock, string> = {
  relative: '| Interval',
  clock: '| Time    ',
  date: '| Date and time',
  doy: '| Date and time',
  'utc-clock': '',
  'utc-date': '| Date and time',
  'utc-doy': '| Date and time',
};

function grow(c: Column, row: number): void {
  const size = Math.min(MAX_ROWS, Math.max(row + 1, c.frames.length * 2));
  for (const key of ['frames', 'counter', 'num'] as const) {
    const a = new Float64Array(size);
    a.set(c[key]);
    c[key] = a;
  }
}

/** An occurrence's number: a relative time in nanoseconds, as tshark adds them up. */
function valueOf(kind: ValueKind, v: Values, i: number): number {
  return kind === 'reltime' ? v.nums[i]! * 1e9 + v.offs[i]! : v.nums[i]!;
}

/** What tshark keeps, after each frame, of the interval's value to size the column by. */
function widest(c: Column, row: number): number {
  const counter = c.counter[row]!;
  switch (c.calc) {
    case 'FRAMES':
      return 0;
    case 'AVG': {
      const n = c.num[row]!;
      if (n === 0) return 0;
      if (c.kind === 'reltime') return Math.floor((Math.floor(counter / n) + 5e8) / 1e9);
      return Math.floor(Math.floor(counter) / n);
    }
    default:
      if (c.kind === 'double') return Math.floor(counter + 0.5);
      // A negative value (a span backwards) is given a digit more, for its sign.
      return counter < 0 ? -counter * 10 : counter;
  }
}

interface Widths {
  frames: number;
  value: number;
  /** Its share of a row, borders and padding included. */
  total: number;
}

function columnWidths(c: Column): Widths {
  const frames = Math.max(6, magnitude(c.maxFrames, 15));
  switch (c.calc) {
    case 'FRAMES':
      return { frames, value: 0, total: frames + 3 };
    case 'FRAMES BYTES': {
      const value = Math.max(5, magnitude(c.maxValue, 15));
      return { frames, value, total: frames + value + 6 };
    }
    case 'BYTES':
    case 'COUNT': {
      const value = Math.max(5, magnitude(c.maxValue, 15));
      return { frames, value, total: value + 3 };
    }
    default: {
      let value: number;
      if (c.kind === 'double') value = magnitude(c.maxValue, 15) + 7;
      else if (c.kind === 'reltime') {
        // AVG keeps whole seconds already; the others nanoseconds.
        value = magnitude(c.calc === 'AVG' ? c.maxValue : Math.floor((c.maxValue + 5e8) / 1e9), 15) + 7;
      } else value = Math.max(c.calc.length, magnitude(c.maxValue, 15));
      return { frames, value, total: value + 3 };
    }
  }
}

/** One column's cell of interval `row` (zeros where the column counted nothing that late). */
function cell(c: Column, w: Widths, row: number): string {
  const here = row <= c.last;
  const frames = here ? c.frames[row]! : 0;
  const counter = here ? c.counter[row]! : 0;
  switch (c.calc) {
    case 'FRAMES':
      return ` ${pad(frames, w.frames)} |`;
    case 'FRAMES BYTES':
      return ` ${pad(frames, w.frames)} | ${pad(counter, w.value)} |`;
    case 'BYTES':
    case 'COUNT':
      return ` ${pad(counter, w.value)} |`;
    default: {
      const n = c.calc === 'AVG' ? Math.max(1, here ? c.num[row]! : 0) : 1;
      if (c.kind === 'double') return ` ${printfFixed(counter / n, 6).padStart(w.value - 7)} |`;
      if (c.kind === 'reltime') return ` ${seconds(Math.floor((Math.floor(counter / n) + 500) / 1000), w.value - 7)} |`;
      return ` ${pad(Math.trunc(counter / n), w.value)} |`;
    }
  }
}

/** Microseconds as tshark's `%Nu.%06u` (a negative span, which tshark takes for a huge one, with its sign). */
function seconds(us: number, width: number): string {
  const whole = Math.trunc(us / US);
  const text = `${us < 0 && whole === 0 ? '-' : ''}${whole}.${String(Math.abs(us % US)).padStart(6, '0')}`;
  return text.padStart(width + 7);
}

/** The digits of a whole number, at least 1 and at most max (tshark's magnitude()). */
function magnitude(value: number, max: number): number {
  const digits = String(Math.floor(value)).length;
  return Math.min(digits, max);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

/** A label centred in a column, as tshark's printcenter() (which prints nothing for a column 10 wider than it). */
function centred(label: string, width: number): string {
  const room = width - label.length;
  const len = 6 - (Math.trunc(room / 2) + 1);
  if (len > 0 && len < 6) {
    const side = ' '.repeat(6 - len);
    return room % 2 === 0 ? `${side}${label}${side}|` : ` ${side}${label}${side}|`;
  }
  return len > 0 && len <= 15 ? `${label}|` : '';
}

/** The `Col N:` lines: each column's text, wrapped at a space to the table's width. */
function printColumnText(sink: LineSink, c: Column, j: number, border: number): void {
  const head = j === 0 ? `| Col${pad(j + 1, 2)}: ` : `|    ${pad(j + 1, 2)}: `;
  if (c.text === null) {
    sink.line(`${head}Frames and bytes${' '.repeat(Math.max(0, border - 26))}|`);
    return;
  }
  let text = visible(c.text);
  const room = border - 11;
  let prefix = head;
  while (text.length > room && room > 0) {
    const space = text.lastIndexOf(' ', room - 1);
    const cut = space >= 0 ? space : room;
    sink.line(`${prefix}${text.slice(0, cut)}${' '.repeat(Math.max(0, border - cut - 10))}|`);
    text = text.slice(space >= 0 ? cut + 1 : cut);
    prefix = '|        ';
  }
  sink.line(`${prefix}${text}${' '.repeat(Math.max(0, border - text.length - 10))}|`);
}
