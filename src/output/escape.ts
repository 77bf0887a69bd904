/**
 * What may reach a terminal from a packet or a file: text with every
 * control character (C0, DEL, C1: ESC, CSI, OSC, BS, CR, LF...), every
 * bidirectional override or isolate and every lone surrogate (invalid
 * UTF-16, what invalid UTF-8 becomes) written as a visible escape, `\xNN`
 * or `\u{NNNN}`. Backslash is left alone, so escaping twice changes
 * nothing: text may be made safe where it is made and again where it is
 * written. JSON keeps the same content with JSON's own escapes
 * (`jsonVisible`). Every output (text, reports, errors, the UI) goes through here.
 */
const UNSAFE = new RegExp(
  [
    String.raw`[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]`, // controls, bidi marks
    String.raw`[\ud800-\udbff](?![\udc00-\udfff])`, // a high surrogate without its low one
    String.raw`(?<![\ud800-\udbff])[\udc00-\udfff]`, // a low surrogate without its high one
  ].join('|'),
  'g',
);

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `s` with nothing a terminal would act on; unchanged (the same string) when it is already safe. */
export function visible(s: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s) ? s.replace(UNSAFE, escapeOne) : s;
}

/**
 * A copy of a report (plain data, as JSON holds it) with every string and key made visible: what a text report is
 * made from, whose texts may come from a file (a partial's state) that no dissector escaped.
 */
export function visibleStrings<T>(v: T): T {
  if (typeof v === 'string') return visible(v) as T;
  if (Array.isArray(v)) return v.map(visibleStrings) as T;
  if (v === null || typeof v !== 'object') return v;
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) o[visible(k)] = visibleStrings(x);
  return o as T;
}

/** What JSON.stringify leaves raw that a terminal may act on: DEL, C1 controls, bidirectional controls. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON text (from JSON.stringify) with those written as \\uNNNN: the same content, still valid. */
export function jsonVisible(json: string): string {
  JSON_UNSAFE.lastIndex = 0;
  return JSON_UNSAFE.test(json)
    ? json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}
