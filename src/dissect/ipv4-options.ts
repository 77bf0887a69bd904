import { ipv4 as ipv4Text } from './addr.js';
import {
  appendedTitle,
  declareFields,
  type Field,
  type FieldReader,
  fields,
  fieldsByName,
  fieldsFoundByName,
  occurrence,
  Values,
  visitText,
  YES_NO,
} from './field.js';
import type { Layer } from './packet.js';
import { plural } from '../util/words.js';

/**
 * IPv4's options as Wireshark reads them (its dissect_ip_options): `Options: (4 bytes), Router Alert` at the end of
 * the header's fields, each option a subtree with its type (copy, class and number bits), length and what its layout
 * holds: End of Options List and No-Operation (type only), Router Alert, Record Route, Loose and Strict Source
 * Route, Time Stamp, Stream ID, MTU Probe and Reply, Traceroute, Selective Directed Broadcast, Quick-Start. The
 * security options (Security, Extended Security, CIPSO) show their title, type and length, not yet their body; an
 * unknown option its title alone. The walk stops where Wireshark's does: after End of Options List, and at an option
 * whose length byte is missing, below 2, or past the options.
 *
 * Not as in Wireshark: a source route's last address, where its pointer is valid, is drawn as the destination but
 * ip.dst stays the header's (Wireshark's ip.dst is then the route's last address, and the header's is ip.cur_rt);
 * options the snap length cut are not drawn (Wireshark draws those before the cut, then its exception).
 */

/** The option's type byte, as Wireshark names them. */
const EOL = 0;
const NOP = 1;
const SECURITY = 130;
const LOOSE_ROUTE = 131;
const TIMESTAMP = 68;
const EXTENDED_SECURITY = 133;
const CIPSO = 134;
const RECORD_ROUTE = 7;
const STREAM_ID = 136;
const STRICT_ROUTE = 137;
const MTU_PROBE = 11;
const MTU_REPLY = 12;
const TRACEROUTE = 82;
const ROUTER_ALERT = 148;
const DIRECTED_BROADCAST = 149;
const QUICK_START = 25;

/** Each option Wireshark has a layout for: its protocol item's name (`ip.options.<name>`) and short name. */
const OPTIONS: Readonly<Record<number, readonly [string, string]>> = {
  [EOL]: ['eol', 'End of Options List (EOL)'],
  [NOP]: ['nop', 'No-Operation (NOP)'],
  [SECURITY]: ['security', 'Security'],
  [LOOSE_ROUTE]: ['route', 'Loose Source Route'],
  [TIMESTAMP]: ['timestamp', 'Time Stamp'],
  [EXTENDED_SECURITY]: ['ext_security', 'Extended Security'],
  [CIPSO]: ['cipso', 'Commercial Security'],
  [RECORD_ROUTE]: ['record_route', 'Record Route'],
  [STREAM_ID]: ['sid', 'Stream ID'],
  [STRICT_ROUTE]: ['source_route', 'Strict Source Route'],
  [MTU_PROBE]: ['mtu_probe', 'MTU Probe'],
  [MTU_REPLY]: ['mtu_reply', 'MTU Reply'],
  [TRACEROUTE]: ['traceroute', 'Traceroute'],
  [ROUTER_ALERT]: ['routeralert', 'Router Alert'],
  [DIRECTED_BROADCAST]: ['sdb', 'Selective Directed Broadcast'],
  [QUICK_START]: ['qs', 'Quick-Start'],
};

/** The length Wireshark's title gives an option of a fixed layout (its expected length, whatever the byte says). */
const FIXED_LENGTH: Readonly<Record<number, number>> = {
  [STREAM_ID]: 4,
  [MTU_PROBE]: 4,
  [MTU_REPLY]: 4,
  [TRACEROUTE]: 12,
  [ROUTER_ALERT]: 4,
  [QUICK_START]: 8,
};

const CLASS_NAMES: Readonly<Record<number, string>> = {
  0: 'Control',
  1: 'Reserved for future use',
  2: 'Debugging and measurement',
  3: 'Reserved for future use',
};

const NUMBER_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Security',
  3: 'Loose source route',
  4: 'Time stamp',
  5: 'Extended security',
  6: 'Commercial IP security option',
  7: 'Record route',
  8: 'Stream identifier',
  9: 'Strict source route',
  10: 'Experimental Measurement',
  11: 'MTU probe',
  12: 'MTU Reply',
  13: 'Experimental Flow Control',
  14: 'Experimental Access Control',
  15: 'Ask Estrin',
  16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol',
  18: 'Traceroute',
  19: 'Address Extension',
  20: 'Router Alert',
  21: 'Selective Directed Broadcast',
  22: 'Unassigned',
  23: 'Dynamic Packet State',
  24: 'Upstream Multicast Packet',
  25: 'Quick-Start',
  30: 'RFC 3692-style experiment',
};

