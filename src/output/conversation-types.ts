/** The tables `-z conv,TYPE` and `-z endpoints,TYPE` make (conversation-stats.ts), named as tshark's titles. */
export const CONVERSATION_TITLES = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' } as const;
export type ConversationType = keyof typeof CONVERSATION_TITLES;
export const STATISTICS_KINDS = ['conv', 'endpoints'] as const;
export type StatisticsKind = (typeof STATISTICS_KINDS)[number];
