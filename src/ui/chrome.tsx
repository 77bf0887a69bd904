import { Box, Text } from 'ink';
import { visible } from '../output/escape.js';
import { PROTECTION_COLOUR } from '../audit/colours.js';
import { sizeText } from '../util/size.js';
import { clock, count, fit, rateText } from './format.js';
import { footerText, helpLines, type Screen } from './keys.js';
import { wrap } from './panels.js';
import type { FilterProblem } from './source.js';
import type { Snapshot } from './store.js';

export function StatusBar(props: { s: Snapshot; paused: boolean; width: number }) {
  const { s } = props;
  const bar =
    s.progress === null
      ? ''
      : s.done
        ? ' done'
        : ` [${'#'.repeat(Math.round(s.progress * 20)).padEnd(20, '.')}] ${Math.round(s.progress * 100)}%`;
  // Counters first: a long capture filter must not push them off a narrow screen.
  const filter = s.filter === null ? '' : `  filter: ${s.filter}`;
  const text =
    `gredump ${s.source}  ${count(s.packets)} ` +
    `pkts ${sizeText(s.bytes, true)}${s.rate === null ? '' : `  ${rateText(s.rate).replace('/', ' pkt/')}`}` +
    `${s.drops === null ? '' : `  ${count(s.drops)} drops`} ` +
    ` ${clock(s.elapsedSec)}${bar}${props.paused ? '  PAUSED' : ''}${filter}`;
  return <Text inverse>{fit(visible(text), props.width)}</Text>;
}

/** A line being typed: a display filter (checked as it is typed), a frame number, a yes or no. */
export interface EditBar {
  prompt: string;
  text: string;
  /** null: fine; otherwise what is wrong, and where (for a caret). */
  error: FilterProblem | null;
  hint: string;
}

export function Footer(props: { width: number; screen: Screen; message: string | null; edit: EditBar | null }) {
  const { edit, width } = props;
  if (edit) {
    const head = `${edit.prompt}${visible(edit.text)}`;
    const lineColor = edit.error ? 'red' : 'green';
    return (
      <Box flexDirection="column">
        {edit.error ? (
          <Text color="red">
            {fit(
              `${' '.repeat(Math.min(width - 1, edit.prompt.length + edit.error.start))}^ ` +
                `${visible(edit.error.message)}`,
              width,
            )}
          </Text>
        ) : null}
        <Text color={lineColor}>{fit(`${head}█  ${edit.hint}`, width)}</Text>
      </Box>
    );
  }
  if (props.message) return <Text color="yellow">{fit(visible(props.message), width)}</Text>;
  return <Text dimColor>{fit(footerText(props.screen, width), width)}</Text>;
}

const BADGES =
  `Badges: CLEARTEXT (${PROTECTION_COLOUR.cleartext}) the payload crosses readable; ` +
  `INTEGRITY-ONLY (${PROTECTION_COLOUR['integrity-only']}) AH or ESP-NULL; ` +
  `ENCRYPTED (${PROTECTION_COLOUR.encrypted}) ESP or PPTP with MPPE; ` +
  `UNKNOWN not yet known. MC: multicast groups; !: anomalies.`;
const KEY_WIDTH = 10;

/** A key and what it does, wrapped under itself at `width`: no line is cut. */
function entryLines(key: string, what: string, width: number): string[] {
  return wrap(what, Math.max(8, width - KEY_WIDTH - 3)).map((l, i) => `  ${(i ? '' : key).padEnd(KEY_WIDTH)} ${l}`);
}

/**
 * The help screen's lines at `width`: the keys (in two columns when the
 * screen is wide and one column needs more than `room` lines), then the
 * badges, every line wrapped rather than cut.
 */
export function helpText(width: number, room: number): string[] {
  const one = helpLines().flatMap(([k, v]) => entryLines(k, v, width));
  let keys = one;
  if (one.length > room && width >= 120) {
    const col = Math.floor(width / 2);
    const entries = helpLines().map(([k, v]) => entryLines(k, v, col - 1));
    const total = entries.reduce((n, e) => n + e.length, 0);
    const left: string[] = [];
    let i = 0;
    while (i < entries.length && left.length + entries[i]!.length <= Math.ceil(total / 2)) left.push(...entries[i++]!);
    const right = entries.slice(i).flat();
    keys = Array.from({ length: Math.max(left.length, right.length) }, (_, j) =>
      `${(left[j] ?? '').padEnd(col)}${right[j] ?? ''}`.trimEnd(),
    );
  }
  return [...keys, '', ...wrap(BADGES, width - 4).map((l) => `  ${l}`)];
}

/**
 * The help screen's lines for a screen of `height` rows, and how many of them show at once (a title and a last line
 * take two).
 */
export function helpLayout(width: number, height: number): { lines: string[]; room: number } {
  const room = Math.max(1, height - 2);
  return { lines: helpText(width, room), room };
}

/** The keys, scrolled to `top`; lines above and below are counted, never dropped silently. */
export function Help(props: { width: number; height: number; top: number }) {
  const { lines, room } = helpLayout(props.width, props.height);
  const top = Math.max(0, Math.min(props.top, lines.length - room));
  const shown = lines.slice(top, top + room);
  const below = lines.length - top - shown.length;
  const where =
    top || below ? `: lines ${top + 1}-${top + shown.length} of ${lines.length}, j/k PgUp PgDn g G scroll` : '';
  const last = [top ? `${top} more above` : '', below ? `${below} more below` : '', 'Esc or ? goes back']
    .filter(Boolean)
    .join(', ');
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        {fit(`KEYS${where}`, props.width)}
      </Text>
      {shown.map((l, i) => (
        <Text key={top + i}>{fit(l, props.width)}</Text>
      ))}
      <Text dimColor>{fit(`  ${last}`, props.width)}</Text>
    </Box>
  );
}