const QS_FUNCTION_NAMES: Readonly<Record<number, string>> = { 0: 'Rate request', 8: 'Rate report' };
const QS_RATE_NAMES: Readonly<Record<number, string>> = {
  0: '0 bit/s',
  1: '80 Kbit/s',
  2: '160 Kbit/s',
  3: '320 Kbit/s',
  4: '640 Kbit/s',
  5: '1.28 Mbit/s',
  6: '2.56 Mbit/s',
  7: '5.12 Mbit/s',
  8: '10.24 Mbit/s',
  9: '20.48 Mbit/s',
  10: '40.96 Mbit/s',
  11: '81.92 Mbit/s',
  12: '163.84 Mbit/s',
  13: '327.68 Mbit/s',
  14: '655.36 Mbit/s',
  15: '1.31072 Gbit/s',
};
const TIMESTAMP_FLAG_NAMES: Readonly<Record<number, string>> = {
  0: 'Time stamps only',
  1: 'Time stamp and address',
  3: 'Time stamps for prespecified addresses',
};

/** A Router Alert's value as Wireshark's range names it. */
const routerAlertText = (n: number): string => `${n === 0 ? 'Router shall examine packet' : 'Reserved'} (${n})`;

/**
 * One item the walk finds: a field's occurrence (`name`, at `depth` of the IPv4 tree, bytes [p, p + size) of the
 * layer, its number n or its text), or a line -V draws as it is (`line`; with a field's name, the item is that
 * field's occurrence too).
 */
type Item = (name: string, depth: number, p: number, size: number, n: number, text: string, line: string) => void;

/** [start, end) of the layer's options (they may run past the captured bytes), or null where it has none. */
function optionsOf(l: Layer): [number, number] | null {
  const start = l.off + 20;
  const end = l.off + (l.buf[l.off]! & 15) * 4;
  return end > start && start <= l.end ? [start, end] : null;
}

/**
 * Visits each option in [start, end) as Wireshark walks them: its type, where it starts and its length (1 for End of
 * Options List and No-Operation), until `visit` returns true, after End of Options List, or at an option whose length
 * is missing, below 2 or past the options (`bad` hears of it, with what Wireshark says of it). Returns false where
 * the walk would read a byte past the captured ones (Wireshark's walk ends in an exception there).
 */
