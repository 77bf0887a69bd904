const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of counts, scaled to its own maximum. */
export function sparkline(counts: number[], width: number): string {
  const tail = counts.slice(-width);
  const max = Math.max(1, ...tail);
  return tail
    .map((c) => (c === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((c / max) * (BARS.length - 1)))]))
    .join('')
    .padStart(width);
}

export function count(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 10_000_000) return `${(n / 1000).toFixed(0)}k`;
  return `${(n / 1e6).toFixed(0)}M`;
}

/** `16`, `0.25` below ten (two digits). */
function rateNumber(rate: number): string {
  if (rate >= 10) return count(Math.round(rate));
  return String(Number(rate.toPrecision(2)));
}

/** Slower rates said a minute or an hour (`11/h`, not `0.0031/s`), slower still a day: a RATE cell stays narrow. */
const SLOWER: [unit: string, seconds: number][] = [
  ['m', 60],
  ['h', 3600],
];

/** A RATE cell, six columns at most: `16/s`, `0.25/s`, `2.3/m`, `11/h`, `0.5/d`, `<0.1/d`, `-`. */
export function rateText(rate: number | null): string {
  if (rate === null) return '-';
  if (rate === 0 || rate >= 0.1) return `${rateNumber(rate)}/s`;
  for (const [unit, seconds] of SLOWER) if (rate * seconds >= 1) return `${rateNumber(rate * seconds)}/${unit}`;
  const daily = rate * 86400;
  return daily < 0.1 ? '<0.1/d' : `${rateNumber(daily)}/d`;
}

/** Pads or cuts to exactly `width` columns (an ellipsis marks a cut). */
export function fit(text: string, width: number, right = false): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
  return right ? text.padStart(width) : text.padEnd(width);
}

export function clock(sec: number): string {
  const s = Math.floor(sec);
  return (
    `${String(Math.floor(s / 3600)).padStart(2, '0')}:` +
    `${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:` +
    `${String(s % 60).padStart(2, '0')}`
  );
}

/** How long ago, scaled: `now`, `12s`, `5m`, `3h`, `2d`. */
export function ago(sec: number): string {
  if (!Number.isFinite(sec) || sec < 1) return 'now';
  if (sec < 120) return `${Math.round(sec)}s ago`;
  if (sec < 7200) return `${Math.round(sec / 60)}m ago`;
  if (sec < 172800) return `${Math.round(sec / 3600)}h ago`;
  return `${Math.round(sec / 86400)}d ago`;
}

/** Cuts in the middle (an address keeps its start and end): `2001:db8:…:0:1`. */
function fitMiddle(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  if (width <= 1) return '…'.slice(0, width);
  const head = Math.ceil((width - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

/** `a ⇄ b`, each address cut in its middle when both do not fit. */
/**
 * A tunnel row's key after its endpoints in a title: ` key 0x2a` for a GRE key; the key column's own words for the
 * others (` call 5`, ` vni 5001`, ` tunnel 11 session 21`); nothing for none.
 */
export const keyWords = (key: string): string => (key === '-' ? '' : key.startsWith('0x') ? ` key ${key}` : ` ${key}`);

export function endpointsText(a: string, b: string, width: number): string {
  const full = `${a} ⇄ ${b}`;
  if (full.length <= width) return full.padEnd(width);
  const each = Math.max(1, Math.floor((width - 3) / 2));
  return `${fitMiddle(a, each).trimEnd()} ⇄ ${fitMiddle(b, width - 3 - Math.min(a.length, each))}`
    .slice(0, width)
    .padEnd(width);
}

/** The largest `width` of the items, at least `least`: a loop, as a spread of 200k arguments overflows the stack. */
export function widest<T>(items: readonly T[], width: (item: T) => number, least = 0): number {
  let w = least;
  for (const item of items) w = Math.max(w, width(item));
  return w;
}

/** A list cut to `height` lines around `selected`, and how many lines lie above and below. */
export function windowOf<T>(
  items: T[],
  selected: number,
  height: number,
): { first: number; items: T[]; above: number; below: number } {
  const h = Math.max(0, height);
  const first = Math.max(0, Math.min(selected - Math.floor(h / 2), items.length - h));
  const shown = items.slice(first, first + h);
  return { first, items: shown, above: first, below: Math.max(0, items.length - first - shown.length) };
}
