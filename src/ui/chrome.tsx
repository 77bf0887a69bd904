import { Box, Text } from 'ink';
import { DEFAULT_FILTER } from '../capture/live.js';
import { visible } from '../output/escape.js';
import { clock, count, fit, size } from './format.js';
import { footerText, helpLines, type Screen } from './keys.js';
import type { Snapshot } from './store.js';

export function StatusBar(props: { s: Snapshot; paused: boolean; width: number }) {
  const { s } = props;
  const bar = s.progress === null ? '' : s.done ? ' done' : ` [${'#'.repeat(Math.round(s.progress * 20)).padEnd(20, '.')}] ${Math.round(s.progress * 100)}%`;
  // Counters first: a long capture filter must not push them off a narrow screen.
  const filter = s.filter === null ? '' : `  filter: ${s.filter === DEFAULT_FILTER ? 'tunnel traffic (default)' : s.filter || 'none (--all)'}`;
  const text = `gredump ${s.source}  ${count(s.packets)} pkts ${size(s.bytes)}  ${count(s.rate)} pkt/s${s.drops === null ? '' : `  ${count(s.drops)} drops`}  ${clock(s.elapsedSec)}${bar}${props.paused ? '  PAUSED' : ''}${filter}`;
  return <Text inverse>{fit(visible(text), props.width)}</Text>;
}

/** A line being typed: a display filter (checked as it is typed), a frame number, a yes or no. */
export interface EditBar {
  prompt: string;
  text: string;
  /** null: fine; otherwise what is wrong, and where (for a caret). */
  error: { message: string; start: number; length: number } | null;
  hint: string;
}

export function Footer(props: { width: number; screen: Screen; message: string | null; edit: EditBar | null }) {
  const { edit, width } = props;
  if (edit) {
    const head = `${edit.prompt}${visible(edit.text)}`;
    const lineColor = edit.error ? 'red' : 'green';
    return (
      <Box flexDirection="column">
        {edit.error ? <Text color="red">{fit(`${' '.repeat(Math.min(width - 1, edit.prompt.length + edit.error.start))}^ ${visible(edit.error.message)}`, width)}</Text> : null}
        <Text color={lineColor}>{fit(`${head}█  ${edit.hint}`, width)}</Text>
      </Box>
    );
  }
  if (props.message) return <Text color="yellow">{fit(visible(props.message), width)}</Text>;
  return <Text dimColor>{fit(footerText(props.screen, width), width)}</Text>;
}

/** The keys, in two columns when the screen is wide and one is too long for it; cut with "N more" when even that does not fit. */
export function Help(props: { width: number; height: number }) {
  const entries = helpLines().map(([k, v]) => `${k.padEnd(10)} ${v}`);
  const room = Math.max(1, props.height - 4);
  const two = entries.length > room && props.width >= 120;
  const colWidth = two ? Math.floor((props.width - 2) / 2) : props.width - 2;
  const perCol = two ? Math.ceil(entries.length / 2) : entries.length;
  let lines = [];
  for (let i = 0; i < perCol; i++) lines.push(two ? `  ${fit(entries[i]!, colWidth - 1)} ${entries[i + perCol] ?? ''}` : `  ${entries[i]}`);
  const cut = lines.length > room ? lines.length - (room - 1) : 0;
  if (cut) lines = [...lines.slice(0, room - 1), `  … ${cut} more: the README has them all`];
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">KEYS</Text>
      {lines.map((l, i) => (
        <Text key={i}>{fit(l, props.width)}</Text>
      ))}
      <Text>{fit('  Badges: CLEARTEXT (red) the payload crosses readable; INTEGRITY-ONLY (yellow) AH or ESP-NULL;', props.width)}</Text>
      <Text>{fit('  ENCRYPTED (green) ESP or PPTP with MPPE; UNKNOWN not yet known. MC: multicast groups; !: anomalies.', props.width)}</Text>
      <Text dimColor>  Esc or ? to go back</Text>
    </Box>
  );
}
