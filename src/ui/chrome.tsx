import { Box, Text } from 'ink';
import { DEFAULT_FILTER } from '../capture/live.js';
import { clock, count, fit, size } from './format.js';
import type { Snapshot } from './store.js';

export function StatusBar(props: { s: Snapshot; paused: boolean; width: number }) {
  const { s } = props;
  const bar = s.progress === null ? '' : s.done ? ' done' : ` [${'#'.repeat(Math.round(s.progress * 20)).padEnd(20, '.')}] ${Math.round(s.progress * 100)}%`;
  // Counters first: a long capture filter must not push them off a narrow screen.
  const filter = s.filter === null ? '' : `  filter: ${s.filter === DEFAULT_FILTER ? 'tunnel traffic (default)' : s.filter || 'none (--all)'}`;
  const text = `gredump ${s.source}  ${count(s.packets)} pkts ${size(s.bytes)}  ${count(s.rate)} pkt/s${s.drops === null ? '' : `  ${count(s.drops)} drops`}  ${clock(s.elapsedSec)}${bar}${props.paused ? '  PAUSED' : ''}${filter}`;
  return <Text inverse>{fit(text, props.width)}</Text>;
}

export function Footer(props: { width: number; message: string | null; editing: string | null }) {
  if (props.editing !== null) return <Text color="cyan">{fit(`filter: ${props.editing}█  (Enter keeps, Esc clears)`, props.width)}</Text>;
  if (props.message) return <Text color="yellow">{fit(props.message, props.width)}</Text>;
  return <Text dimColor>{fit('↑↓/jk move  Enter open  Esc back  Tab panel  / filter  s sort  p pause  w write  ? help  q quit', props.width)}</Text>;
}

const HELP: [string, string][] = [
  ['↑ ↓  j k', 'move in the list'],
  ['Enter', 'open: a tunnel\'s packets, a packet\'s layers; fold a layer'],
  ['Esc', 'back (or clear the filter)'],
  ['Tab', 'next panel: tunnels, multicast and routing, findings'],
  ['/', 'filter the tunnels shown (address, key, kind, protection)'],
  ['s', 'sort tunnels by packets, bytes, rate, last seen'],
  ['p', 'pause the display (capture goes on)'],
  ['w', 'write the selected tunnel\'s kept packets to a pcap file'],
  ['?', 'this help'],
  ['q', 'quit'],
];

export function Help() {
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">KEYS</Text>
      {HELP.map(([k, v]) => (
        <Text key={k}>{`  ${k.padEnd(10)} ${v}`}</Text>
      ))}
      <Text> </Text>
      <Text>  Badges: CLEARTEXT (red) the payload crosses readable; INTEGRITY-ONLY (yellow) AH or ESP-NULL;</Text>
      <Text>  ENCRYPTED (green) ESP or PPTP with MPPE; UNKNOWN not yet known. MC: multicast groups; !: anomalies.</Text>
      <Text dimColor>  Esc or ? to go back</Text>
    </Box>
  );
}
