import type { PacketCtx } from '../dissect/packet.js';
import type { LineSink } from './sink.js';

/** The tables `-z conv,TYPE` and `-z endpoints,TYPE` make (conversation-stats.ts), named as tshark's titles. */
export const CONVERSATION_TITLES = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' } as const;
export type ConversationType = keyof typeof CONVERSATION_TITLES;
export const STATISTICS_KINDS = ['conv', 'endpoints'] as const;
export type StatisticsKind = (typeof STATISTICS_KINDS)[number];

/** One -z table: it counts each dissected frame (its own filter picks which), then prints itself after the packets. */
export interface StatisticsTap {
  observe(ctx: PacketCtx): void;
  print(sink: LineSink): void;
  /** What it could not count, for a warning; null when it counted every frame. */
  uncountedNote(): string | null;
}

/** tshark's -z follow modes gredump writes (its ebcdic is not one). */
export const FOLLOW_MODES = ['ascii', 'hex', 'raw', 'yaml'] as const;
export type FollowMode = (typeof FOLLOW_MODES)[number];

/** What `-z follow` was asked for: the protocol, the mode, tshark's filter for the stream and the chunks shown. */
export interface FollowSpec {
  readonly proto: 'tcp' | 'udp';
  readonly mode: FollowMode;
  /** tshark's display filter for the stream (`tcp.stream eq 0`), printed as its `Filter:` line. */
  readonly filter: string;
  /** The chunks printed, numbered from 1 (tshark's RANGE), inclusive. */
  readonly first: number;
  readonly last: number;
}

/** tshark's stats_tree tables gredump makes, `-z NAME,tree[,FILTER]`. */
export const STATS_TREES = [
  'plen',
  'ip_hosts',
  'ip_srcdst',
  'ptype',
  'dests',
  'ipv6_hosts',
  'ipv6_srcdst',
  'ipv6_ptype',
  'ipv6_dests',
] as const;
export type StatsTreeName = (typeof STATS_TREES)[number];

/** tshark's name of its ping statistics for ICMP (4) or ICMPv6 (6), `-z icmp,srt[,FILTER]`. */
export const responseTimesTable = (version: 4 | 6): string => (version === 6 ? 'icmpv6,srt' : 'icmp,srt');
