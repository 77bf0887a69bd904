/**
 * The keys, declared once: this table drives the key handler, the footer,
 * the help screen (?) and the README's table (a test holds the README to
 * keyTableMarkdown()).
 */
export type Screen = 'home' | 'list' | 'packet' | 'finding' | 'help';

export type Action =
  | 'quit'
  | 'help'
  | 'suspend'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'first'
  | 'last'
  | 'open'
  | 'back'
  | 'panel'
  | 'panelBack'
  | 'filter'
  | 'sort'
  | 'all'
  | 'pause'
  | 'write'
  | 'goto'
  | 'find'
  | 'next'
  | 'previous'
  | 'fold'
  | 'hexUp'
  | 'hexDown';

export interface KeyDef {
  action: Action;
  /** Key names as decodeKeys() gives them: `j`, `down`, `enter`, `C-z`, `S-tab`. */
  keys: string[];
  /** How help and the footer write the keys. */
  label: string;
  help: string;
  /** Where the key works; the footer shows the short word on those screens. */
  screens: Screen[];
  footer?: string;
  /** Where the footer shows the word, when not everywhere the key works (`G follow` means something on a list only). */
  footerOn?: Screen[];
}

const ALL: Screen[] = ['home', 'list', 'packet', 'finding', 'help'];
const MOVING: Screen[] = ['home', 'list', 'packet', 'finding'];

export const KEYMAP: readonly KeyDef[] = [
  // The moving keys work everywhere: the help screen scrolls with them.
  { action: 'up', keys: ['k', 'up'], label: 'k ↑', help: 'move up', screens: ALL },
  { action: 'down', keys: ['j', 'down'], label: 'j ↓', help: 'move down', screens: ALL, footer: 'j/k move' },
  { action: 'pageUp', keys: ['pgup', 'C-b'], label: 'PgUp C-b', help: 'a page up', screens: ALL },
  { action: 'pageDown', keys: ['pgdn', 'C-f'], label: 'PgDn C-f', help: 'a page down', screens: ALL },
  {
    action: 'first',
    keys: ['g', 'home'],
    label: 'g Home',
    help: 'to the first line (a list stops following new packets)',
    screens: ALL,
  },
  {
    action: 'last',
    keys: ['G', 'end'],
    label: 'G End',
    help: 'to the last line; a packet list follows new packets again',
    screens: ALL,
    footer: 'G follow',
    footerOn: ['list'],
  },
  {
    action: 'open',
    keys: ['enter'],
    label: 'Enter',
    help:
      "open: a tunnel's or peer pair's packets, a packet, a finding, a group's packets, a router's hellos; " +
      'fold a tree line',
    screens: MOVING,
    footer: 'Enter open',
  },
  {
    action: 'back',
    keys: ['esc'],
    label: 'Esc',
    help: 'back (on the home screen: clear the filter)',
    screens: ALL,
    footer: 'Esc back',
  },
  {
    action: 'panel',
    keys: ['tab'],
    label: 'Tab',
    help: 'next panel: tunnels, multicast and routing, findings',
    screens: ['home'],
    footer: 'Tab panel',
  },
  { action: 'panelBack', keys: ['S-tab'], label: 'S-Tab', help: 'previous panel', screens: ['home'] },
  {
    action: 'filter',
    keys: ['/'],
    label: '/',
    help: 'display filter (Wireshark syntax): on a list, its packets; on the tunnels, those with a matching packet',
    screens: ['home', 'list'],
    footer: '/ filter',
  },
  { action: 'all', keys: ['a'], label: 'a', help: 'every packet of the capture', screens: ['home'], footer: 'a all' },
  {
    action: 'sort',
    keys: ['s'],
    label: 's',
    help: 'sort tunnels by packets, bytes, rate, last seen',
    screens: ['home'],
    footer: 's sort',
  },
  { action: 'goto', keys: [':'], label: ':', help: 'go to a frame number', screens: ['list'], footer: ': frame' },
  {
    action: 'find',
    keys: ['f'],
    label: 'f',
    help: 'find a packet matching a display filter (then n, N)',
    screens: ['list'],
    footer: 'f find',
  },
  { action: 'next', keys: ['n'], label: 'n', help: 'next packet the find matches', screens: ['list'] },
  { action: 'previous', keys: ['N'], label: 'N', help: 'previous packet the find matches', screens: ['list'] },
  {
    action: 'fold',
    keys: ['space', 'left', 'right'],
    label: 'Space ← →',
    help: 'fold or unfold a layer of the tree',
    screens: ['packet'],
    footer: 'Space fold',
  },
  { action: 'hexUp', keys: ['['], label: '[', help: 'scroll the bytes up', screens: ['packet'] },
  {
    action: 'hexDown',
    keys: [']'],
    label: ']',
    help: 'scroll the bytes down',
    screens: ['packet'],
    footer: '[ ] bytes',
  },
  {
    action: 'pause',
    keys: ['p'],
    label: 'p',
    help: 'pause the display (capture goes on)',
    screens: ['home', 'list'],
    footer: 'p pause',
  },
  {
    action: 'write',
    keys: ['w'],
    label: 'w',
    help: "write the selected tunnel's or the list's packets (all of them) to a pcap file named after them",
    screens: ['home', 'list'],
    footer: 'w write',
  },
  { action: 'suspend', keys: ['C-z'], label: 'C-z', help: 'suspend (fg comes back)', screens: ALL },
  { action: 'help', keys: ['?'], label: '?', help: 'this help', screens: ALL, footer: '? help' },
  { action: 'quit', keys: ['q', 'C-c'], label: 'q C-c', help: 'quit', screens: ALL, footer: 'q quit' },
];

