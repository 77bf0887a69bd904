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