function eachOption(
  l: Layer,
  [start, end]: [number, number],
  visit: (type: number, p: number, len: number) => boolean | undefined,
  bad?: (p: number, size: number, why: string) => void,
): boolean {
  const buf = l.buf;
  for (let p = start; p < end; ) {
    if (p >= l.end) return false;
    const type = buf[p]!;
    if (type === EOL || type === NOP) {
      if (visit(type, p, 1) || type === EOL) return true;
      p++;
      continue;
    }
    const name = OPTIONS[type]?.[1] ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`;
    if (p + 2 > end) {
      bad?.(p, 1, `${name} (length byte past end of options)`);
      return true;
    }
    if (p + 1 >= l.end) return false;
    const len = buf[p + 1]!;
    if (len < 2 || p + len > end) {
      const says =
        len < 2
          ? `with too-short option length = ${plural(len, 'byte')}`
          : `option length = ${plural(len, 'byte')} says option goes past end of options`;
      bad?.(p, len < 2 ? 2 : end - p - 2, `${name} (${says})`);
      return true;
    }
    if (visit(type, p, len)) return true;
    p += len;
  }
  return true;
}

/** Walks the options of an IPv4 header whose options were all captured. */
function walk(l: Layer, item: Item): void {
  const range = optionsOf(l);
  if (range === null || range[1] > l.end) return;
  // The titles of the options with a layout: Wireshark appends them to the options' line.
  let names = '';
  eachOption(l, range, (type) => {
    if (type !== EOL && type !== NOP && OPTIONS[type]) names += `, ${OPTIONS[type]![1]}`;
    return false;
  });
  const [start, end] = range;
  item('', 1, start, end - start, 0, '', appendedTitle(`Options: (${end - start} bytes)${names}`));
  eachOption(
    l,
    range,
    (type, p, len) => {
      const known = OPTIONS[type];
      if (type === EOL || type === NOP) {
        item(`ip.options.${known![0]}`, 2, p, 1, 0, '', `IP Option - ${known![1]}`);
        typeItems(item, p, type);
      } else if (!known) {
        item('', 2, p, len, 0, '', `Unknown (0x${type.toString(16).padStart(2, '0')}) (${plural(len, 'byte')})`);
      } else option(l, item, type, p, len);
      return false;
    },
    // Wireshark's expert item, a line of its own.
    (p, size, why) => item('', 2, p, size, 0, '', why),
  );
}

/** The type byte at p and its bits, under an option's title. */
function typeItems(item: Item, p: number, type: number): void {
  item('ip.opt.type', 3, p, 1, type, '', '');
  for (const name of ['ip.opt.type.copy', 'ip.opt.type.class', 'ip.opt.type.number']) item(name, 4, p, 1, type, '', '');
}

/** An option with a layout: [p, p + len) of the options. */
function option(l: Layer, item: Item, type: number, p: number, len: number): void {
  const dv = l.dv;
  const [name, short] = OPTIONS[type]!;
  const fixed = FIXED_LENGTH[type];
  /** The option's bytes from `at` that hold `size` more (Wireshark's reading stops at an option's end). */
  const has = (at: number, size: number) => at + size <= len;
  let title = `IP Option - ${short} (${plural(fixed ?? len, 'byte')})`;
  if (type === ROUTER_ALERT && has(2, 2)) title += `: ${routerAlertText(dv.getUint16(p + 2))}`;
  if (type === QUICK_START && has(2, 1)) title += quickStartTitle(l, p, len);
  item(`ip.options.${name}`, 2, p, len, 0, '', title);
  typeItems(item, p, type);
  item('ip.opt.len', 3, p + 1, 1, len, '', '');
  const u16 = (field: string, at: number) => {
    if (has(at, 2)) item(field, 3, p + at, 2, dv.getUint16(p + at), '', '');
  };
  switch (type) {
    case ROUTER_ALERT:
      if (has(2, 2)) item('ip.opt.ra', 3, p + 2, 2, dv.getUint16(p + 2), routerAlertText(dv.getUint16(p + 2)), '');
      return;
    case STREAM_ID:
      return u16('ip.opt.sid', 2);
    case MTU_PROBE:
    case MTU_REPLY:
      return u16('ip.opt.mtu', 2);
    case TRACEROUTE:
      u16('ip.opt.id_number', 2);
      u16('ip.opt.ohc', 4);
      u16('ip.opt.rhc', 6);
      if (has(8, 4)) item('ip.opt.originator', 3, p + 8, 4, dv.getUint32(p + 8), '', '');
      return;
    case QUICK_START:
      return quickStart(l, item, p, len);
    case RECORD_ROUTE:
    case LOOSE_ROUTE:
    case STRICT_ROUTE:
      return route(l, item, type, p, len);
    case TIMESTAMP:
      return timestamp(l, item, p, len);
    case DIRECTED_BROADCAST: {
      let at = 2;
      for (; at + 4 <= len; at += 4) item('ip.opt.addr', 3, p + at, 4, dv.getUint32(p + at), '', '');
      if (at < len) item('ip.opt.padding', 3, p + at, len - at, 0, '', '');
      return;
    }
  }
  // The security options' bodies are not read yet.
}

/** What Wireshark appends to a Quick-Start option's title: its function, rate, and a request's TTLs. */
function quickStartTitle(l: Layer, p: number, len: number): string {
  const command = l.buf[p + 2]!;
  const fn = command >> 4;
  let text = `: ${QS_FUNCTION_NAMES[fn] ?? `Unknown (${fn})`} (${fn})`;
  const rate = QS_RATE_NAMES[command & 15]!;
  if (fn === 0 && len >= 4) text += `, ${rate}, QS TTL ${l.buf[p + 3]}, QS TTL diff ${ttlDiff(l, p)}`;
  else if (fn === 8) text += `, ${rate}`;
  return text;
}

/** A Quick-Start request's TTL difference: the header's TTL less the option's, modulo 256. */
const ttlDiff = (l: Layer, p: number): number => (l.buf[l.off + 8]! - l.buf[p + 3]!) & 0xff;

function quickStart(l: Layer, item: Item, p: number, len: number): void {
  if (len < 3) return;
  const command = l.buf[p + 2]!;
  const fn = command >> 4;
  item('ip.opt.qs_func', 3, p + 2, 1, command, '', '');
  if (fn !== 0 && fn !== 8) return;
  item('ip.opt.qs_rate', 3, p + 2, 1, command, '', '');
  if (len < 4) return;
  if (fn === 0) {
    item('ip.opt.qs_ttl', 3, p + 3, 1, l.buf[p + 3]!, '', '');
    item('ip.opt.qs_ttl_diff', 3, p + 3, 1, ttlDiff(l, p), '', '');
  } else item('ip.opt.qs_unused', 3, p + 3, 1, l.buf[p + 3]!, '', '');
  if (len < 8) return;
  const word = l.dv.getUint32(p + 4);
  item('ip.opt.qs_nonce', 3, p + 4, 4, word, '', '');
  item('ip.opt.qs_reserved', 3, p + 4, 4, word, '', '');
}

/**
 * Record Route, Loose and Strict Source Route: the pointer, then each address by where the pointer stands (recorded
 * before it, the next one at it, the route or empty slots after it; a source route's last address is its
 * destination). A pointer before the first address or inside one ends the reading, as in Wireshark.
 */
function route(l: Layer, item: Item, type: number, p: number, len: number): void {
  if (len < 3) return;
  const ptr = l.buf[p + 2]!;
  item('ip.opt.ptr', 3, p + 2, 1, ptr, '', '');
  if (ptr < 4 || ptr & 3) return;
  const recording = type === RECORD_ROUTE;
  const ahead = recording ? 'ip.empty_rt' : 'ip.src_rt';
  for (let at = 3; at + 4 <= len; at += 4) {
    const address = l.dv.getUint32(p + at);
    const text = ipv4Text(l.buf, p + at);
    let name = ahead;
    let next = false;
    if (ptr > len || at + 1 < ptr) name = 'ip.rec_rt';
    else if (!recording && at === len - 4) {
      item('', 3, p + at, 4, 0, '', `Destination Address: ${text}`);
      continue;
    } else next = at + 1 === ptr;
    item(name, 3, p + at, 4, address, next ? `${text} <- (next)` : text, '');
  }
}

/** routeDestination's answer where the options it would read were not captured. */
export const ROUTE_CUT = -2;

/**
 * Where the final destination of a loose or strict source route lies (an offset in the layer's buffer), -1 where no
 * route's pointer is valid: Wireshark's get_dst_offset, the last address of the first source route in the options.
 * Wireshark then shows the header's destination as the route's current hop (ip.cur_rt). ROUTE_CUT where the walk
 * would read past the captured bytes: Wireshark's tree ends there, after the source address.
 */
export function routeDestination(l: Layer): number {
  const range = optionsOf(l);
  let at = -1;
  if (range === null) return at;
  const read = eachOption(l, range, (type, p, len) => {
    if (type !== LOOSE_ROUTE && type !== STRICT_ROUTE) return false;
    // A route of length 2 has its pointer in the byte after it, which Wireshark reads all the same.
    if (p + 2 >= l.end) {
      at = ROUTE_CUT;
      return true;
    }
    const ptr = l.buf[p + 2]!;
    // Wireshark reads the destination there at once.
    if (!(ptr < 4 || ptr & 3 || ptr > len)) at = p + len > l.end ? ROUTE_CUT : p + len - 4;
    return true;
  });
  return read ? at : ROUTE_CUT;
}

/** Time Stamp: the pointer (what it points at said), overflow and flag, then time stamps, each after its address. */
function timestamp(l: Layer, item: Item, p: number, len: number): void {
  if (len < 4) return;
  const ptr = l.buf[p + 2]!;
  const said =
    ptr === 1
      ? ' (header is full)'
      : ptr < 5
        ? ' (points before first address)'
        : (ptr - 1) & 3
          ? ' (points to middle of field)'
          : '';
  item('ip.opt.ptr', 3, p + 2, 1, ptr, `${ptr}${said}`, '');
  const byte = l.buf[p + 3]!;
  item('ip.opt.overflow', 3, p + 3, 1, byte, '', '');
  item('ip.opt.flag', 3, p + 3, 1, byte, '', '');
  const withAddress = (byte & 15) === 1 || (byte & 15) === 3;
  // Wireshark says so of bytes too few for another entry (an expert item, a line of its own).
  const tooFew = (at: number) => item('', 3, p + at, len - at, 0, '', 'Suboption would go past end of option');
  for (let at = 4; at < len; ) {
    if (withAddress) {
      if (at + 8 > len) return tooFew(at);
      const address = l.dv.getUint32(p + at);
      item('ip.opt.time_stamp_addr', 3, p + at, 4, address, address === 0 ? '-' : ipv4Text(l.buf, p + at), '');
      at += 4;
    } else if (at + 4 > len) return tooFew(at);
    item('ip.opt.time_stamp', 3, p + at, 4, l.dv.getUint32(p + at), '', '');
    at += 4;
  }
}

const readerOf =
  (name: string): FieldReader =>
  (l, v) =>
    walk(l, (at, _depth, p, size, n, text) => {
      if (at === name) occurrence(byName().get(name)!, v, l.buf, p, size, n, text);
    });

const { item, u8, u16 } = fieldsFoundByName(readerOf);
const shown = (_n: number, _b: Uint8Array, _o: number, text: string): string => text;

/** The options' fields, declared once (IPv4's declaration holds them). */
export const OPTION_FIELDS = declareFields(() =>
  fields(
    // Each option is a protocol item of Wireshark's (tshark -G lists them as protocols), its value its bytes.
    ...Object.values(OPTIONS).map(([name, short]) =>
      item({ name: `ip.options.${name}`, label: `IP Option - ${short}`, type: 'bytes' }),
    ),
    u8('ip.opt.type', 'Type'),
    item({ name: 'ip.opt.type.copy', label: 'Copy on fragmentation', type: 'bool', mask: 0x80, tfs: YES_NO }),
    item({ name: 'ip.opt.type.class', label: 'Class', type: 'uint', mask: 0x60, values: CLASS_NAMES }),
    item({ name: 'ip.opt.type.number', label: 'Number', type: 'uint', mask: 0x1f, values: NUMBER_NAMES }),
    u8('ip.opt.len', 'Length'),
    item({ name: 'ip.opt.ptr', label: 'Pointer', type: 'uint', display: (n, _b, _o, text) => text || String(n) }),
    u16('ip.opt.sid', 'Stream Identifier'),
    u16('ip.opt.mtu', 'MTU'),
    u16('ip.opt.id_number', 'ID Number'),
    u16('ip.opt.ohc', 'Outbound Hop Count'),
    u16('ip.opt.rhc', 'Return Hop Count'),
    item({ name: 'ip.opt.originator', label: 'Originator IP Address', type: 'ipv4' }),
    item({ name: 'ip.opt.ra', label: 'Router Alert', type: 'uint', bits: 16, display: shown }),
    item({ name: 'ip.opt.addr', label: 'IP Address', type: 'ipv4' }),
    item({ name: 'ip.opt.padding', label: 'Padding', type: 'bytes' }),
    item({ name: 'ip.opt.qs_func', label: 'Function', type: 'uint', mask: 0xf0, values: QS_FUNCTION_NAMES }),
    item({ name: 'ip.opt.qs_rate', label: 'Rate', type: 'uint', mask: 0x0f, values: QS_RATE_NAMES }),
    u8('ip.opt.qs_ttl', 'QS TTL'),
    item({ name: 'ip.opt.qs_ttl_diff', label: 'TTL Diff', type: 'uint', generated: true }),
    u8('ip.opt.qs_unused', 'Not Used'),
    item({ name: 'ip.opt.qs_nonce', label: 'QS Nonce', type: 'uint', bits: 32, base: 'hex', mask: 0xfffffffc }),
    item({ name: 'ip.opt.qs_reserved', label: 'Reserved', type: 'uint', bits: 32, base: 'hex', mask: 0x3 }),
    item({ name: 'ip.opt.overflow', label: 'Overflow', type: 'uint', mask: 0xf0 }),
    item({ name: 'ip.opt.flag', label: 'Flag', type: 'uint', base: 'hex', mask: 0x0f, values: TIMESTAMP_FLAG_NAMES }),
    item({ name: 'ip.opt.time_stamp', label: 'Time stamp', type: 'uint', bits: 32 }),
    item({ name: 'ip.opt.time_stamp_addr', label: 'Address', type: 'ipv4', display: shown }),
    ...(
      [
        ['ip.rec_rt', 'Recorded Route'],
        ['ip.src_rt', 'Source Route'],
        ['ip.empty_rt', 'Empty Route'],
      ] as const
    ).map(([name, label]) => item({ name, label, type: 'ipv4', display: shown })),
  ),
);

const byName = fieldsByName(OPTION_FIELDS);
const treeValues = new Values();

/** Draws the options' subtree at depth 1 of the IPv4 tree. */
export function drawOptions(l: Layer, visit: (f: Field, v: Values, depth: number) => void): void {
  walk(l, (name, depth, p, size, n, text, line) => {
    if (line || name === '') return visitText(visit, line, l.buf, p, size, depth);
    const f = byName().get(name)!;
    treeValues.n = 0;
    occurrence(f, treeValues, l.buf, p, size, n, text);
    visit(f, treeValues, depth);
  });
}