const byKey = new Map<string, KeyDef[]>();
for (const d of KEYMAP) {
  for (const k of d.keys) {
    const list = byKey.get(k) ?? [];
    if (list.some((o) => o.screens.some((s) => d.screens.includes(s)))) throw new Error(`key ${k} is declared twice`);
    byKey.set(k, [...list, d]);
  }
}

export function actionOf(key: string, screen: Screen): Action | null {
  return byKey.get(key)?.find((d) => d.screens.includes(screen))?.action ?? null;
}

const SEQUENCES: Record<string, string> = {
  '[A': 'up',
  '[B': 'down',
  '[C': 'right',
  '[D': 'left',
  OA: 'up',
  OB: 'down',
  OC: 'right',
  OD: 'left',
  '[5~': 'pgup',
  '[6~': 'pgdn',
  '[H': 'home',
  '[F': 'end',
  '[1~': 'home',
  '[4~': 'end',
  '[7~': 'home',
  '[8~': 'end',
  OH: 'home',
  OF: 'end',
  '[Z': 'S-tab',
  '[3~': 'backspace',
};

/**
 * The key names in one input event, as ink's reader splits the terminal's
 * reads (escape sequences apart, the text between them whole). A read of
 * several keys is several keys: `jjj` (key repeat), `k\r` (typed fast),
 * text over a slow link, `\x1b\x1b` (Esc twice).
 */
export function decodeKeys(raw: string): string[] {
  if (raw.startsWith('\x1b') && raw.length > 1) {
    const rest = raw.slice(1);
    if (rest.startsWith('\x1b')) return ['esc', ...decodeKeys(rest)];
    const named = SEQUENCES[rest] ?? SEQUENCES[rest.replace(/^\[1;\d/, '[')];
    if (named) return [named];
    if (rest[0] === '[' || rest[0] === 'O') return []; // a sequence we do not use (focus, mouse, F keys)
    return ['esc', ...[...rest].map(charKey)]; // Alt+key: Esc then the key
  }
  const out: string[] = [];
  for (const ch of raw) out.push(charKey(ch));
  return out;
}

function charKey(ch: string): string {
  const c = ch.charCodeAt(0);
  if (ch === '\r' || ch === '\n') return 'enter';
  if (ch === '\t') return 'tab';
  if (ch === '\x7f' || ch === '\b') return 'backspace';
  if (ch === '\x1b') return 'esc';
  if (ch === ' ') return 'space';
  if (c < 0x20) return `C-${String.fromCharCode(c + 0x60)}`;
  return ch;
}

/** The footer for a screen: its keys' short words, with help and quit always last, cut from the left's end. */
export function footerText(screen: Screen, width: number): string {
  const words = KEYMAP.filter(
    (d) => d.footer && (d.footerOn ?? d.screens).includes(screen) && d.action !== 'help' && d.action !== 'quit',
  ).map((d) => d.footer!);
  const tail = '? help  q quit';
  let text = '';
  for (const w of words) {
    const next = text ? `${text}  ${w}` : w;
    if (next.length + 2 + tail.length > width) break;
    text = next;
  }
  return text ? `${text}  ${tail}` : tail;
}

/** The help screen's lines: keys and what they do. */
export function helpLines(): [string, string][] {
  return KEYMAP.map((d) => [d.label, d.help]);
}

/** The README's table of keys. */
export function keyTableMarkdown(): string {
  const screens = (d: KeyDef) => (d.screens.length === ALL.length ? 'everywhere' : d.screens.join(', '));
  return [
    '| Key | Where | What it does |',
    '| --- | --- | --- |',
    ...KEYMAP.map((d) => `| \`${d.label}\` | ${screens(d)} | ${d.help} |`),
  ].join('\n');
}
