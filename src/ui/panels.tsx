import { Box, Text } from 'ink';
import { SEVERITY_COLOUR } from '../audit/colours.js';
import { visible } from '../output/escape.js';
import { plural } from '../util/words.js';
import { ago, fit, keyWords, widest, windowOf } from './format.js';
import type { FindingRow, GroupRow, RoutingRow, Snapshot } from './store.js';

function moreLine(above: number, below: number, width: number) {
  if (!above && !below) return null;
  return (
    <Text dimColor>
      {fit(
        `  ${above ? `${above} more above` : ''}${above && below ? ', ' : ''}${below ? `${below} more below` : ''}`,
        width,
      )}
    </Text>
  );
}

/** The multicast groups, then the routing lines: what the panel lists, in order. */
export function multicastLines(groups: GroupRow[], routing: RoutingRow[], now: number): string[] {
  const gw = widest(groups, (g) => g.group.length, 5) + 2;
  const pw = widest(groups, (g) => g.protocol.length, 8) + 2;
  return [
    ...groups.map(
      (g) =>
        `${fit(visible(g.group), gw)}${fit(visible(g.protocol), pw)}` +
        `${fit(`${g.packets} ${g.packets === 1 ? 'pkt' : 'pkts'}`, 11)}` +
        `${fit(ago(now - g.lastSeen), 9)}${visible(g.tunnel)}`,
    ),
    ...routing.map((r) => visible(r.text)),
  ];
}

export function MulticastPanel(props: {
  groups: GroupRow[];
  routing: RoutingRow[];
  now: number;
  selected: number;
  width: number;
  height: number;
  focused: boolean;
}) {
  const lines = multicastLines(props.groups, props.routing, props.now);
  const more = lines.length > props.height;
  const { first, items, above, below } = windowOf(lines, props.selected, more ? props.height - 1 : props.height);
  return (
    <Box flexDirection="column">
      <Text bold color={props.focused ? 'cyan' : undefined}>
        {fit(
          `MULTICAST${props.routing.some((r) => r.dmvpn) ? ', ROUTING & DMVPN' : ' & ROUTING'} ` +
            `(${plural(props.groups.length, 'group')}, ${plural(props.routing.length, 'line')})`,
          props.width,
        )}
      </Text>
      {lines.length === 0 ? (
        <Text dimColor>{fit('  no multicast or routing protocol inside tunnels yet', props.width)}</Text>
      ) : null}
      {items.map((line, i) => (
        <Text key={first + i} inverse={props.focused && first + i === props.selected}>
          {fit(`  ${line}`, props.width)}
        </Text>
      ))}
      {moreLine(above, below, props.width)}
    </Box>
  );
}

export function FindingsPanel(props: {
  findings: FindingRow[];
  selected: number;
  width: number;
  height: number;
  focused: boolean;
}) {
  const more = props.findings.length > props.height;
  const { first, items, above, below } = windowOf(
    props.findings,
    props.selected,
    more ? props.height - 1 : props.height,
  );
  return (
    <Box flexDirection="column">
      <Text bold color={props.focused ? 'cyan' : undefined}>
        {fit(`FINDINGS (${props.findings.length}), worst first; Enter shows one whole`, props.width)}
      </Text>
      {props.findings.length === 0 ? <Text dimColor>{'  none'}</Text> : null}
      {items.map((f, i) => (
        <Text key={first + i} inverse={props.focused && first + i === props.selected}>
          {'  '}
          <Text color={SEVERITY_COLOUR[f.severity]} bold>
            {fit(f.severity.toUpperCase(), 7)}
          </Text>
          {fit(visible(`${f.id}: ${f.message}`), props.width - 9)}
        </Text>
      ))}
      {moreLine(above, below, props.width)}
    </Box>
  );
}

/** Words wrapped at `width`; a word longer than the line is cut into pieces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (let word of text.split(/\s+/)) {
    while (word.length > width) {
      if (line) {
        out.push(line);
        line = '';
      }
      out.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!word) continue;
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** A finding's targets, to go to: its tunnels, then its peer pairs. */
export function findingTargets(f: FindingRow, s: Snapshot): { label: string; tunnel?: number; peer?: string }[] {
  const out: { label: string; tunnel?: number; peer?: string }[] = [];
  for (const id of f.tunnels) {
    const t = s.tunnels.find((x) => x.id === id);
    if (t)
      out.push({
        label: `${t.kind} ${t.endpoints[0]} ` + `⇄ ${t.endpoints[1]}${keyWords(t.key)}: ${plural(t.packets, 'packet')}`,
        tunnel: id,
      });
  }
  for (const key of f.peers) {
    const e = s.esp.find((x) => x.key === key);
    if (e)
      out.push({
        // An IKE-only row's "SPIs" are its IKE versions.
        label:
          `${e.kind} ${e.endpoints[0]} ⇄ ${e.endpoints[1]} ${e.kind === 'ike' ? '' : 'SPI '}${e.spis}: ` +
          plural(e.packets, 'packet'),
        peer: key,
      });
  }
  return out;
}

/** A finding whole: what was seen, the advice, and what it is about (Enter lists their packets). */
export function FindingView(props: {
  finding: FindingRow;
  s: Snapshot;
  selected: number;
  width: number;
  height: number;
}) {
  const { finding: f, width } = props;
  const targets = findingTargets(f, props.s);
  const text = (s: string) => wrap(visible(s), width - 4).map((l, i) => <Text key={i}>{`    ${l}`}</Text>);
  return (
    <Box flexDirection="column">
      <Text bold>
        <Text color={SEVERITY_COLOUR[f.severity]}>{f.severity.toUpperCase()}</Text>
        {` ${visible(f.id)}`}
      </Text>
      <Text bold color="cyan">
        {'  WHAT WAS SEEN'}
      </Text>
      {text(f.message)}
      <Text bold color="cyan">
        {'  ADVICE'}
      </Text>
      {text(f.advice || 'none given')}
      <Text bold color="cyan">{`  AFFECTED (${targets.length}); Enter lists the packets`}</Text>
      {targets.length === 0 ? <Text dimColor>{'    none to go to'}</Text> : null}
      {targets.map((t, i) => (
        <Text key={i} inverse={i === props.selected}>
          {fit(`    ${visible(t.label)}`, width)}
        </Text>
      ))}
    </Box>
  );
}
