import type { PacketCtx } from '../dissect/packet.js';
import { writeFraction } from './packet-json.js';
import type { TextOut } from '../util/text-out.js';

/**
 * How a text line starts, as tcpdump's -t options (and tshark's -t) say:
 * `default` is the local clock, with the date on packets dated another day
 * than the run's first packet; `clock` the clock alone (tshark -t a); `doy`
 * the date as year/day of the year (tshark -t adoy); `utc-` the same in UTC.
 */
export type TimeFormat =
  | 'default'
  | 'clock'
  | 'none'
  | 'epoch'
  | 'delta'
  | 'date'
  | 'doy'
  | 'relative'
  | 'utc-clock'
  | 'utc-date'
  | 'utc-doy';

/** tcpdump: -t, -tt, -ttt, -tttt, -ttttt. */
export const TCPDUMP_TIME: readonly TimeFormat[] = ['none', 'epoch', 'delta', 'date', 'relative'];
/**
 * tshark -t FORMAT (spans as tcpdump prints them; dd, delta from the packet displayed before, is d as printed lines
 * go).
 */
export const TSHARK_TIME: Readonly<Record<string, TimeFormat>> = {
  a: 'clock',
  ad: 'date',
  adoy: 'doy',
  u: 'utc-clock',
  ud: 'utc-date',
  udoy: 'utc-doy',
  r: 'relative',
  d: 'delta',
  dd: 'delta',
  e: 'epoch',
};

let format: TimeFormat = 'default';
let utc = false;
let firstSec = NaN;
let firstNsec = 0;
let firstDay = -1;
let prevSec = NaN;
let prevNsec = 0;

/**
 * Sets the format for the lines that follow. `first` is the run's first
 * packet when it is known beforehand (a worker printing a later part);
 * otherwise the first packet written is.
 */
export function setTimeFormat(f: TimeFormat, first: readonly [number, number] | null = null): void {
  format = f;
  utc = f === 'utc-clock' || f === 'utc-date' || f === 'utc-doy';
  cachedSec = NaN;
  firstSec = first ? first[0] : NaN;
  firstNsec = first ? first[1] : 0;
  firstDay = first ? localTime(first[0]).day : -1;
  prevSec = NaN;
}

export const timeFormat = (): TimeFormat => format;

let cachedSec = NaN;
let cached = { clock: '', date: '', doy: '', day: -1 };
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/**
 * HH:MM:SS, YYYY-MM-DD and YYYY/DDD of a second in local time (UTC for tshark's -t u...), as tcpdump and tshark print
 * them, and the day as one number (YYYYMMDD).
 */
export function calendar(sec: number, inUtc: boolean): { clock: string; date: string; doy: string; day: number } {
  const d = new Date(sec * 1000);
  const [y, mo, day, h, mi, s] = inUtc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const yday = (Date.UTC(y, mo, day) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
  return {
    clock: `${pad2(h)}:${pad2(mi)}:${pad2(s)}`,
    date: `${y}-${pad2(mo + 1)}-${pad2(day)}`,
    doy: `${y}/${String(yday).padStart(3, '0')}`,
    day: y * 10000 + mo * 100 + day,
  };
}

/** The calendar of the run's format, computed once per second of capture. */
function localTime(sec: number): typeof cached {
  if (sec !== cachedSec) {
    cachedSec = sec;
    cached = calendar(sec, utc);
  }
  return cached;
}

/** A signed span as tcpdump's -ttt and -ttttt print it: a sign or a space, then H:MM:SS and the fraction. */
function writeSpan(ctx: PacketCtx, sec: number, nsec: number, out: TextOut): void {
  let ns = (ctx.tsSec - sec) * 1e9 + (ctx.tsNsec - nsec);
  out.byte(ns < 0 ? 0x2d : 0x20);
  if (ns < 0) ns = -ns;
  const whole = Math.floor(ns / 1e9);
  out
    .padded(Math.floor(whole / 3600), 2)
    .byte(0x3a)
    .padded(Math.floor(whole / 60) % 60, 2)
    .byte(0x3a)
    .padded(whole % 60, 2);
  if (ctx.tsDigits > 0) {
    const digits = Math.min(ctx.tsDigits, 9);
    out.byte(0x2e).padded(Math.floor((ns - whole * 1e9) / 10 ** (9 - digits)), digits);
  }
}

/** Writes the packet's time as the format says; false when it writes nothing (-t). */
export function writeTime(ctx: PacketCtx, out: TextOut): boolean {
  if (Number.isNaN(firstSec)) {
    firstSec = ctx.tsSec;
    firstNsec = ctx.tsNsec;
    firstDay = localTime(ctx.tsSec).day;
  }
  switch (format) {
    case 'none':
      return false;
    case 'epoch':
      out.num(ctx.tsSec);
      if (ctx.tsDigits > 0) writeFraction(ctx, out);
      return true;
    case 'delta':
      writeSpan(ctx, Number.isNaN(prevSec) ? ctx.tsSec : prevSec, Number.isNaN(prevSec) ? ctx.tsNsec : prevNsec, out);
      prevSec = ctx.tsSec;
      prevNsec = ctx.tsNsec;
      return true;
    case 'relative':
      writeSpan(ctx, firstSec, firstNsec, out);
      return true;
    default: {
      const t = localTime(ctx.tsSec);
      if (format === 'date' || format === 'utc-date' || (format === 'default' && t.day !== firstDay))
        out.str(t.date).byte(0x20);
      else if (format === 'doy' || format === 'utc-doy') out.str(t.doy).byte(0x20);
      out.str(t.clock);
      if (ctx.tsDigits > 0) writeFraction(ctx, out);
      return true;
    }
  }
}
