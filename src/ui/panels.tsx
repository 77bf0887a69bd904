import { Box, Text } from 'ink';
import type { Finding } from '../audit/catalogue.js';
import { fit } from './format.js';
import type { GroupRow } from './store.js';

function ago(sec: number): string {
  if (sec < 1) return 'now';
  if (sec < 120) return `${Math.round(sec)}s ago`;
  return `${Math.round(sec / 60)}m ago`;
}

const SEVERITY_COLOR: Record<string, string> = { high: 'red', medium: 'yellow', low: 'cyan', info: 'gray' };

/** Lines scrolled so that the selected one stays in view. */
function windowOf<T>(items: T[], selected: number, height: number): { first: number; items: T[] } {
  const first = Math.max(0, Math.min(selected - Math.floor(height / 2), items.length - height));
  return { first, items: items.slice(first, first + Math.max(0, height)) };
}

export function MulticastPanel(props: { groups: GroupRow[]; routing: string[]; dmvpn?: { clouds: number; lines: string[] }; now: number; selected: number; width: number; height: number; focused: boolean }) {
  const lines = [
    ...props.groups.map((g) => `${fit(g.group, 17)}${fit(g.protocol, 16)}${fit(`${g.packets} pkts`, 11)}${fit(ago(props.now - g.lastSeen), 9)}${g.tunnel}`),
    ...props.routing,
    ...(props.dmvpn?.lines ?? []),
  ];
  const { first, items } = windowOf(lines, props.selected, props.height);
  return (
    <Box flexDirection="column">
      <Text bold color={props.focused ? 'cyan' : undefined}>{`MULTICAST & ROUTING (${props.groups.length} groups, ${props.routing.length} routers${props.dmvpn ? `, ${props.dmvpn.clouds} DMVPN ${props.dmvpn.clouds === 1 ? 'cloud' : 'clouds'}` : ''})`}</Text>
      {lines.length === 0 ? <Text dimColor>  no multicast or routing protocol inside tunnels yet</Text> : null}
      {items.map((line, i) => (
        <Text key={first + i} inverse={props.focused && first + i === props.selected}>{fit(`  ${line}`, props.width)}</Text>
      ))}
    </Box>
  );
}

export function FindingsPanel(props: { findings: Finding[]; selected: number; width: number; height: number; focused: boolean }) {
  const { first, items } = windowOf(props.findings, props.selected, props.height);
  return (
    <Box flexDirection="column">
      <Text bold color={props.focused ? 'cyan' : undefined}>{`FINDINGS (${props.findings.length}), worst first`}</Text>
      {props.findings.length === 0 ? <Text dimColor>  none</Text> : null}
      {items.map((f, i) => (
        <Text key={first + i} inverse={props.focused && first + i === props.selected}>
          {'  '}
          <Text color={SEVERITY_COLOR[f.severity]} bold>{fit(f.severity.toUpperCase(), 7)}</Text>
          {fit(`${f.id}: ${f.message}`, props.width - 9)}
        </Text>
      ))}
    </Box>
  );
}
