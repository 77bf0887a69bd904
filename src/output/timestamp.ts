import type { PacketCtx } from '../dissect/packet.js';
import { writeFraction } from './packet-json.js';
import type { TextOut } from './text-out.js';

/**
 * How a text line starts, as tcpdump's -t options (and tshark's -t) say:
 * `default` is the local clock, with the date on packets dated another day
 * than the run's first packet; `clock` the clock alone (tshark -t a).
 */
export type TimeFormat = 'default' | 'clock' | 'none' | 'epoch' | 'delta' | 'date' | 'relative';

/** tcpdump: -t, -tt, -ttt, -tttt, -ttttt. */
export const TCPDUMP_TIME: readonly TimeFormat[] = ['none', 'epoch', 'delta', 'date', 'relative'];
/** tshark -t FORMAT: the ones with a tcpdump equivalent. */
export const TSHARK_TIME: Readonly<Record<string, TimeFormat>> = {
  a: 'clock',
  ad: 'date',
  r: 'relative',
  d: 'delta',
  e: 'epoch',
};

let format: TimeFormat = 'default';
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
  firstSec = first ? first[0] : NaN;
  firstNsec = first ? first[1] : 0;
  firstDay = first ? localTime(first[0]).day : -1;
  prevSec = NaN;
}

export const timeFormat = (): TimeFormat => format;

let cachedSec = NaN;
const cached = { clock: '', date: '', day: -1 };
const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** HH:MM:SS and YYYY-MM-DD in local time, as tcpdump prints them; computed once per second of capture. */
function localTime(sec: number): typeof cached {
  if (sec !== cachedSec) {
    const d = new Date(sec * 1000);
    cachedSec = sec;
    cached.clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    cached.date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
    cached.day = d.getFullYear() * 10000 + d.getMonth() * 100 + d.getDate();
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
      if (format === 'date' || (format === 'default' && t.day !== firstDay)) out.str(t.date).byte(0x20);
      out.str(t.clock);
      if (ctx.tsDigits > 0) writeFraction(ctx, out);
      return true;
    }
  }
}
